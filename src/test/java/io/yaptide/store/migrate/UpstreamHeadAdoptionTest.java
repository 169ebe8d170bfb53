package io.yaptide.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import io.yaptide.store.results.Estimator;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.UpstreamHead;
import io.yaptide.store.users.UserStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database made by the original at its current revision (5003b9acb1f4; the upstream-head
 * fixture, on PostgreSQL as the original made it and as a copy on SQLite) is adopted exactly,
 * upgraded in place, served by the stores as the original stored it, and goes back down to each
 * of the original's revisions with exactly that revision's schema.
 */
class UpstreamHeadAdoptionTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    static final List<String> TABLES = MigrationRoundTripTest.TABLES;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void isAdoptedAtTheOriginalsHeadWithRowsAndAlembicVersionUntouched(Engine engine) throws Exception {
        DatabaseUrl url = UpstreamHead.database(engine);
        Map<String, String> before = digests(url);
        SchemaSnapshot originalSchema = SchemaSnapshot.read(url);
        JsonNode counts = UpstreamHead.credentials().path("counts");
        for (String table : TABLES) {
            assertThat(AdoptionTest.rowCounts(url).get(table)).as(table).isEqualTo(counts.path(table).asLong());
        }

        Migrator m = new Migrator(url);
        Migrator.Outcome o = m.upgrade("head");

        assertThat(o.notes()).first().asString().startsWith("Recognised a database made by the original Yaptide"
                + " (alembic_version 5003b9acb1f4) at revision 5003b9acb1f4");
        assertThat(o.applied()).containsExactly("b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
        assertThat(AdoptionTest.alembicVersion(url)).isEqualTo("5003b9acb1f4");
        assertThat(digests(url)).isEqualTo(before);
        assertThat(SchemaSnapshot.read(url).differencesFrom(ExpectedSchema.at(url, Migrator.headId()), engine == Engine.POSTGRES)).isEmpty();

        Map<Long, String> fileNames = estimatorColumn(url, "file_name");

        // back to the original's head: exactly the schema the original made, every row as it was
        m.downgrade("5003b9acb1f4");
        assertThat(SchemaSnapshot.read(url).differencesFrom(originalSchema, engine == Engine.POSTGRES)).isEmpty();
        assertThat(digests(url)).isEqualTo(before);

        // and each of the original's earlier revisions, with exactly that revision's schema
        for (String revision : List.of("41149fa64bd2", "4027fc5cbcb1", "3f9d1f1bec46", "06c32cf470e7")) {
            m.downgrade(revision);
            assertThat(m.current()).contains(revision);
            assertThat(SchemaSnapshot.read(url).differencesFrom(ExpectedSchema.at(url, revision), engine == Engine.POSTGRES))
                    .as(revision).isEmpty();
        }
        assertThat(AdoptionTest.rowCounts(url).get("Page")).isEqualTo(168L);

        // up again, through the data steps: every row as it was, page names and dimensions recomputed
        // equal; estimator names as 41149fa64bd2 gives them, which for a files job is the simulator's
        // name without its '_' (the original's own step does the same: at 3f9d1f1bec46 nothing tells
        // a files job's stored name from an editor job's)
        m.upgrade("head");
        Map<String, String> after = digests(url);
        for (String table : TABLES) {
            if (!table.equals("Estimator")) {
                assertThat(after.get(table)).as(table).isEqualTo(before.get(table));
            }
        }
        assertThat(estimatorColumn(url, "file_name")).isEqualTo(fileNames);
        Map<Long, String> names = estimatorColumn(url, "name");
        for (JsonNode sim : UpstreamHead.credentials().path("simulations")) {
            int i = 0;
            for (long id : estimatorIds(url, sim.path("simulation_id").asLong())) {
                JsonNode e = sim.path("estimators").get(i++);
                String expected = sim.path("input_type").asText().equals("FILES")
                        ? e.path("file_name").asText().replaceAll("_+$", "") : e.path("name").asText();
                assertThat(names.get(id)).as("estimator " + id).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void afterTheUpgradeTheStoresServeWhatTheOriginalStored(Engine engine) throws Exception {
        DatabaseUrl url = UpstreamHead.database(engine);
        Map<String, Map<Long, JsonNode>> raw = new HashMap<>();
        for (String table : List.of("Estimator", "Page", "Input", "Logfiles")) {
            raw.put(table, decodedPayloads(url, table));
        }
        assertThat(raw.get("Page")).hasSize(168);
        assertThat(raw.get("Logfiles")).hasSize(3);

        new Migrator(url).upgrade("head");

        JsonNode credentials = UpstreamHead.credentials();
        try (Database db = Database.open(url)) {
            UserStore users = new UserStore(db);
            for (JsonNode login : credentials.path("yaptide_users")) {
                String name = login.path("username").asText();
                String password = login.path("password").asText();
                assertThat(users.authenticate(name, password + "x")).as(name + " wrong password").isEmpty();
                assertThat(users.authenticate(name, password)).as(name).isPresent();
            }
            ResultStore results = new ResultStore(db);
            SimulationStore simulations = new SimulationStore(db);
            int pages = 0;
            int inputs = 0;
            int logfiles = 0;
            for (JsonNode sim : credentials.path("simulations")) {
                long id = sim.path("simulation_id").asLong();
                assertThat(simulations.findByJobId(sim.path("job_id").asText())).as(sim.path("job_id").asText())
                        .hasValueSatisfying(s -> assertThat(s.id()).isEqualTo(id));
                List<String> names = new ArrayList<>();
                for (Estimator e : results.estimators(id)) {
                    names.add(e.name());
                    assertThat(e.metadata() == null ? null : e.metadata().json()).as("estimator " + e.id())
                            .isEqualTo(raw.get("Estimator").get(e.id()));
                    for (ResultPage p : results.pages(e.id())) {
                        assertThat(p.data().json()).as("page " + p.id()).isEqualTo(raw.get("Page").get(p.id()));
                        pages++;
                    }
                }
                List<String> expected = new ArrayList<>();
                sim.path("estimators").forEach(e -> expected.add(e.path("name").asText()));
                assertThat(names).as("estimators of simulation " + id).isEqualTo(expected);
                if (results.input(id).isPresent()) {
                    assertThat(results.input(id).get().data().json()).isEqualTo(raw.get("Input").get(results.input(id).get().id()));
                    inputs++;
                }
                assertThat(results.logfiles(id).isPresent()).as("log files of " + id).isEqualTo(sim.path("has_logfiles").asBoolean());
                if (results.logfiles(id).isPresent()) {
                    assertThat(results.logfiles(id).get().data().json()).isEqualTo(raw.get("Logfiles").get(results.logfiles(id).get().id()));
                    logfiles++;
                }
            }
            assertThat(pages).isEqualTo(168);
            assertThat(inputs).isEqualTo(16);
            assertThat(logfiles).isEqualTo(3);
            // page names and dimensions, as the original computed them, agree with each page
            for (Map.Entry<Long, JsonNode> page : raw.get("Page").entrySet()) {
                String[] columns = pageColumns(url, page.getKey());
                assertThat(columns[0]).isEqualTo(page.getValue().path("metadata").path("name").asText());
                assertThat(Integer.parseInt(columns[1])).isEqualTo(page.getValue().path("dimensions").asInt());
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Map<Long, String> estimatorColumn(DatabaseUrl url, String column) throws Exception {
        Map<Long, String> out = new HashMap<>();
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, " + column + " FROM \"Estimator\"")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }

    private static List<Long> estimatorIds(DatabaseUrl url, long simulationId) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM \"Estimator\" WHERE simulation_id = " + simulationId + " ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static String[] pageColumns(DatabaseUrl url, long pageId) throws Exception {
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT page_name, page_dimension FROM \"Page\" WHERE id = " + pageId)) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    /**
     * A SHA-256 of every row of every table, every column the original has (so not our
     * update_key_hash), values as text; times as instants, so both engines' forms compare.
     */
    static Map<String, String> digests(DatabaseUrl url) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement()) {
            for (String t : TABLES) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\" ORDER BY id")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            String column = rs.getMetaData().getColumnName(i);
                            if (column.equals("update_key_hash")) {
                                continue;
                            }
                            Object v = rs.getObject(i);
                            String text = v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v);
                            md.update((column + "=" + text + "\u0001").getBytes(StandardCharsets.UTF_8));
                        }
                        md.update((byte) '\n');
                    }
                }
                out.put(t, HexFormat.of().formatHex(md.digest()));
            }
        }
        return out;
    }

    private static Map<Long, JsonNode> decodedPayloads(DatabaseUrl url, String table) throws Exception {
        Map<Long, JsonNode> out = new HashMap<>();
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, compressed_data FROM \"" + table + "\"")) {
            while (rs.next()) {
                byte[] bytes = rs.getBytes(2);
                if (bytes == null) {
                    out.put(rs.getLong(1), null);
                    continue;
                }
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                    out.put(rs.getLong(1), JSON.readTree(in.readAllBytes()));
                }
            }
        }
        return out;
    }
}
