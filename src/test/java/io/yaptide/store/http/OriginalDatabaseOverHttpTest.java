package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.results.EstimatorNames;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.OriginalCredentials;
import io.yaptide.store.testing.OriginalDatabases;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 6 through the HTTP API: a database made by the original is adopted by {@code db upgrade},
 * then served. Its users log in with their old passwords; every simulation's results, input and log
 * files come back over a real socket equal, value for value, to the JSON decoded straight from the
 * fixture's rows before the upgrade; workers holding the original's update keys can still report.
 */
class OriginalDatabaseOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One simulation of the fixture as the original stored it, decoded from its rows. */
    record StoredSimulation(long id, String jobId, long ownerId, String ownerName, String ownerProvider, int tasks, int firstTask,
                            Map<String, JsonNode> estimatorMetadata, Map<String, TreeMap<Integer, JsonNode>> pages,
                            JsonNode input, JsonNode logfiles) {
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anAdoptedOriginalDatabaseServesEverySimulationAsTheOriginalStoredIt(Engine engine) throws Exception {
        DatabaseUrl url = engine == Engine.POSTGRES ? OriginalDatabases.loadPostgres() : OriginalDatabases.loadSqlite();
        List<StoredSimulation> stored = decodeFixtureRows(url);
        assertThat(stored).hasSize(30);

        new Migrator(url).upgrade("head");

        HttpConfig config = new HttpConfig("127.0.0.1", 0, TestServer.SECRET, false, List.of(), TestServer.MAX_BODY,
                Duration.ofMinutes(10), Duration.ofHours(2), new HttpConfig.DummyConfig(1, Duration.ZERO, 1, null));
        Tokens tokens = new Tokens(TestServer.SECRET, Duration.ofMinutes(10), Duration.ofHours(2), Clock.systemUTC());
        try (Database db = Database.open(url); YaptideServer server = TestServer.standard(db, config)) {
            Map<String, String> passwords = new HashMap<>();
            OriginalCredentials.logins().forEach(l -> passwords.put(l.username(), l.password()));

            // every password user logs in with the password the original knew (pbkdf2 and scrypt hashes)
            for (OriginalCredentials.Login login : OriginalCredentials.logins()) {
                ApiClient client = new ApiClient(server.baseUrl());
                assertThat(client.login(login.username(), login.password() + "!").status()).as(login.username()).isEqualTo(401);
                assertThat(client.login(login.username(), login.password()).status()).as(login.username()).isEqualTo(202);
                assertThat(client.get("/auth/status").json().path("username").asText()).isEqualTo(login.username());
            }

            int pagesCompared = 0;
            for (StoredSimulation sim : stored) {
                ApiClient owner = new ApiClient(server.baseUrl());
                String[] auth;
                if (sim.ownerProvider().equals("YaptideUser")) {
                    assertThat(owner.login(sim.ownerName(), passwords.get(sim.ownerName())).status()).isEqualTo(202);
                    auth = new String[0];
                } else {
                    // Keycloak users log in with a Keycloak token (KeycloakLoginTest); here their token is minted
                    auth = new String[] {"Cookie", "access_token=" + tokens.issue(new io.yaptide.store.users.UserStore(db).findById(sim.ownerId()).orElseThrow(), Tokens.Kind.ACCESS).token()};
                }
                String job = "job_id=" + sim.jobId();

                ApiClient.Response status = owner.get("/jobs?" + job, auth);
                assertThat(status.status()).as(sim.jobId()).isEqualTo(200);
                assertThat(status.json().path("job_tasks_status")).as(sim.jobId()).hasSize(sim.tasks());

                ApiClient.Response input = owner.get("/inputs?" + job, auth);
                assertThat(input.status()).isEqualTo(200);
                assertThat(input.json().get("input")).as("input of " + sim.jobId()).isEqualTo(sim.input());

                ApiClient.Response logs = owner.get("/logfiles?" + job, auth);
                if (sim.logfiles() == null) {
                    assertThat(logs.status()).isEqualTo(404);
                } else {
                    assertThat(logs.status()).isEqualTo(200);
                    assertThat(logs.json().get("logfiles")).as("logfiles of " + sim.jobId()).isEqualTo(sim.logfiles());
                }

                // the same results whether the service splices decompressed JSON or passes stored gzip through
                for (String[] encoding : List.of(new String[0], new String[] {"Accept-Encoding", "gzip"})) {
                    String[] headers = concat(auth, encoding);
                    ApiClient.Response results = owner.get("/results?" + job, headers);
                    if (sim.estimatorMetadata().isEmpty()) {
                        assertThat(results.status()).as(sim.jobId()).isEqualTo(404);
                        continue;
                    }
                    assertThat(results.status()).as(sim.jobId()).isEqualTo(200);
                    Map<String, JsonNode> served = new HashMap<>();
                    for (JsonNode e : results.json().get("estimators")) {
                        served.put(e.get("name").asText(), e);
                    }
                    // 41149fa64bd2 names each estimator as users see it: the simulator's name without its trailing '_'
                    assertThat(served.keySet()).isEqualTo(sim.estimatorMetadata().keySet().stream()
                            .map(EstimatorNames::stripped).collect(java.util.stream.Collectors.toSet()));
                    for (var e : sim.pages().entrySet()) {
                        JsonNode estimator = served.get(EstimatorNames.stripped(e.getKey()));
                        assertThat(estimator.get("metadata")).isEqualTo(sim.estimatorMetadata().get(e.getKey()));
                        assertThat(estimator.get("pages")).hasSize(e.getValue().size());
                        int i = 0;
                        for (JsonNode page : e.getValue().values()) {
                            assertThat(estimator.get("pages").get(i++)).as(sim.jobId() + " " + e.getKey()).isEqualTo(page);
                            pagesCompared++;
                        }
                    }
                }
            }
            assertThat(pagesCompared).isEqualTo(2 * 378);

            // workers holding the original's update keys still report progress; a wrong key is refused
            ApiClient worker = new ApiClient(server.baseUrl());
            Map<Long, Integer> firstTask = new HashMap<>();
            stored.forEach(sim -> firstTask.put(sim.id(), sim.firstTask()));
            for (OriginalCredentials.SimulationKey key : OriginalCredentials.simulationKeys()) {
                // batch tasks are numbered from 1 (array task ids), direct ones from 0
                var wrong = JSON.createObjectNode().put("simulation_id", key.simulationId())
                        .put("task_id", firstTask.get(key.simulationId()))
                        .put("update_key", key.updateKey() + "x");
                wrong.putObject("update_dict").put("simulated_primaries", 1);
                assertThat(worker.post("/tasks", wrong).status()).as("wrong key for " + key.jobId()).isEqualTo(400);
                var right = wrong.deepCopy().put("update_key", key.updateKey());
                assertThat(worker.post("/tasks", right).status()).as("key of " + key.jobId()).isEqualTo(202);
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** What the original stored, read and decoded straight from the fixture's rows (no store involved). */
    private static List<StoredSimulation> decodeFixtureRows(DatabaseUrl url) throws SQLException, IOException {
        List<StoredSimulation> out = new ArrayList<>();
        try (Connection c = io.yaptide.store.db.Connections.open(url, io.yaptide.store.db.ConnectionPurpose.OPERATIONS); Statement s = c.createStatement()) {
            List<long[]> sims = new ArrayList<>();
            List<String[]> names = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT s.id, s.job_id, u.id, u.username, u.auth_provider,"
                    + " (SELECT COUNT(*) FROM \"Task\" t WHERE t.simulation_id = s.id),"
                    + " (SELECT MIN(t.task_id) FROM \"Task\" t WHERE t.simulation_id = s.id)"
                    + " FROM \"Simulation\" s JOIN \"User\" u ON u.id = s.user_id ORDER BY s.id")) {
                while (rs.next()) {
                    sims.add(new long[] {rs.getLong(1), rs.getLong(3), rs.getLong(6), rs.getLong(7)});
                    names.add(new String[] {rs.getString(2), rs.getString(4), rs.getString(5)});
                }
            }
            for (int i = 0; i < sims.size(); i++) {
                long id = sims.get(i)[0];
                Map<String, JsonNode> metadata = new HashMap<>();
                Map<String, TreeMap<Integer, JsonNode>> pages = new HashMap<>();
                try (ResultSet rs = s.executeQuery("SELECT e.name, e.compressed_data, p.page_number, p.compressed_data"
                        + " FROM \"Estimator\" e LEFT JOIN \"Page\" p ON p.estimator_id = e.id WHERE e.simulation_id = " + id)) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        metadata.put(name, gunzipJson(rs.getBytes(2)));
                        TreeMap<Integer, JsonNode> byNumber = pages.computeIfAbsent(name, n -> new TreeMap<>());
                        byte[] page = rs.getBytes(4);
                        if (page != null) {
                            byNumber.put(rs.getInt(3), gunzipJson(page));
                        }
                    }
                }
                out.add(new StoredSimulation(id, names.get(i)[0], sims.get(i)[1], names.get(i)[1], names.get(i)[2],
                        (int) sims.get(i)[2], (int) sims.get(i)[3], metadata, pages,
                        single(s, "SELECT compressed_data FROM \"Input\" WHERE simulation_id = " + id),
                        single(s, "SELECT compressed_data FROM \"Logfiles\" WHERE simulation_id = " + id)));
            }
        }
        return out;
    }

    private static JsonNode single(Statement s, String sql) throws SQLException, IOException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? gunzipJson(rs.getBytes(1)) : null;
        }
    }

    private static JsonNode gunzipJson(byte[] gz) throws IOException {
        if (gz == null) {
            return null;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return JSON.readTree(in.readAllBytes());
        }
    }
}
