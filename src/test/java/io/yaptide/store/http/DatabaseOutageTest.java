package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.Engine;
import org.junit.jupiter.api.Test;
import io.yaptide.store.testing.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;

/**
 * Workers keep reporting while every server connection of the service's pool is terminated
 * ({@code pg_terminate_backend}, what a PostgreSQL restart does to them), several times: every
 * answer is a 2xx or a 503 with {@code Retry-After} (a worker retries a 503, never a 500), and the
 * service answers 2xx again by itself, within a second of the last termination.
 */
class DatabaseOutageTest {
    static final int WORKERS = 4;
    static final int TERMINATIONS = 6;

    @Test
    void terminatedConnectionsAnswer503AndTheServiceRecoversByItself() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            terminatedConnectionsAnswer503AndTheServiceRecoversByItselfOn(db);
        }
    }

    private void terminatedConnectionsAnswer503AndTheServiceRecoversByItselfOn(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json",
                    "shieldhit")).json().path("job_id").asText();
            SimulationStore sims = new SimulationStore(db.database());
            long simId = sims.findByJobId(jobId).orElseThrow().id();
            String key = sims.rotateUpdateKey(simId);

            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicInteger missingRetryAfter = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong lastTermination = new AtomicLong();
            AtomicLong firstGoodAfterLast = new AtomicLong();
            AtomicInteger progress = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int task = w % 2;
                workers.add(pool.submit(() -> {
                    ApiClient worker = server.client();
                    while (!stop.get()) {
                        String body = "{\"simulation_id\": " + simId + ", \"task_id\": " + task + ", \"update_key\": \""
                                + key + "\", \"update_dict\": {\"task_state\": \"RUNNING\", \"simulated_primaries\": "
                                + progress.incrementAndGet() + "}}";
                        ApiClient.Response r = worker.post("/tasks", body);
                        statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
                        if (r.status() == 503 && r.headers().firstValue("Retry-After").isEmpty()) {
                            missingRetryAfter.incrementAndGet();
                        }
                        long last = lastTermination.get();
                        if (r.status() / 100 == 2 && last > 0) {
                            firstGoodAfterLast.compareAndSet(0, System.nanoTime());
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(300);
            String database = db.url().database();
            for (int i = 0; i < TERMINATIONS; i++) {
                TestDatabases.adminExecute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + database + "' AND application_name = 'yaptide-store'");
                if (i == TERMINATIONS - 1) {
                    firstGoodAfterLast.set(0);
                    lastTermination.set(System.nanoTime());
                }
                Thread.sleep(250);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (firstGoodAfterLast.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();

            long recoveredMillis = firstGoodAfterLast.get() == 0 ? -1
                    : TimeUnit.NANOSECONDS.toMillis(firstGoodAfterLast.get() - lastTermination.get());
            System.out.println("outage: " + TERMINATIONS + " terminations of the pool's connections, answers " + statuses
                    + ", first 2xx " + recoveredMillis + " ms after the last termination");
            assertThat(statuses.keySet()).as("answers during the outage: %s", statuses).allMatch(s -> s / 100 == 2 || s == 503);
            assertThat(statuses.get(503)).as("terminations were seen by requests in flight: %s", statuses).isNotNull();
            assertThat(missingRetryAfter).hasValue(0);
            assertThat(recoveredMillis).as("recovery time").isBetween(0L, 1000L);
            assertThat(anna.get("/jobs?job_id=" + jobId).status()).isEqualTo(200);
        }
    }
}
