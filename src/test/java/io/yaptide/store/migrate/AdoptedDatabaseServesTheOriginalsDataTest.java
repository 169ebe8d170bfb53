package io.yaptide.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import io.yaptide.store.results.Estimator;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.OriginalCredentials;
import io.yaptide.store.users.UserStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 6 through the stores: after 'db upgrade' adopts a database made by the original, every
 * fixture user logs in with the old password, every stored payload reads back equal to the
 * fixture's own rows (gunzipped straight from them before the upgrade), and the workers' update
 * keys from credentials.json are accepted while wrong ones are rejected.
 */
class AdoptedDatabaseServesTheOriginalsDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(Engine.class)
    void afterAdoptionTheStoresServeWhatTheOriginalStored(Engine engine) throws Exception {
        DatabaseUrl url = AdoptionTest.original(engine);
        Map<String, Map<Long, JsonNode>> raw = new HashMap<>();
        for (String table : List.of("Estimator", "Page", "Input", "Logfiles")) {
            raw.put(table, decodedPayloads(url, table));
        }
        assertThat(raw.get("Page")).hasSize(378);
        assertThat(raw.get("Input")).hasSize(30);

        assertThat(new Migrator(url).upgrade("head").applied()).containsExactly("4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");

        try (Database db = Database.open(url)) {
            UserStore users = new UserStore(db);
            for (OriginalCredentials.Login login : OriginalCredentials.logins()) {
                assertThat(users.authenticate(login.username(), login.password() + "x")).as(login.username() + " wrong password").isEmpty();
                assertThat(users.authenticate(login.username(), login.password())).as(login.username() + " (" + login.hashMethod() + ")").isPresent();
                // again, after any in-place upgrade of an old-format hash
                assertThat(users.authenticate(login.username(), login.password())).as(login.username() + " second login").isPresent();
            }

            ResultStore results = new ResultStore(db);
            int pages = 0;
            for (long simulationId : raw.get("Input").keySet().stream().map(id -> simulationOfInput(url, id)).toList()) {
                for (Estimator e : results.estimators(simulationId)) {
                    assertThat(e.metadata() == null ? null : e.metadata().json()).as("estimator " + e.id())
                            .isEqualTo(raw.get("Estimator").get(e.id()));
                    for (ResultPage p : results.pages(e.id())) {
                        assertThat(p.data().json()).as("page " + p.id()).isEqualTo(raw.get("Page").get(p.id()));
                        pages++;
                    }
                }
                results.input(simulationId).ifPresent(i -> assertThat(i.data().json()).as("input " + i.id()).isEqualTo(raw.get("Input").get(i.id())));
                results.logfiles(simulationId).ifPresent(l -> assertThat(l.data().json()).as("logfiles " + l.id()).isEqualTo(raw.get("Logfiles").get(l.id())));
            }
            assertThat(pages).isEqualTo(378);

            SimulationStore simulations = new SimulationStore(db);
            for (OriginalCredentials.SimulationKey key : OriginalCredentials.simulationKeys()) {
                assertThat(simulations.checkUpdateKey(key.simulationId(), key.updateKey() + "0")).as("wrong key of " + key.jobId()).isFalse();
                assertThat(simulations.checkUpdateKey(key.simulationId(), key.updateKey())).as("key of " + key.jobId()).isTrue();
                assertThat(simulations.checkUpdateKey(key.simulationId(), key.updateKey())).as("key of " + key.jobId() + ", fast format").isTrue();
                assertThat(simulations.checkUpdateKey(key.simulationId(), "not-" + key.updateKey())).as("wrong key, fast format").isFalse();
            }
        }
    }

    private static long simulationOfInput(DatabaseUrl url, long inputId) {
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT simulation_id FROM \"Input\" WHERE id = " + inputId)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row's compressed_data, gunzipped and parsed, by id: what the original stored. */
    private static Map<Long, JsonNode> decodedPayloads(DatabaseUrl url, String table) throws Exception {
        Map<Long, JsonNode> out = new HashMap<>();
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, compressed_data FROM \"" + table + "\"")) {
            while (rs.next()) {
                byte[] bytes = rs.getBytes(2);
                out.put(rs.getLong(1), bytes == null ? null : gunzipJson(bytes));
            }
        }
        return out;
    }

    private static JsonNode gunzipJson(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return JSON.readTree(in.readAllBytes());
        }
    }
}
