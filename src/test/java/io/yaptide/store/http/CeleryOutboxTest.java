package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yaptide.store.cli.Main;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.RedisProcess;
import io.yaptide.store.testing.StandInWorker;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A 202 means the job reaches the workers: Redis down at submission, the service killed after answering. */
class CeleryOutboxTest {

    static Map<String, Object> outboxRow(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT dispatch_state, attempts, last_error, message FROM yaptide_celery_outbox").mapToMap().one());
    }

    @Test
    void aJobSubmittedWhileRedisIsDownIsSentOnceWhenItComesBack() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE); RedisProcess redis = new RedisProcess();
             TestServer server = TestServer.start(db, CeleryWorkersTest.celery(redis.url(), Duration.ofMinutes(5)))) {
            ApiClient anna = server.client().signedUp("anna");
            ApiClient.Response submitted = anna.post("/jobs/direct", CeleryWorkersTest.job(2, "{\"seconds\":0.2}"));
            assertThat(submitted.status()).isEqualTo(202);
            String jobId = submitted.json().path("job_id").asText();
            Thread.sleep(2000);
            JsonNode status = anna.get("/jobs?job_id=" + jobId).json();
            assertThat(status.path("job_state").asText()).isEqualTo("PENDING");
            assertThat(status.path("dispatch_state").asText()).isEqualTo("queued");
            Map<String, Object> row = outboxRow(db);
            assertThat(row.get("dispatch_state")).isEqualTo("QUEUED");
            assertThat(((Number) row.get("attempts")).intValue()).isGreaterThanOrEqualTo(2); // retried, backing off
            assertThat((String) row.get("last_error")).isNotBlank();

            redis.start();
            try (StandInWorker worker = StandInWorker.simulations(redis.url(), server.url())) {
                JsonNode done = CeleryWorkersTest.waitFor(anna, jobId, CeleryWorkersTest.state("COMPLETED"), null,
                        Duration.ofSeconds(90));
                assertThat(done.has("dispatch_state")).isFalse();
                assertThat(done.path("job_tasks_status").findValuesAsText("task_state")).containsOnly("COMPLETED");
                // each task was received by the worker exactly once
                Matcher received = Pattern.compile("Task yaptide\\.celery\\.tasks\\.run_single_simulation\\[[^]]+] received")
                        .matcher(worker.log());
                int count = 0;
                while (received.find()) {
                    count++;
                }
                assertThat(count).isEqualTo(2);
            }
            assertThat(outboxRow(db).get("message")).isNull(); // the update key is not kept once sent
        }
    }

    @Test
    void aJobCanceledBeforeItWasSentIsNeverSent() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE); RedisProcess redis = new RedisProcess();
             TestServer server = TestServer.start(db, CeleryWorkersTest.celery(redis.url(), Duration.ofMinutes(5)))) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", CeleryWorkersTest.job(2, "{}")).json().path("job_id").asText();
            assertThat(anna.delete("/jobs/direct?job_id=" + jobId).status()).isEqualTo(200);
            assertThat(outboxRow(db).get("dispatch_state")).isEqualTo("CANCELED");
            assertThat(outboxRow(db).get("message")).isNull();
            redis.start();
            Thread.sleep(3000); // past the next retry
            try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", redis.port)) {
                assertThat(j.exists("simulations")).isFalse();
            }
            assertThat(anna.get("/jobs?job_id=" + jobId).json().path("job_state").asText()).isEqualTo("CANCELED");
        }
    }

    @Test
    void aJobAcceptedByAServiceKilledRightAfterTheAnswerIsSentAfterTheRestart() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE); RedisProcess redis = new RedisProcess()) {
            db.closePool();
            Path stderr = Files.createTempFile("serve", ".err");
            ProcessBuilder pb = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dlogback.configurationFile=logback.xml",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "--db", db.url().render(true), "serve", "--port", "0"))
                    .redirectError(stderr.toFile());
            // Redis is not up yet, so the job is still in the outbox when the process is killed
            pb.environment().put("YAPTIDE_CELERY_BROKER_URL", redis.url());
            Process serve = pb.start();
            String jobId;
            try {
                String line = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertThat(line).as("serve's first line; stderr %s", Files.readString(stderr)).startsWith("Serving");
                Matcher m = Pattern.compile("on (http://\\S+) ").matcher(line);
                assertThat(m.find()).isTrue();
                ApiClient anna = new ApiClient(URI.create(m.group(1))).signedUp("anna");
                ApiClient.Response submitted = anna.post("/jobs/direct", CeleryWorkersTest.job(3, "{\"seconds\":0.2}"));
                assertThat(submitted.status()).isEqualTo(202);
                jobId = submitted.json().path("job_id").asText();
            } finally {
                serve.destroyForcibly(); // SIGKILL: no shutdown hook runs
                assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
                Files.deleteIfExists(stderr);
            }
            assertThat(outboxRow(db).get("dispatch_state")).isEqualTo("QUEUED");

            redis.start();
            try (TestServer server = TestServer.start(db, CeleryWorkersTest.celery(redis.url(), Duration.ofMinutes(5)));
                 StandInWorker worker = StandInWorker.simulations(redis.url(), server.url())) {
                ApiClient anna = server.client();
                anna.login("anna", "pw-anna");
                JsonNode done = CeleryWorkersTest.waitFor(anna, jobId, CeleryWorkersTest.state("COMPLETED"), null,
                        Duration.ofSeconds(90));
                assertThat(done.path("job_tasks_status")).hasSize(3);
            }
        }
    }
}
