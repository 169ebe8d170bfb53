package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.util.List;
import java.util.Map;

/**
 * Input that the engines would store differently, change silently or choke on is refused with a
 * 400 (or 404 for an id that cannot exist), on both engines, and writes nothing: NUL characters,
 * unpaired UTF-16 surrogates, numbers beyond a column, JSON beyond the parser's limits.
 */
class HostileInputTest {

    record Case(String method, String path, String body, int status, String message) {
    }

    @DatabaseTest
    void hostileTextAndNumbersAreRefusedNotStoredOrChanged(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            ApiClient stranger = server.client();
            String pending = anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json",
                    "shieldhit")).json().path("job_id").asText();
            SimulationStore sims = new SimulationStore(db.database());
            long simId = sims.findByJobId(pending).orElseThrow().id();
            String key = sims.rotateUpdateKey(simId);
            String worker = "{\"simulation_id\": " + simId + ", \"update_key\": \"" + key + "\", ";
            String files = "\"sim_type\": \"shieldhit\", \"ntasks\": 1, \"input_type\": \"files\", "
                    + "\"input_files\": {\"beam.dat\": \"NSTAT 1000\"}";
            Map<String, Long> rows = SeedRows.counts(db.jdbi());

            List<Case> cases = List.of(
                    // defect 4: NUL reaching PostgreSQL
                    new Case("GET", "/jobs?job_id=a%00b", null, 400, "job_id contains a NUL character"),
                    new Case("GET", "/results?job_id=a%00b", null, 400, "contains a NUL character"),
                    new Case("GET", "/inputs?job_id=a%00b", null, 400, "contains a NUL character"),
                    new Case("GET", "/logfiles?job_id=a%00b", null, 400, "contains a NUL character"),
                    new Case("DELETE", "/jobs?job_id=a%00b", null, 400, "contains a NUL character"),
                    new Case("PUT", "/auth/register", "{\"username\": \"a\\u0000b\", \"password\": \"x\"}", 400,
                            "username contains a NUL character"),
                    new Case("POST", "/jobs/direct", "{\"title\": \"t\\u0000\", " + files + "}", 400,
                            "title contains a NUL character"),
                    new Case("POST", "/jobs/direct", "{" + files.replace("beam.dat\"", "beam\\u0000.dat\"") + "}", 400,
                            "has a field name that contains a NUL character"),
                    new Case("POST", "/results", worker + "\"estimators\": [{\"name\": \"e\\u0000\", \"metadata\": {}, "
                            + "\"pages\": []}]}", 400, "a string in estimators contains a NUL character"),
                    new Case("POST", "/tasks", worker + "\"task_id\": 0, \"update_dict\": {\"celery_id\": \"c\\u0000\"}}", 400,
                            "update_dict.celery_id contains a NUL character"),
                    new Case("POST", "/logfiles", worker + "\"logfiles\": {\"a.log\": \"x\\u0000y\"}}", 400,
                            "logfiles.a.log contains a NUL character"),
                    // defect 8: unpaired surrogates and numbers beyond the column
                    new Case("PUT", "/auth/register", "{\"username\": \"sur\\udfff\", \"password\": \"x\"}", 400,
                            "username contains an unpaired UTF-16 surrogate (\\udfff)"),
                    new Case("PUT", "/auth/register", "{\"username\": \"pair\", \"password\": \"\\ud800\\ud800\"}", 400,
                            "password contains an unpaired UTF-16 surrogate (\\ud800)"),
                    new Case("POST", "/jobs/direct", "{\"sim_type\": \"dummy\", \"ntasks\": 1, \"input_type\": \"editor\", "
                            + "\"input_json\": {\"beam\": {\"numberOfParticles\": 99999999999999}}}", 400,
                            "more than 2147483647 per task"),
                    new Case("POST", "/jobs/direct", "{" + files.replace("NSTAT 1000", "NSTAT -5") + "}", 400,
                            "must not be negative"),
                    // defect 5: JSON beyond the parser's limits on POST /results, before any key check
                    new Case("POST", "/results", "{\"simulation_id\": " + "9".repeat(1100) + "}", 400, "Malformed JSON in body"),
                    // (nested inside an estimator: the streamed read refuses a list of lists as the wrong shape first)
                    new Case("POST", "/results", worker + "\"estimators\": [{\"name\": \"e\", \"metadata\": "
                            + "[".repeat(1001) + "]".repeat(1001) + ", \"pages\": []}]}", 400,
                            "Malformed JSON in body"),
                    new Case("POST", "/results", "{\"" + "n".repeat(60_000) + "\": 1}", 400, "Malformed JSON in body"),
                    new Case("POST", "/tasks", "{\"" + "n".repeat(60_000) + "\": 1}", 400, "Malformed JSON in body"));

            for (Case c : cases) {
                ApiClient.Response r = anna.send(c.method(), c.path(), c.body());
                assertThat(r.status()).as("%s %s %s -> %s", c.method(), c.path(), abbreviated(c.body()), r.text())
                        .isEqualTo(c.status());
                assertThat(r.message()).as("%s %s", c.method(), c.path()).contains(c.message());
            }
            // without logging in too: the login's username and password are checked before any lookup
            ApiClient.Response login = stranger.send("POST", "/auth/login", "{\"username\": \"a\\u0000b\", \"password\": \"x\"}");
            assertThat(login.status()).isEqualTo(400);
            assertThat(login.message()).contains("username contains a NUL character");
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);
            assertThat(anna.get("/jobs?job_id=" + pending).json().path("job_state").asText()).isEqualTo("PENDING");
        }
    }

    private static String abbreviated(String body) {
        return body == null || body.length() < 200 ? body : body.substring(0, 200) + "...";
    }
}
