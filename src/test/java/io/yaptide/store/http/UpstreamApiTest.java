package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.results.Estimator;
import io.yaptide.store.results.EstimatorNames;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.BatchSimulation;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.UpstreamHead;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The original's API since the seed, over a real socket, on the database the original made at its
 * current revision (adopted and upgraded): GET /estimators, page-wise GET /results, the job_state
 * filter, POST /jobs for workers, task_id in the job status, editor output names in POST /results,
 * with bad input and the access rules.
 */
class UpstreamApiTest {

    /** Fixture simulations (credentials.json): piotr's editor job with results, and his failed one. */
    private static final String PIOTR = "piotr.nowak";
    private static final long PIOTR_COMPLETED = 1;
    private static final long PIOTR_FAILED = 9;
    private static final long MARIA_COMPLETED = 2;
    private static final long MARIA_RUNNING = 10;
    private static final long KEYCLOAK_RUNNING_BATCH = 16;
    private static final long TOMASZ_PENDING_FLUKA_EDITOR = 11;

    record Fixture(Database db, YaptideServer server, JsonNode credentials) implements AutoCloseable {
        String jobId(long simulationId) {
            for (JsonNode s : credentials.path("simulations")) {
                if (s.path("simulation_id").asLong() == simulationId) {
                    return s.path("job_id").asText();
                }
            }
            throw new IllegalArgumentException("no simulation " + simulationId);
        }

        String password(String user) {
            for (JsonNode u : credentials.path("yaptide_users")) {
                if (u.path("username").asText().equals(user)) {
                    return u.path("password").asText();
                }
            }
            throw new IllegalArgumentException(user);
        }

        ApiClient loggedIn(String user) {
            ApiClient client = new ApiClient(server.baseUrl());
            assertThat(client.login(user, password(user)).status()).isEqualTo(202);
            return client;
        }

        @Override
        public void close() {
            server.close();
            db.close();
        }
    }

    static Fixture start(Engine engine) {
        DatabaseUrl url = UpstreamHead.database(engine);
        new Migrator(url).upgrade("head");
        HttpConfig config = new HttpConfig("127.0.0.1", 0, TestServer.SECRET, false, List.of(), TestServer.MAX_BODY,
                Duration.ofMinutes(10), Duration.ofHours(2), new HttpConfig.DummyConfig(1, Duration.ZERO, 1, null));
        Database db = Database.open(url);
        return new Fixture(db, TestServer.standard(db, config), UpstreamHead.credentials());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void estimatorsListEveryEstimatorWithItsPagesMetadata(Engine engine) {
        try (Fixture f = start(engine)) {
            ApiClient piotr = f.loggedIn(PIOTR);
            ApiClient.Response r = piotr.get("/estimators?job_id=" + f.jobId(PIOTR_COMPLETED));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.message()).isEqualTo("Estimators metadata");
            ResultStore results = new ResultStore(f.db());
            List<Estimator> stored = results.estimators(PIOTR_COMPLETED);
            JsonNode listed = r.json().path("estimators_metadata");
            assertThat(listed).hasSize(stored.size());
            assertThat(listed.findValuesAsText("name")).containsExactly("z_profile", "yz_profile", "entrance", "peak");
            int pages = 0;
            for (int i = 0; i < stored.size(); i++) {
                List<ResultPage> storedPages = results.pages(stored.get(i).id());
                JsonNode metadata = listed.get(i).path("pages_metadata");
                assertThat(metadata).hasSize(storedPages.size());
                for (int p = 0; p < storedPages.size(); p++) {
                    JsonNode page = storedPages.get(p).data().json();
                    assertThat(metadata.get(p).path("page_number").asInt()).isEqualTo(storedPages.get(p).pageNumber());
                    assertThat(metadata.get(p).path("page_name").asText()).isEqualTo(page.path("metadata").path("name").asText());
                    assertThat(metadata.get(p).path("page_dimension").asInt()).isEqualTo(page.path("dimensions").asInt());
                    pages++;
                }
            }
            assertThat(pages).isEqualTo(21);

            ApiClient.Response none = piotr.get("/estimators?job_id=" + f.jobId(PIOTR_FAILED));
            assertThat(none.status()).isEqualTo(404);
            assertThat(none.message()).isEqualTo("Pages metadata not found");
            assertThat(piotr.get("/estimators?job_id=" + f.jobId(MARIA_COMPLETED)).status()).isEqualTo(403);
            assertThat(piotr.get("/estimators?job_id=no-such-job").status()).isEqualTo(404);
            assertThat(piotr.get("/estimators").status()).isEqualTo(400);
            assertThat(new ApiClient(f.server().baseUrl()).get("/estimators?job_id=" + f.jobId(PIOTR_COMPLETED)).status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void resultsPageWiseByEstimatorNameAndBadInput(Engine engine) {
        try (Fixture f = start(engine)) {
            ApiClient piotr = f.loggedIn(PIOTR);
            String job = "/results?job_id=" + f.jobId(PIOTR_COMPLETED);
            ResultStore results = new ResultStore(f.db());
            Estimator zProfile = results.estimator(PIOTR_COMPLETED, "z_profile").orElseThrow();
            List<ResultPage> pages = results.pages(zProfile.id());
            assertThat(pages.size()).isGreaterThanOrEqualTo(2);

            JsonNode one = piotr.get(job + "&estimator_name=z_profile").json();
            assertThat(one.path("name").asText()).isEqualTo("z_profile");
            assertThat(one.path("metadata")).isEqualTo(zProfile.metadata().json());
            assertThat(one.path("pages")).hasSize(pages.size());
            assertThat(one.path("pages").get(0)).isEqualTo(pages.get(0).data().json());

            int first = pages.get(0).pageNumber();
            int second = pages.get(1).pageNumber();
            ApiClient.Response page = piotr.get(job + "&estimator_name=z_profile&page_number=" + second, "Accept-Encoding", "gzip");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().path("page")).isEqualTo(pages.get(1).data().json());
            JsonNode some = piotr.get(job + "&estimator_name=z_profile&page_numbers=" + first + "-" + second).json();
            assertThat(some.path("message").asText()).isEqualTo("Pages retrieved successfully");
            assertThat(some.path("pages")).containsExactly(pages.get(0).data().json(), pages.get(1).data().json());

            assertThat(piotr.get(job + "&estimator_name=nope").status()).isEqualTo(404);
            assertThat(piotr.get(job + "&estimator_name=nope").message()).isEqualTo("Estimator not found");
            assertThat(piotr.get(job + "&estimator_name=z_profile&page_number=9999").status()).isEqualTo(404);
            assertThat(piotr.get(job + "&estimator_name=z_profile&page_numbers=0-9999").status()).isEqualTo(404);
            for (String bad : List.of("1-x", "3-1", "a", "1,,2", "-2")) {
                ApiClient.Response r = piotr.get(job + "&estimator_name=z_profile&page_numbers=" + bad);
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(r.message()).as(bad).contains("page_numbers");
            }
            assertThat(piotr.get(job + "&estimator_name=z_profile&page_number=x").status()).isEqualTo(400);
            assertThat(piotr.get("/results?job_id=" + f.jobId(MARIA_COMPLETED) + "&estimator_name=z_profile").status()).isEqualTo(403);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void userSimulationsFilteredByJobState(Engine engine) {
        try (Fixture f = start(engine)) {
            ApiClient piotr = f.loggedIn(PIOTR);
            JsonNode completed = piotr.get("/user/simulations?job_state=COMPLETED").json();
            assertThat(completed.path("simulations").findValuesAsText("job_id")).containsExactly(f.jobId(PIOTR_COMPLETED));
            assertThat(completed.path("simulations_count").asInt()).isEqualTo(1);
            assertThat(completed.path("page_count").asInt()).isEqualTo(1);
            JsonNode both = piotr.get("/user/simulations?page_idx=1&page_size=6&order_type=descend&order_by=start_time"
                    + "&job_state=COMPLETED,FAILED,MERGING_QUEUED").json();
            assertThat(both.path("simulations_count").asInt()).isEqualTo(2);
            assertThat(piotr.get("/user/simulations?job_state=").json().path("simulations_count").asInt()).isEqualTo(2);
            assertThat(piotr.get("/user/simulations?job_state=RUNNING").json().path("simulations_count").asInt()).isZero();
            for (String bad : List.of("BOGUS", "completed", "COMPLETED,", "COMPLETED;FAILED")) {
                ApiClient.Response r = piotr.get("/user/simulations?job_state=" + bad);
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(r.json().path("job_state").get(0).asText()).isEqualTo("Invalid job state");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void jobStatusListsTasksSortedWithTheirTaskId(Engine engine) {
        try (Fixture f = start(engine)) {
            JsonNode status = f.loggedIn(PIOTR).get("/jobs?job_id=" + f.jobId(PIOTR_COMPLETED)).json();
            List<Long> ids = new ArrayList<>();
            status.path("job_tasks_status").forEach(t -> ids.add(t.path("task_id").asLong()));
            assertThat(ids).hasSize(2).isSorted().doesNotHaveDuplicates();
            assertThat(ids).allMatch(id -> id > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void workersOfAdoptedRunningJobsReportThroughPostJobsAfterRotateUpdateKey(Engine engine) {
        try (Fixture f = start(engine)) {
            ApiClient worker = new ApiClient(f.server().baseUrl());
            SimulationStore simulations = new SimulationStore(f.db());
            // the original's key was a JWT of a secret gone with its process: nothing here accepts it
            ObjectNode report = ApiClient.JSON.createObjectNode().put("sim_id", MARIA_RUNNING).put("update_key", "eyJhbGciOiJIUzI1NiJ9.e30.x")
                    .put("job_state", "MERGING_QUEUED");
            assertThat(worker.post("/jobs", report).status()).isEqualTo(400);
            assertThat(worker.post("/jobs", report).message()).isEqualTo("Invalid update key");

            String key = simulations.rotateUpdateKey(MARIA_RUNNING);
            report.put("update_key", key);
            ApiClient.Response accepted = worker.post("/jobs", report);
            assertThat(accepted.status()).isEqualTo(202);
            assertThat(accepted.message()).isEqualTo("Task updated");
            assertThat(simulations.findById(MARIA_RUNNING).orElseThrow().state()).isEqualTo(JobState.MERGING_QUEUED);

            ObjectNode done = ApiClient.JSON.createObjectNode().put("sim_id", MARIA_RUNNING).put("update_key", key)
                    .put("job_state", "COMPLETED").put("end_time", "2026-12-02 01:02:03.456789");
            done.putObject("log").put("run.log", "all good\n");
            assertThat(worker.post("/jobs", done).status()).isEqualTo(202);
            var finished = simulations.findById(MARIA_RUNNING).orElseThrow();
            assertThat(finished.state()).isEqualTo(JobState.COMPLETED);
            assertThat(finished.endTime()).hasToString("2026-12-02T01:02:03.456789Z");
            JsonNode logs = f.loggedIn("maria.zielinska").get("/logfiles?job_id=" + f.jobId(MARIA_RUNNING)).json();
            assertThat(logs.path("logfiles").path("run.log").asText()).isEqualTo("all good\n");
            // a finished job keeps its state
            assertThat(worker.post("/jobs", done.deepCopy().put("job_state", "RUNNING")).status()).isEqualTo(202);
            assertThat(simulations.findById(MARIA_RUNNING).orElseThrow().state()).isEqualTo(JobState.COMPLETED);

            // a batch job's ids
            String batchKey = simulations.rotateUpdateKey(KEYCLOAK_RUNNING_BATCH);
            ObjectNode ids = ApiClient.JSON.createObjectNode().put("sim_id", KEYCLOAK_RUNNING_BATCH).put("update_key", batchKey)
                    .put("job_dir", "/net/ares/jobs/16").put("array_id", 4711).put("collect_id", 4712);
            assertThat(worker.post("/jobs", ids).status()).isEqualTo(202);
            BatchSimulation batch = (BatchSimulation) simulations.findById(KEYCLOAK_RUNNING_BATCH).orElseThrow();
            assertThat(batch.jobDir()).isEqualTo("/net/ares/jobs/16");
            assertThat(batch.arrayId()).isEqualTo(4711);
            assertThat(batch.collectId()).isEqualTo(4712);

            // bad input: 400 with a message, nothing changed
            List<ObjectNode> bad = List.of(
                    ApiClient.JSON.createObjectNode().put("update_key", batchKey),
                    ApiClient.JSON.createObjectNode().put("sim_id", KEYCLOAK_RUNNING_BATCH),
                    ApiClient.JSON.createObjectNode().put("sim_id", 9999).put("update_key", batchKey),
                    ids.deepCopy().put("job_state", "BOGUS"),
                    ids.deepCopy().put("end_time", "yesterday"),
                    ids.deepCopy().put("array_id", "many"),
                    ids.deepCopy().put("sim_id", "16"));
            for (ObjectNode body : bad) {
                ApiClient.Response r = worker.post("/jobs", body);
                assertThat(r.status()).as(body.toString()).isEqualTo(400);
                assertThat(r.message()).as(body.toString()).isNotBlank();
            }
            assertThat(worker.post("/jobs", ApiClient.JSON.createObjectNode().put("sim_id", 9999).put("update_key", batchKey)).message())
                    .isEqualTo("Simulation 9999 does not exist");
            assertThat(simulations.findById(KEYCLOAK_RUNNING_BATCH).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void postedResultsOfAnEditorJobAreNamedAfterTheProjectsOutputs(Engine engine) {
        try (Fixture f = start(engine)) {
            SimulationStore simulations = new SimulationStore(f.db());
            ResultStore results = new ResultStore(f.db());
            List<String> outputs = EstimatorNames.outputNames(results.input(TOMASZ_PENDING_FLUKA_EDITOR).orElseThrow().data().json());
            assertThat(outputs).isNotEmpty();
            String key = simulations.rotateUpdateKey(TOMASZ_PENDING_FLUKA_EDITOR);

            // the simulator's files, alphabetically: not the project's order
            ObjectNode body = ApiClient.JSON.createObjectNode().put("simulation_id", TOMASZ_PENDING_FLUKA_EDITOR).put("update_key", key);
            ArrayNode estimators = body.putArray("estimators");
            for (String output : outputs.stream().sorted().toList()) {
                ObjectNode e = estimators.addObject().put("name", output + "_");
                e.putObject("metadata").put("file", output + "_");
                ObjectNode page = e.putArray("pages").addObject().put("dimensions", 1);
                page.putObject("metadata").put("page_number", "0").put("name", "Dose of " + output);
                page.putObject("data").putArray("values").add(1.5);
            }
            ApiClient worker = new ApiClient(f.server().baseUrl());
            assertThat(worker.post("/results", body).status()).isEqualTo(202);

            ApiClient tomasz = f.loggedIn("tomasz.wojcik");
            JsonNode listed = tomasz.get("/estimators?job_id=" + f.jobId(TOMASZ_PENDING_FLUKA_EDITOR)).json().path("estimators_metadata");
            assertThat(listed.findValuesAsText("name")).containsExactlyElementsOf(outputs);
            assertThat(listed.get(0).path("pages_metadata").get(0).path("page_name").asText()).isEqualTo("Dose of " + outputs.get(0));
            assertThat(listed.get(0).path("pages_metadata").get(0).path("page_dimension").asInt()).isEqualTo(1);
            JsonNode one = tomasz.get("/results?job_id=" + f.jobId(TOMASZ_PENDING_FLUKA_EDITOR) + "&estimator_name=" + outputs.get(0)).json();
            assertThat(one.path("metadata").path("file").asText()).isEqualTo(outputs.get(0) + "_");
            List<String> fileNames = f.db().jdbi().withHandle(h -> h.createQuery(
                            "SELECT file_name FROM \"Estimator\" WHERE simulation_id = :sim ORDER BY id")
                    .bind("sim", TOMASZ_PENDING_FLUKA_EDITOR).mapTo(String.class).list());
            assertThat(fileNames).containsExactlyElementsOf(outputs.stream().map(o -> o + "_").toList());
            assertThat(simulations.findById(TOMASZ_PENDING_FLUKA_EDITOR).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        }
    }
}
