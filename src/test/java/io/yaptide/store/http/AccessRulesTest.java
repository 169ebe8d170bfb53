package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.UserStore;
import java.util.List;
import java.util.Map;

/**
 * Every route that touches a job, called by its owner's neighbour (403), by nobody (401) and for a
 * job that does not exist (404); routes for Keycloak users only, called by a password user (403);
 * worker routes with a wrong or foreign update key (400). Nothing may change on any refusal.
 */
class AccessRulesTest {

    /** Routes that name a job by {@code job_id}; the placeholder {@code JOB} is replaced. */
    static final List<String[]> JOB_ROUTES = List.of(
            new String[] {"GET", "/jobs?job_id=JOB"},
            new String[] {"GET", "/jobs/direct?job_id=JOB"},
            new String[] {"DELETE", "/jobs/direct?job_id=JOB"},
            new String[] {"GET", "/results?job_id=JOB"},
            new String[] {"GET", "/results?job_id=JOB&estimator_name=peak_"},
            new String[] {"GET", "/results?job_id=JOB&estimator_name=z_profile_&page_number=0"},
            new String[] {"GET", "/results?job_id=JOB&estimator_name=z_profile_&page_numbers=0-1"},
            new String[] {"GET", "/inputs?job_id=JOB"},
            new String[] {"GET", "/logfiles?job_id=JOB"},
            new String[] {"DELETE", "/user/simulations?job_id=JOB"});

    /** Routes that need a logged-in user and no job. */
    static final List<String[]> USER_ROUTES = List.of(
            new String[] {"GET", "/auth/status"},
            new String[] {"GET", "/auth/refresh"},
            new String[] {"GET", "/user/simulations"},
            new String[] {"GET", "/user/clusters"},
            new String[] {"POST", "/jobs/direct"},
            new String[] {"POST", "/jobs/batch"},
            new String[] {"GET", "/jobs/batch?job_id=x"},
            new String[] {"DELETE", "/jobs/batch?job_id=x"},
            new String[] {"DELETE", "/user"});

    @DatabaseTest
    void nobodyButTheOwnerReachesAJob(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            ApiClient bob = server.client().signedUp("bob");
            ApiClient nobody = server.client();
            ObjectNode job = UserJourneyTest.payload("shieldhit_json_payload_files.json", "dummy");
            String annasJob = anna.post("/jobs/direct", job).json().path("job_id").asText();
            UserJourneyTest.waitForState(anna, annasJob, "COMPLETED");
            Map<String, Long> rows = SeedRows.counts(db.jdbi());

            for (String[] route : JOB_ROUTES) {
                String path = route[1].replace("JOB", annasJob);
                ApiClient.Response asBob = bob.send(route[0], path, null);
                assertThat(asBob.status()).as("%s %s by another user", route[0], path).isEqualTo(403);
                assertThat(asBob.message()).as("%s %s", route[0], path)
                        .isIn("Job with provided ID does not belong to the user",
                                "Unauthorized: You do not have permission to delete this simulation");
                ApiClient.Response anonymous = nobody.send(route[0], path, null);
                assertThat(anonymous.status()).as("%s %s without login", route[0], path).isEqualTo(401);
                assertThat(anonymous.message()).isEqualTo("No token provided");
                ApiClient.Response unknown = anna.send(route[0], route[1].replace("JOB", "no-such-job"), null);
                assertThat(unknown.status()).as("%s %s for an unknown job", route[0], route[1]).isEqualTo(404);
                assertThat(unknown.message()).isIn("Job with provided ID does not exist",
                        "Simulation with job_id=no-such-job do not exist");
            }
            for (String[] route : USER_ROUTES) {
                ApiClient.Response anonymous = nobody.send(route[0], route[1], route[0].equals("POST") ? job : null);
                assertThat(anonymous.status()).as("%s %s without login", route[0], route[1]).isEqualTo(401);
            }
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);
            assertThat(anna.get("/jobs?job_id=" + annasJob).json().path("job_state").asText()).isEqualTo("COMPLETED");
            assertThat(bob.get("/user/simulations").json().path("simulations_count").asInt()).isZero();
        }
    }

    @DatabaseTest
    void batchRoutesAndClustersAreForKeycloakUsersOnly(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            new ClusterStore(db.database()).create("ares");
            ApiClient anna = server.client().signedUp("anna");
            ObjectNode job = UserJourneyTest.payload("fluka_json_payload_files.json", "fluka");
            for (String[] route : List.of(new String[] {"POST", "/jobs/batch"}, new String[] {"GET", "/user/clusters"},
                    new String[] {"GET", "/jobs/batch?job_id=x"}, new String[] {"DELETE", "/jobs/batch?job_id=x"})) {
                ApiClient.Response r = anna.send(route[0], route[1], route[0].equals("POST") ? job : null);
                assertThat(r.status()).as("%s %s", route[0], route[1]).isEqualTo(403);
                assertThat(r.message()).isEqualTo("User is not allowed to use this endpoint");
            }

            // a Keycloak user may use them (a minted token here; KeycloakLoginTest logs in through /auth/keycloak)
            var kcUser = new UserStore(db.database()).createKeycloakUser("plgkc", "CERT", "KEY");
            Tokens tokens = new Tokens(TestServer.SECRET, java.time.Duration.ofMinutes(10), java.time.Duration.ofHours(2),
                    java.time.Clock.systemUTC());
            String cookie = "access_token=" + tokens.issue(kcUser, Tokens.Kind.ACCESS).token();
            ApiClient kc = server.client();
            ApiClient.Response clusters = kc.get("/user/clusters", "Cookie", cookie);
            assertThat(clusters.json().path("clusters").findValuesAsText("cluster_name")).containsExactly("ares");
            ApiClient.Response submitted = kc.send("POST", "/jobs/batch", job, "Cookie", cookie);
            assertThat(submitted.status()).isEqualTo(202);
            assertThat(submitted.message()).isEqualTo("Job submitted");
            String batchJob = submitted.json().path("job_id").asText();
            assertThat(batchJob).endsWith("BATCH");
            ApiClient.Response status = kc.get("/jobs/batch?job_id=" + batchJob, "Cookie", cookie);
            assertThat(status.json().path("job_state").asText()).isEqualTo("PENDING");
            assertThat(status.json().path("job_tasks_status")).hasSize(4);
            ApiClient.Response direct = kc.get("/jobs/direct?job_id=" + batchJob, "Cookie", cookie);
            assertThat(direct.status()).isEqualTo(400);
            assertThat(direct.message()).contains("runs on BATCH; use /jobs/batch");
            ApiClient.Response cancel = kc.send("DELETE", "/jobs/batch?job_id=" + batchJob, null, "Cookie", cookie);
            assertThat(cancel.message()).isEqualTo("Job canceled");
            assertThat(kc.get("/jobs?job_id=" + batchJob, "Cookie", cookie).json().path("job_state").asText())
                    .isEqualTo("CANCELED");
        }
    }

    @DatabaseTest
    void workersNeedTheUpdateKeyOfThatVerySimulation(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            ObjectNode job = UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit");
            SimulationStore sims = new SimulationStore(db.database());
            long first = sims.findByJobId(anna.post("/jobs/direct", job).json().path("job_id").asText()).orElseThrow().id();
            long second = sims.findByJobId(anna.post("/jobs/direct", job).json().path("job_id").asText()).orElseThrow().id();
            String secondKey = sims.rotateUpdateKey(second);
            Map<String, Long> rows = SeedRows.counts(db.jdbi());

            for (String key : List.of(secondKey, "wrong-key", "")) {
                ObjectNode task = ApiClient.JSON.createObjectNode().put("simulation_id", first).put("task_id", 0).put("update_key", key);
                task.putObject("update_dict").put("task_state", "RUNNING");
                ObjectNode results = ApiClient.JSON.createObjectNode().put("simulation_id", first).put("update_key", key);
                results.putArray("estimators");
                ObjectNode logs = ApiClient.JSON.createObjectNode().put("simulation_id", first).put("update_key", key);
                logs.putObject("logfiles").put("a.log", "text");
                for (var call : List.of(Map.entry("/tasks", task), Map.entry("/results", results), Map.entry("/logfiles", logs))) {
                    ApiClient.Response r = anna.post(call.getKey(), call.getValue());
                    assertThat(r.status()).as("POST %s with key '%s'", call.getKey(), key).isEqualTo(400);
                    assertThat(r.message()).isEqualTo("Invalid update key");
                }
            }
            ObjectNode unknown = ApiClient.JSON.createObjectNode().put("simulation_id", 999_999).put("task_id", 0)
                    .put("update_key", secondKey);
            unknown.putObject("update_dict").put("task_state", "RUNNING");
            assertThat(anna.post("/tasks", unknown).message()).isEqualTo("Simulation 999999 does not exist");
            ObjectNode noTask = ApiClient.JSON.createObjectNode().put("simulation_id", second).put("task_id", 99)
                    .put("update_key", secondKey);
            noTask.putObject("update_dict").put("task_state", "RUNNING");
            ApiClient.Response r = anna.post("/tasks", noTask);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.message()).isEqualTo("Task 99 does not exist");
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);
            assertThat(anna.get("/jobs?job_id=" + sims.findById(first).orElseThrow().jobId()).json()
                    .path("job_state").asText()).isEqualTo("PENDING");
        }
    }

    @DatabaseTest
    void aWorkerWithAKeyTheOriginalStoredIsAcceptedAndTheKeyStoredInTheFastFormat(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            ObjectNode job = UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit");
            SimulationStore sims = new SimulationStore(db.database());
            long id = sims.findByJobId(anna.post("/jobs/direct", job).json().path("job_id").asText()).orElseThrow().id();
            var original = io.yaptide.store.testing.OriginalCredentials.simulationKeys().get(0);
            String legacyHash = io.yaptide.store.testing.OriginalDatabases.postgresRows("Simulation").stream()
                    .filter(r -> r.get("id").equals(String.valueOf(original.simulationId())))
                    .findFirst().orElseThrow().get("update_key_hash");
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE \"Simulation\" SET update_key_hash = :h WHERE id = :id")
                    .bind("h", legacyHash).bind("id", id).execute());

            ObjectNode wrong = ApiClient.JSON.createObjectNode().put("simulation_id", id).put("task_id", 0)
                    .put("update_key", original.updateKey() + "-wrong");
            wrong.putObject("update_dict").put("simulated_primaries", 5);
            assertThat(anna.post("/tasks", wrong).message()).isEqualTo("Invalid update key");

            for (int primaries : List.of(7, 9)) { // the first verifies the werkzeug hash; the second takes the fast path
                ObjectNode report = ApiClient.JSON.createObjectNode().put("simulation_id", id).put("task_id", 0)
                        .put("update_key", original.updateKey());
                report.putObject("update_dict").put("simulated_primaries", primaries);
                ApiClient.Response r = anna.post("/tasks", report);
                assertThat(r.status()).isEqualTo(202);
                assertThat(r.message()).isEqualTo("Task updated");
                assertThat(new io.yaptide.store.tasks.TaskStore(db.database()).find(id, 0).orElseThrow()
                        .simulatedPrimaries()).isEqualTo(primaries);
            }
            String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT update_key_hash FROM \"Simulation\" WHERE id = :id")
                    .bind("id", id).mapTo(String.class).one());
            assertThat(stored).isEqualTo(io.yaptide.store.simulations.UpdateKey.hash(original.updateKey()));
        }
    }
}
