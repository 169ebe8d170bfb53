package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.dispatch.celery.CeleryConfig;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.StandInWorker;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Direct jobs on a REAL Celery worker (Debian's Celery running the stand-in of the original's worker
 * modules, src/test/python) over the real Redis on 127.0.0.1:6379 (a database of its own, emptied per test: {@link io.yaptide.store.testing.TestRedis}).
 */
class CeleryWorkersTest {
    static final String REDIS = io.yaptide.store.testing.TestRedis.URL;

    static CeleryConfig celery(String url, Duration silence) {
        io.yaptide.store.config.RedisUrl redis = io.yaptide.store.config.RedisUrl.parse("test", url);
        return new CeleryConfig(redis, redis, "simulations", silence, Duration.ofMillis(500));
    }

    @BeforeEach
    void emptyRedis() {
        try (Jedis j = new Jedis(URI.create(REDIS))) {
            j.flushDB();
        }
    }

    /** The SHIELD-HIT12A files payload with {@code ntasks} and a steering file for the stand-in. */
    static ObjectNode job(int ntasks, String steering) throws Exception {
        ObjectNode p = UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit");
        p.put("ntasks", ntasks);
        ((ObjectNode) p.get("input_files")).put("standin.json", steering);
        return p;
    }

    static JsonNode waitFor(ApiClient client, String jobId, Predicate<JsonNode> done, List<String> seen,
                            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = client.get("/jobs?job_id=" + jobId).json();
            String state = status.path("job_state").asText();
            if (seen != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state))) {
                seen.add(state);
            }
            if (done.test(status)) {
                return status;
            }
            assertThat(System.nanoTime()).as("job %s: %s", jobId, status).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static Predicate<JsonNode> state(String s) {
        return n -> n.path("job_state").asText().equals(s);
    }

    @Test
    void aThreeTaskShieldhitJobRunsOnTheRealWorkerAndIsMerged() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES);
             TestServer server = TestServer.start(db, celery(REDIS, Duration.ofMinutes(5)));
             StandInWorker worker = StandInWorker.simulations(REDIS, server.url())) {
            ApiClient anna = server.client().signedUp("anna");
            // the figure: submission to the first task report (RUNNING), on a one-task job
            long t0 = System.nanoTime();
            String first = anna.post("/jobs/direct", job(1, "{\"mode\":\"ok\",\"seconds\":0.1}")).json().path("job_id").asText();
            waitFor(anna, first, n -> n.path("job_tasks_status").findValuesAsText("task_state").contains("RUNNING")
                    || n.path("job_state").asText().equals("COMPLETED"), null, Duration.ofSeconds(60));
            long firstReportMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("FIGURE celery.first_task_report_ms=" + firstReportMs);
            waitFor(anna, first, state("COMPLETED"), null, Duration.ofSeconds(60));

            ApiClient.Response submitted = anna.post("/jobs/direct", job(3, "{\"mode\":\"ok\",\"seconds\":1.5,\"start_delay\":0.3}"));
            assertThat(submitted.status()).isEqualTo(202);
            String jobId = submitted.json().path("job_id").asText();
            List<String> seen = new ArrayList<>();
            JsonNode firstReport = waitFor(anna, jobId, n -> n.path("job_tasks_status").findValuesAsText("task_state")
                    .contains("RUNNING"), seen, Duration.ofSeconds(60));
            assertThat(firstReport.path("job_tasks_status")).hasSize(3);
            JsonNode done = waitFor(anna, jobId, state("COMPLETED"), seen, Duration.ofSeconds(60));

            assertThat(seen.get(0)).isEqualTo("PENDING"); // the tasks wait 0.3 s before reporting RUNNING
            assertThat(seen).containsSubsequence("PENDING", "RUNNING", "COMPLETED");
            assertThat(seen).anyMatch(s -> s.startsWith("MERGING"));
            for (JsonNode task : done.path("job_tasks_status")) {
                assertThat(task.path("task_state").asText()).isEqualTo("COMPLETED");
                assertThat(task.path("requested_primaries").asInt()).isEqualTo(3333);
                assertThat(task.path("simulated_primaries").asInt()).isEqualTo(3333);
            }
            // each task ran under the Celery id stored at submission, the merge under the stored merge id
            List<String> celeryIds = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT c.celery_id FROM \"CeleryTask\" c JOIN \"Task\" t ON t.id = c.id JOIN \"Simulation\" s"
                            + " ON s.id = t.simulation_id WHERE s.job_id = :job ORDER BY t.task_id")
                    .bind("job", jobId).mapTo(String.class).list());
            assertThat(celeryIds).hasSize(3).doesNotHaveDuplicates();
            String mergeId = db.jdbi().withHandle(h -> h.createQuery("SELECT c.merge_id FROM \"CelerySimulation\" c"
                            + " JOIN \"Simulation\" s ON s.id = c.id WHERE s.job_id = :job")
                    .bind("job", jobId).mapTo(String.class).one());
            try (Jedis j = new Jedis(URI.create(REDIS))) {
                for (String id : celeryIds) {
                    assertThat(j.get("celery-task-meta-" + id)).contains("\"SUCCESS\"");
                }
                assertThat(j.get("celery-task-meta-" + mergeId)).contains("\"SUCCESS\"");
            }
            JsonNode results = anna.get("/results?job_id=" + jobId).json();
            JsonNode estimator = results.path("estimators").get(0);
            assertThat(estimator.path("name").asText()).isEqualTo("z_profile_"); // files jobs keep the simulator's names
            // tasks reported 1, 2, 3 in the first bin: the merge averaged them
            assertThat(estimator.path("pages").get(0).path("data").path("values").get(0).asDouble()).isEqualTo(2.0);
            assertThat(estimator.path("metadata").path("number_of_primaries").asText()).isEqualTo("9999");

            // throughput of the dispatch: jobs recorded and published to Redis per second
            int n = 40;
            long s0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                assertThat(anna.post("/jobs/direct", job(1, "{\"mode\":\"ok\",\"seconds\":0.1}")).status()).isEqualTo(202);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM yaptide_celery_outbox WHERE dispatch_state = 'QUEUED'").mapTo(Integer.class).one()) > 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - s0) / 1e9;
            System.out.printf("FIGURE celery.jobs_dispatched_per_second=%.0f (%d jobs submitted over HTTP and sent in %.2f s)%n",
                    n / seconds, n, seconds);
        }
    }

    @Test
    void tasksThatAllFailEndTheJobFailedWithTheirLogs() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE);
             TestServer server = TestServer.start(db, celery(REDIS, Duration.ofMinutes(5)));
             StandInWorker worker = StandInWorker.simulations(REDIS, server.url())) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", job(3, "{\"mode\":\"fail\",\"seconds\":0.2}")).json().path("job_id").asText();
            JsonNode failed = waitFor(anna, jobId, state("FAILED"), null, Duration.ofSeconds(60));
            assertThat(failed.path("job_tasks_status").findValuesAsText("task_state")).containsOnly("FAILED");
            // the job is FAILED as soon as its tasks are (the original's status rule); the merge step
            // posts the failed tasks' log files after that
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            JsonNode logs;
            while ((logs = anna.get("/logfiles?job_id=" + jobId).json().path("logfiles")).size() < 3) {
                assertThat(System.nanoTime()).as("log files arrive").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(anna.get("/jobs?job_id=" + jobId).json().path("job_state").asText()).isEqualTo("FAILED");
            assertThat(logs.path("shieldhit_0002.log").asText()).isEqualTo("stand-in: task 1 crashed\n");
        }
    }

    @Test
    void aMergeThatFailsEndsTheJobFailed() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE);
             TestServer server = TestServer.start(db, celery(REDIS, Duration.ofMinutes(5)));
             StandInWorker worker = StandInWorker.simulations(REDIS, server.url())) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", job(2, "{\"mode\":\"merge_fail\",\"seconds\":0.2}")).json().path("job_id").asText();
            JsonNode failed = waitFor(anna, jobId, state("FAILED"), null, Duration.ofSeconds(60));
            assertThat(failed.path("job_tasks_status").findValuesAsText("task_state")).containsOnly("COMPLETED");
        }
    }

    @Test
    void aSimulatorTheWorkerCannotRunEndsTheJobFailed() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE);
             TestServer server = TestServer.start(db, celery(REDIS, Duration.ofMinutes(5)));
             StandInWorker worker = StandInWorker.simulations(REDIS, server.url())) {
            ApiClient anna = server.client().signedUp("anna");
            ObjectNode topas = job(2, "{}");
            topas.put("sim_type", "topas");
            ApiClient.Response submitted = anna.post("/jobs/direct", topas);
            assertThat(submitted.status()).as(submitted.json().toString()).isEqualTo(202);
            JsonNode failed = waitFor(anna, submitted.json().path("job_id").asText(), state("FAILED"), null, Duration.ofSeconds(60));
            assertThat(failed.path("job_tasks_status").findValuesAsText("task_state")).containsOnly("FAILED");
        }
    }

    @Test
    void aWorkerSilentPastTheDeadlineEndsTheJobFailedAndItsTasksAreStopped() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE);
             TestServer server = TestServer.start(db, celery(REDIS, Duration.ofSeconds(3)));
             StandInWorker worker = StandInWorker.simulations(REDIS, server.url())) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", job(2, "{\"mode\":\"hang\"}")).json().path("job_id").asText();
            waitFor(anna, jobId, state("RUNNING"), null, Duration.ofSeconds(60));
            JsonNode failed = waitFor(anna, jobId, state("FAILED"), null, Duration.ofSeconds(30));
            assertThat(failed.path("job_tasks_status").findValuesAsText("task_state")).containsOnly("FAILED");
            assertRevoked(db);
        }
    }

    @Test
    void cancelStopsTheRunningTasksOnTheWorkerAndQueuesTheCleanUp() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE);
             TestServer server = TestServer.start(db, celery(REDIS, Duration.ofMinutes(5)));
             StandInWorker worker = StandInWorker.simulations(REDIS, server.url());
             StandInWorker helper = StandInWorker.helper(REDIS, server.url())) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", job(3, "{\"mode\":\"hang\"}")).json().path("job_id").asText();
            waitFor(anna, jobId, n -> n.path("job_tasks_status").findValuesAsText("task_state").stream()
                    .allMatch("RUNNING"::equals), null, Duration.ofSeconds(60));
            ApiClient.Response canceled = anna.delete("/jobs/direct?job_id=" + jobId);
            assertThat(canceled.status()).isEqualTo(200);
            JsonNode status = anna.get("/jobs?job_id=" + jobId).json();
            assertThat(status.path("job_state").asText()).isEqualTo("CANCELED");
            assertThat(status.path("job_tasks_status").findValuesAsText("task_state")).containsOnly("CANCELED");
            assertRevoked(db);
            // the clean-up task reached the helper worker's queue and ran there
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!helper.log().matches("(?s).*Task yaptide\\.utils\\.helper_tasks\\.terminate_unfinished_tasks\\[[^]]+] succeeded.*")) {
                assertThat(System.nanoTime()).as("clean-up ran; helper log %s", helper.log()).isLessThan(deadline);
                Thread.sleep(100);
            }
            try (Jedis j = new Jedis(URI.create(REDIS))) {
                assertThat(j.llen("helper-short")).isZero();
            }
        }
    }

    @Test
    void emptyLogFilesNeverReplaceUsefulOnes() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE); TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", job(2, "{}")).json().path("job_id").asText();
            var simulations = new io.yaptide.store.simulations.SimulationStore(db.database());
            long id = simulations.findByJobId(jobId).orElseThrow().id();
            String key = simulations.rotateUpdateKey(id);
            ApiClient worker = server.client();
            ObjectNode useful = ApiClient.JSON.createObjectNode().put("simulation_id", id).put("update_key", key);
            useful.putObject("logfiles").put("shieldhit_0001.log", "crashed after 100 primaries");
            assertThat(worker.post("/logfiles", useful).status()).isEqualTo(202);
            ObjectNode empty = ApiClient.JSON.createObjectNode().put("simulation_id", id).put("update_key", key);
            empty.putObject("logfiles").put("shieldhit_0002.log", "");
            assertThat(worker.post("/logfiles", empty).status()).isEqualTo(202);
            ObjectNode viaJobs = ApiClient.JSON.createObjectNode().put("sim_id", id).put("update_key", key);
            viaJobs.putObject("log");
            assertThat(worker.post("/jobs", viaJobs).status()).isEqualTo(202);
            assertThat(anna.get("/logfiles?job_id=" + jobId).json().path("logfiles").path("shieldhit_0001.log").asText())
                    .isEqualTo("crashed after 100 primaries");
        }
    }

    /** Every task and the merge of the (only) job are REVOKED in the result backend: the worker stopped them. */
    static void assertRevoked(TestDatabase db) throws InterruptedException {
        List<String> ids = db.jdbi().withHandle(h -> h.createQuery("SELECT celery_id FROM \"CeleryTask\"")
                .mapTo(String.class).list());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (Jedis j = new Jedis(URI.create(REDIS))) {
            for (String id : ids) {
                while (true) {
                    String meta = j.get("celery-task-meta-" + id);
                    if (meta != null && meta.contains("\"REVOKED\"")) {
                        break;
                    }
                    assertThat(System.nanoTime()).as("task %s revoked, meta %s", id, meta).isLessThan(deadline);
                    Thread.sleep(50);
                }
            }
        }
    }
}
