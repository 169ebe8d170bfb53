package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.TestDatabase;
import java.io.IOException;
import java.util.List;

/** The seed's post-migration checklist, over a real socket: what a user and a worker do. */
class UserJourneyTest {
    static final String HTTP_DATE = "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";

    static ObjectNode payload(String fixture, String simType) throws IOException {
        ObjectNode p = (ObjectNode) ApiClient.JSON.readTree(Fixtures.read(fixture));
        p.put("sim_type", simType);
        return p;
    }

    static JsonNode waitForState(ApiClient client, String jobId, String state) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            JsonNode status = client.get("/jobs?job_id=" + jobId).json();
            if (status.path("job_state").asText().equals(state)) {
                return status;
            }
            assertThat(System.nanoTime()).as("job %s reaches %s, now %s", jobId, state, status).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @DatabaseTest
    void aUserRunsADummySimulationAndReadsEverythingBack(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client();
            assertThat(anna.get("/").json().path("message").asText()).isEqualTo("Hello World!");

            ApiClient.Response registered = anna.register("anna", "anna-pw");
            assertThat(registered.status()).isEqualTo(201);
            assertThat(registered.json().properties()).hasSize(1);
            assertThat(registered.message()).isEqualTo("User created");

            long before = System.currentTimeMillis();
            ApiClient.Response login = anna.login("anna", "anna-pw");
            assertThat(login.status()).isEqualTo(202);
            assertThat(login.message()).isEqualTo("Successfully logged in");
            assertThat(login.json().path("access_exp").asLong()).isBetween(before + 599_000, before + 602_000);
            assertThat(login.json().path("refresh_exp").asLong()).isBetween(before + 7_199_000, before + 7_202_000);
            assertThat(login.headers().allValues("Set-Cookie"))
                    .anySatisfy(c -> assertThat(c).startsWith("access_token=").contains("HttpOnly", "SameSite=Lax"))
                    .anySatisfy(c -> assertThat(c).startsWith("refresh_token=").contains("HttpOnly", "SameSite=Lax"));
            assertThat(anna.get("/auth/status").json().path("username").asText()).isEqualTo("anna");

            // submit a dummy job with the real SHIELD-HIT12A files payload
            ApiClient.Response submitted = anna.post("/jobs/direct", payload("shieldhit_json_payload_files.json", "dummy"));
            assertThat(submitted.status()).isEqualTo(202);
            assertThat(submitted.message()).isEqualTo("Task started");
            String jobId = submitted.json().path("job_id").asText();
            assertThat(jobId).matches("\\d{8}-\\d{6}-[0-9a-f-]{36}DIRECT");

            JsonNode input = anna.get("/inputs?job_id=" + jobId).json();
            assertThat(input.path("message").asText()).isEqualTo("Input of simulation");
            assertThat(input.path("input").path("input_type").asText()).isEqualTo("FILES");
            assertThat(input.path("input").path("number_of_all_primaries").asLong()).isEqualTo(10000);
            assertThat(input.path("input").path("input_files").path("beam.dat").asText()).contains("NSTAT       2500    0");

            JsonNode done = waitForState(anna, jobId, "COMPLETED");
            assertThat(done.path("message").asText()).isEqualTo("Job state: COMPLETED");
            assertThat(done.path("job_tasks_status")).hasSize(4).allSatisfy(task -> {
                assertThat(task.path("task_state").asText()).isEqualTo("COMPLETED");
                assertThat(task.path("requested_primaries").asInt()).isEqualTo(2500);
                assertThat(task.path("simulated_primaries").asInt()).isEqualTo(2500);
                assertThat(task.path("start_time").asText()).matches(HTTP_DATE);
                assertThat(task.path("end_time").asText()).matches(HTTP_DATE);
                assertThat(task.path("last_update_time").asText()).matches(HTTP_DATE);
                assertThat(task.has("estimated_time")).isFalse();
            });

            // results: the worker's estimators come back as posted, plain or as stored gzip
            JsonNode posted = ApiClient.JSON.readTree(Fixtures.read("json_with_results.json")).path("estimators");
            ApiClient.Response plain = anna.get("/results?job_id=" + jobId);
            assertThat(plain.status()).isEqualTo(200);
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(plain.json().path("message").asText()).isEqualTo("Results for job: " + jobId);
            assertThat(plain.json().path("estimators")).isEqualTo(posted);
            ApiClient.Response gzipped = anna.get("/results?job_id=" + jobId, "Accept-Encoding", "gzip");
            assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(gzipped.body().length).isLessThan(plain.body().length / 2);
            assertThat(gzipped.decoded()).isEqualTo(plain.body());
            // the length is known up front: a Content-Length, not chunked framing
            assertThat(gzipped.headers().firstValueAsLong("Content-Length")).hasValue(gzipped.body().length);
            assertThat(plain.headers().firstValueAsLong("Content-Length")).hasValue(plain.body().length);

            JsonNode page = anna.get("/results?job_id=" + jobId + "&estimator_name=z_profile_&page_number=1",
                    "Accept-Encoding", "gzip").json();
            assertThat(page.path("message").asText()).isEqualTo("Page retrieved successfully");
            assertThat(page.path("page")).isEqualTo(posted.path(2).path("pages").path(1));
            JsonNode pages = anna.get("/results?job_id=" + jobId + "&estimator_name=z_profile_&page_numbers=0-1,3").json();
            assertThat(pages.path("pages")).containsExactly(posted.path(2).path("pages").path(0),
                    posted.path(2).path("pages").path(1), posted.path(2).path("pages").path(3));
            JsonNode one = anna.get("/results?job_id=" + jobId + "&estimator_name=peak_").json();
            assertThat(one.path("name").asText()).isEqualTo("peak_");
            assertThat(one.path("pages")).isEqualTo(posted.path(3).path("pages"));

            JsonNode logs = anna.get("/logfiles?job_id=" + jobId).json();
            assertThat(logs.path("message").asText()).isEqualTo("Logfiles");
            assertThat(logs.path("logfiles").path("dummy_0001.log").asText()).contains("primaries");
            for (String path : List.of("/logfiles?job_id=", "/inputs?job_id=")) {
                ApiClient.Response stored = anna.get(path + jobId, "Accept-Encoding", "gzip");
                assertThat(stored.headers().firstValue("Content-Encoding")).as(path).contains("gzip");
                assertThat(stored.json()).isEqualTo(anna.get(path + jobId).json());
            }

            // a SHIELD-HIT12A job waits PENDING for an external worker, which reports with its key
            String pendingJob = anna.post("/jobs/direct", payload("json_payload_editor.json", "shieldhit")).json()
                    .path("job_id").asText();
            assertThat(anna.get("/jobs?job_id=" + pendingJob).json().path("job_state").asText()).isEqualTo("PENDING");
            SimulationStore sims = new SimulationStore(db.database());
            long simId = sims.findByJobId(pendingJob).orElseThrow().id();
            String key = sims.rotateUpdateKey(simId);
            ObjectNode progress = ApiClient.JSON.createObjectNode().put("simulation_id", simId).put("task_id", 1)
                    .put("update_key", key);
            progress.putObject("update_dict").put("task_state", "RUNNING").put("start_time", "2024-10-29 22:23:14.123456")
                    .put("requested_primaries", 2500).put("simulated_primaries", 1000).put("estimated_time", 3725);
            ApiClient.Response accepted = anna.post("/tasks", progress);
            assertThat(accepted.status()).isEqualTo(202);
            assertThat(accepted.message()).isEqualTo("Task updated");
            JsonNode running = anna.get("/jobs?job_id=" + pendingJob).json();
            assertThat(running.path("job_state").asText()).isEqualTo("RUNNING");
            JsonNode task1 = running.path("job_tasks_status").path(1);
            assertThat(task1.path("simulated_primaries").asInt()).isEqualTo(1000);
            assertThat(task1.path("start_time").asText()).isEqualTo("Tue, 29 Oct 2024 22:23:14 GMT");
            assertThat(task1.path("estimated_time").path("hours").asInt()).isEqualTo(1);
            assertThat(task1.path("estimated_time").path("minutes").asInt()).isEqualTo(2);
            assertThat(task1.path("estimated_time").path("seconds").asInt()).isEqualTo(5);
            String third = anna.post("/jobs/direct", payload("fluka_json_payload_files.json", "fluka")).json()
                    .path("job_id").asText();

            // listing with pagination: newest first by default, the original's 1-based page_idx
            JsonNode all = anna.get("/user/simulations").json();
            assertThat(all.path("message").asText()).isEqualTo("User Simulations");
            assertThat(all.path("simulations_count").asInt()).isEqualTo(3);
            assertThat(all.path("page_count").asInt()).isEqualTo(1);
            assertThat(all.path("simulations").findValuesAsText("job_id")).containsExactly(third, pendingJob, jobId);
            JsonNode first = all.path("simulations").path(2);
            assertThat(first.path("start_time").asText()).matches(HTTP_DATE);
            assertThat(first.path("end_time").asText()).matches(HTTP_DATE);
            assertThat(first.path("metadata").path("platform").asText()).isEqualTo("DIRECT");
            assertThat(first.path("metadata").path("sim_type").asText()).isEqualTo("dummy");
            assertThat(first.path("metadata").path("input_type").asText()).isEqualTo("FILES");
            assertThat(first.path("metadata").path("server").asText()).isEqualTo("Yaptide");
            assertThat(all.path("simulations").path(0).path("end_time").isNull()).isTrue();
            JsonNode page2 = anna.get("/user/simulations?page_size=2&page_idx=2&order_by=start_time&order_type=descend").json();
            assertThat(page2.path("page_count").asInt()).isEqualTo(2);
            assertThat(page2.path("simulations").findValuesAsText("job_id")).containsExactly(jobId);
            JsonNode ascending = anna.get("/user/simulations?page_size=2&page_idx=1&order_type=ascend").json();
            assertThat(ascending.path("simulations").findValuesAsText("job_id")).containsExactly(jobId, pendingJob);

            // delete: a finished simulation goes, a running one stays
            ApiClient.Response refused = anna.delete("/user/simulations?job_id=" + pendingJob);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.message()).contains("is currently running");
            ApiClient.Response deleted = anna.delete("/user/simulations?job_id=" + jobId);
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.message()).isEqualTo("Simulation with job_id=" + jobId + " successfully deleted from database");
            assertThat(anna.get("/results?job_id=" + jobId).status()).isEqualTo(404);
            assertThat(anna.get("/user/simulations").json().path("simulations_count").asInt()).isEqualTo(2);

            // cancel the running one
            JsonNode cancelled = anna.delete("/jobs/direct?job_id=" + pendingJob).json();
            assertThat(cancelled.path("merge").path("job_state").asText()).isEqualTo("CANCELED");
            assertThat(cancelled.path("tasks")).hasSize(4);
            assertThat(anna.get("/jobs?job_id=" + pendingJob).json().path("job_state").asText()).isEqualTo("CANCELED");
            assertThat(anna.post("/tasks", progress).message()).contains("already finished");

            ApiClient.Response out = anna.delete("/auth/logout");
            assertThat(out.status()).isEqualTo(200);
            assertThat(out.message()).isEqualTo("User logged out");
            assertThat(out.headers().allValues("Set-Cookie")).allSatisfy(c -> assertThat(c).contains("Max-Age=0"));
            ApiClient.Response after = anna.get("/auth/status");
            assertThat(after.status()).isEqualTo(401);
            assertThat(after.message()).isEqualTo("No token provided");
            assertThat(List.of(after.json().fieldNames().next())).containsExactly("message");
        }
    }
}
