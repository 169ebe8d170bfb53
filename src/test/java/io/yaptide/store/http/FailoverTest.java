package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.config.ReplicaConfig;
import io.yaptide.store.db.Database;
import io.yaptide.store.db.ReplicaRouting;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.tasks.Task;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.testing.ThrowawayPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A promotion under load, on a throw-away primary and synchronous standby of the test's own
 * ({@link ThrowawayPair}): workers report progress and finish tasks through {@code POST /tasks}, users
 * submit jobs and read lists and inputs, the service's URL names both servers
 * ({@code postgresql://...@127.0.0.1:A,127.0.0.1:B/db}, so {@code targetServerType=primary}). The primary
 * is killed, the standby promoted a moment later: every answer is a 2xx or a 503 with
 * {@code Retry-After}, writes succeed on the new primary within a few seconds without a restart, and
 * every write acknowledged before the loss (submissions, task completions: synchronous commits) is
 * on the new primary. Progress reports commit without waiting for the flush (TaskStore): how many
 * of their last values were lost is printed, not asserted (docs/replica.md).
 */
class FailoverTest {
    static final int WORKERS = 3;
    static final int TASKS = 60;
    static final int USERS = 2;

    @Test
    void aPromotedStandbyTakesOverUnderLoadLosingNoAcknowledgedSynchronousWrite() throws Exception {
        try (ThrowawayPair pair = ThrowawayPair.start()) {
            try (Database direct = Database.openSingleConnection(pair.primaryUrl())) {
                new Migrator(direct).upgrade(Migrator.HEAD);
            }
            try (Database db = Database.open(pair.multiHostUrl());
                 ReplicaRouting routing = ReplicaRouting.start(db, ReplicaConfig.of(pair.multiHostUrl(), null, Duration.ofSeconds(5)))) {
                YaptideServer server = TestServer.startOn(db, routing);
                try {
                    promoteUnderLoad(pair, db, routing, server);
                } finally {
                    server.close();
                }
            }
        }
    }

    private void promoteUnderLoad(ThrowawayPair pair, Database db, ReplicaRouting routing, YaptideServer server) throws Exception {
        ApiClient anna = new ApiClient(server.baseUrl()).signedUp("anna");
        SimulationStore sims = new SimulationStore(db);
        List<long[]> workerSims = new ArrayList<>(); // {simulation id}
        List<String> keys = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            String jobId = anna.post("/jobs/direct", job()).json().path("job_id").asText();
            long id = sims.findByJobId(jobId).orElseThrow().id();
            workerSims.add(new long[] {id});
            keys.add(sims.rotateUpdateKey(id));
        }

        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicInteger missingRetryAfter = new AtomicInteger();
        Set<String> acknowledgedJobs = ConcurrentHashMap.newKeySet();
        Set<String> acknowledgedCompletions = ConcurrentHashMap.newKeySet();
        Map<String, Integer> acknowledgedProgress = new ConcurrentHashMap<>();
        AtomicLong promotedAt = new AtomicLong();
        AtomicLong firstGoodWriteAfterPromotion = new AtomicLong();
        AtomicInteger failedDuringSwitch = new AtomicInteger();
        AtomicLong killedAt = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();

        ExecutorService pool = Executors.newFixedThreadPool(WORKERS + USERS * 2);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            long simId = workerSims.get(w)[0];
            String key = keys.get(w);
            running.add(pool.submit(() -> {
                ApiClient worker = new ApiClient(server.baseUrl());
                for (int task = 0; task < TASKS && !stop.get(); task++) {
                    for (int report = 1; report <= 3 && !stop.get(); report++) {
                        boolean last = report == 3;
                        String dict = last ? "{\"task_state\": \"COMPLETED\", \"end_time\": \"2026-01-01 00:00:00\"}"
                                : "{\"task_state\": \"RUNNING\", \"simulated_primaries\": " + report * 100 + "}";
                        ApiClient.Response r = worker.post("/tasks", "{\"simulation_id\": " + simId + ", \"task_id\": " + task
                                + ", \"update_key\": \"" + key + "\", \"update_dict\": " + dict + "}");
                        if (record(r, "POST /tasks", answers, missingRetryAfter, killedAt, failedDuringSwitch)) {
                            good(promotedAt, firstGoodWriteAfterPromotion);
                            if (last) {
                                acknowledgedCompletions.add(simId + "/" + task);
                            } else {
                                acknowledgedProgress.merge(simId + "/" + task, report * 100, Math::max);
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (int u = 0; u < USERS; u++) {
            running.add(pool.submit(() -> {
                while (!stop.get()) {
                    ApiClient.Response r = anna.post("/jobs/direct", job());
                    if (record(r, "POST /jobs/direct", answers, missingRetryAfter, killedAt, failedDuringSwitch)) {
                        acknowledgedJobs.add(r.json().path("job_id").asText());
                        good(promotedAt, firstGoodWriteAfterPromotion);
                    }
                    Thread.sleep(20);
                }
                return null;
            }));
            running.add(pool.submit(() -> {
                while (!stop.get()) {
                    record(anna.get("/user/simulations?page_size=5"), "GET /user/simulations", answers, missingRetryAfter, killedAt,
                            failedDuringSwitch);
                    String some = acknowledgedJobs.stream().findAny().orElse(null);
                    if (some != null) {
                        record(anna.get("/inputs?job_id=" + some), "GET /inputs", answers, missingRetryAfter, killedAt, failedDuringSwitch);
                    }
                }
                return null;
            }));
        }

        Thread.sleep(1500);
        killedAt.set(System.nanoTime());
        pair.killPrimary();
        Thread.sleep(1000); // the operator (or the cluster manager) notices, then promotes
        pair.promoteStandby();
        promotedAt.set(System.nanoTime());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (firstGoodWriteAfterPromotion.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(1000); // and it carries on
        stop.set(true);
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        double tookSeconds = firstGoodWriteAfterPromotion.get() == 0 ? -1
                : (firstGoodWriteAfterPromotion.get() - promotedAt.get()) / 1e9;

        // everything acknowledged is on the new primary, read directly there
        int lostProgress = 0;
        try (Database promoted = Database.openSingleConnection(pair.standbyUrl())) {
            SimulationStore after = new SimulationStore(promoted);
            TaskStore tasks = new TaskStore(promoted);
            List<String> missingJobs = acknowledgedJobs.stream().filter(j -> after.findByJobId(j).isEmpty()).toList();
            List<String> notCompleted = new ArrayList<>();
            for (String done : acknowledgedCompletions) {
                String[] parts = done.split("/");
                Task t = tasks.find(Long.parseLong(parts[0]), Integer.parseInt(parts[1])).orElseThrow();
                if (t.state() != JobState.COMPLETED) {
                    notCompleted.add(done);
                }
            }
            for (Map.Entry<String, Integer> p : acknowledgedProgress.entrySet()) {
                String[] parts = p.getKey().split("/");
                Task t = tasks.find(Long.parseLong(parts[0]), Integer.parseInt(parts[1])).orElseThrow();
                if (t.state() != JobState.COMPLETED && t.simulatedPrimaries() < p.getValue()) {
                    lostProgress++;
                }
            }
            System.out.println("failover: answers " + answers + "; first good write " + Math.round(tookSeconds * 1000)
                    + " ms after the promotion; non-2xx answers from the kill to it: " + failedDuringSwitch + "; acknowledged "
                    + acknowledgedJobs.size() + " submissions and " + acknowledgedCompletions.size() + " task completions, missing "
                    + missingJobs.size() + " and " + notCompleted.size() + "; last progress values lost (asynchronous commits): "
                    + lostProgress + " of " + acknowledgedProgress.size() + "; servers " + routing.status());
            assertThat(answers.keySet()).as("every answer is a 2xx or a 503: %s", answers).allMatch(a -> a.endsWith(" 2xx") || a.endsWith(" 503"));
            assertThat(missingRetryAfter).as("503s without Retry-After").hasValue(0);
            assertThat(tookSeconds).as("seconds from the promotion to the first good write").isBetween(0.0, 10.0);
            assertThat(missingJobs).as("acknowledged submissions missing after the failover").isEmpty();
            assertThat(notCompleted).as("acknowledged task completions missing after the failover").isEmpty();
            assertThat(acknowledgedCompletions).as("workers finished tasks before and after the loss").isNotEmpty();
        }
        assertThat(anna.get("/user/simulations").status()).as("the service on the new primary, no restart").isEqualTo(200);
        assertThat(anna.post("/jobs/direct", job()).status()).isEqualTo(202);
    }

    private static ObjectNode job() throws java.io.IOException {
        ObjectNode p = UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit");
        p.put("ntasks", TASKS);
        return p;
    }

    private static void good(AtomicLong promotedAt, AtomicLong firstGood) {
        long promoted = promotedAt.get();
        if (promoted != 0) {
            firstGood.compareAndSet(0, System.nanoTime());
        }
    }

    /** Counts the answer; true when it is a 2xx. */
    private static boolean record(ApiClient.Response r, String what, Map<String, AtomicInteger> answers, AtomicInteger missingRetryAfter,
                                  AtomicLong killedAt, AtomicInteger failedDuringSwitch) {
        boolean ok = r.status() / 100 == 2;
        answers.computeIfAbsent(what + " " + (ok ? "2xx" : String.valueOf(r.status())), k -> new AtomicInteger()).incrementAndGet();
        if (r.status() == 503 && r.headers().firstValue("Retry-After").isEmpty()) {
            missingRetryAfter.incrementAndGet();
        }
        if (!ok && killedAt.get() != 0) {
            failedDuringSwitch.incrementAndGet();
        }
        return ok;
    }
}
