package io.yaptide.store.bench;

import io.yaptide.store.config.ReplicaConfig;
import io.yaptide.store.db.ReplicaRouting;
import io.yaptide.store.results.ResultSetCodec;
import io.yaptide.store.simulations.CreatedSimulation;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code replica_mixed}: a mixed load, run twice in one process: once with users' reads routed to
 * the standby of {@code YAPTIDE_DATABASE_REPLICA_URL} (or of a multi-host URL), once with everything on
 * the primary. 4 workers report progress through {@code POST /tasks} (each on its own simulation, with
 * its update key) while 4 users read {@code GET /results} of a stored result set (gzip) and
 * {@code GET /user/simulations}. Phases in the order with, without, without, with (each a fresh server,
 * 2 s of warm-up, 4 s timed). Figures: the share of the reads the standby served (counted by the
 * routing, warm-up included), reads/s and updates/s with and without it (means of the two phases of
 * each mode), and their ratios. On one machine the standby shares the primary's
 * cores, so the ratios show what moving reads off the primary costs or gains here, not on two hosts.
 */
final class ReplicaMixed implements Workload {
    static final int WORKERS = 4;
    static final int READERS = 4;
    private static final double SECONDS = 4.0;
    private static final double WARMUP_SECONDS = 2.0;

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        ReplicaConfig config = ReplicaConfig.fromEnvironment(ctx.db().url(), System.getenv());
        if (!config.enabled()) {
            throw new IllegalStateException("replica_mixed needs a standby: set " + ReplicaConfig.ENV_REPLICA_URL
                    + " (e.g. the bench database on the standby of .ci/setup-replica, port 5433) or a multi-host YAPTIDE_DATABASE_URL");
        }
        CreatedSimulation withResults = ctx.newSimulation(1);
        ctx.results().storeResults(withResults.simulation().id(), ResultSetCodec.decode(ctx.resultsFixture()));
        List<CreatedSimulation> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(ctx.newSimulation(8));
        }
        try (ReplicaRouting routing = ReplicaRouting.start(ctx.db(), config)) {
            waitForStandby(routing);
            // A B B A: with the standby, without, without, with; a load that drifts during the run
            // (the machine is shared) then weighs on both modes alike
            ReplicaRouting.ReadCounts before = routing.readCounts();
            Load with1 = measure(ctx, routing, withResults, workers);
            Load without1 = measure(ctx, null, withResults, workers);
            Load without2 = measure(ctx, null, withResults, workers);
            Load with2 = measure(ctx, routing, withResults, workers);
            ReplicaRouting.ReadCounts after = routing.readCounts();
            Load with = new Load((with1.reads + with2.reads) / 2, (with1.updates + with2.updates) / 2);
            Load without = new Load((without1.reads + without2.reads) / 2, (without1.updates + without2.updates) / 2);
            long standby = after.standby() - before.standby();
            long primary = after.primary() - before.primary();
            out.print("replica_mixed_standby_share", 100.0 * standby / Math.max(1, standby + primary), "%");
            out.print("replica_mixed_reads", with.reads, "reads/s");
            out.print("replica_mixed_reads_primary_only", without.reads, "reads/s");
            out.print("replica_mixed_read_ratio", with.reads / without.reads, "x");
            out.print("replica_mixed_updates", with.updates, "updates/s");
            out.print("replica_mixed_updates_primary_only", without.updates, "updates/s");
            out.print("replica_mixed_update_ratio", with.updates / without.updates, "x");
        }
    }

    private record Load(double reads, double updates) {
    }

    private static void waitForStandby(ReplicaRouting routing) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            routing.lookAtServers();
            boolean caughtUp = routing.status().stream()
                    .anyMatch(s -> s.role() == ReplicaRouting.Role.STANDBY && s.inUse() && s.lagBytes() == 0);
            if (caughtUp) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no standby caught up with the bench data within 30 s: " + routing.status());
            }
            Thread.sleep(50);
        }
    }

    private static Load measure(BenchContext ctx, ReplicaRouting routing, CreatedSimulation withResults,
                                List<CreatedSimulation> workers) throws Exception {
        try (HttpBench bench = new HttpBench(ctx, routing)) {
            String cookie = "Cookie: " + bench.cookieFor(ctx.user()) + "\r\n";
            String results = "/results?job_id=" + URLEncoder.encode(withResults.simulation().jobId(), StandardCharsets.UTF_8);
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS + READERS);
            try {
                run(bench, pool, workers, cookie, results, Stopwatch.deadlineAfter(WARMUP_SECONDS));
                long start = System.nanoTime();
                long[] counts = run(bench, pool, workers, cookie, results, Stopwatch.deadlineAfter(SECONDS));
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Load(counts[0] / seconds, counts[1] / seconds);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** {reads, updates} done before the deadline. */
    private static long[] run(HttpBench bench, ExecutorService pool, List<CreatedSimulation> workers, String cookie,
                              String results, long end) throws Exception {
        List<Callable<long[]>> tasks = new ArrayList<>();
        for (CreatedSimulation sim : workers) {
            tasks.add(() -> new long[] {0, worker(bench, sim, end)});
        }
        for (int r = 0; r < READERS; r++) {
            tasks.add(() -> new long[] {reader(bench, cookie, results, end), 0});
        }
        long[] total = new long[2];
        for (Future<long[]> f : pool.invokeAll(tasks)) {
            long[] c = f.get();
            total[0] += c[0];
            total[1] += c[1];
        }
        return total;
    }

    private static long worker(HttpBench bench, CreatedSimulation sim, long end) throws Exception {
        long id = sim.simulation().id();
        long n = 0;
        try (LoopbackClient client = new LoopbackClient(bench.server.baseUrl())) {
            for (int i = 1; System.nanoTime() < end; i++) {
                byte[] body = ("{\"simulation_id\": " + id + ", \"task_id\": " + (i % 8) + ", \"update_key\": \"" + sim.updateKey()
                        + "\", \"update_dict\": {\"simulated_primaries\": " + i + "}}").getBytes(StandardCharsets.UTF_8);
                LoopbackClient.Response r = client.send("POST", "/tasks", "Content-Type: application/json\r\n", body);
                if (r.status() != 202) {
                    throw new IllegalStateException("POST /tasks answered " + r.status() + ": " + r.text());
                }
                n++;
            }
        }
        return n;
    }

    private static long reader(HttpBench bench, String cookie, String results, long end) throws Exception {
        long n = 0;
        try (LoopbackClient client = new LoopbackClient(bench.server.baseUrl())) {
            for (int i = 0; System.nanoTime() < end; i++) {
                String path = i % 2 == 0 ? results : "/user/simulations?page_size=10";
                LoopbackClient.Response r = client.send("GET", path, cookie + "Accept-Encoding: gzip\r\n", null);
                if (r.status() != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + r.status() + ": " + r.text());
                }
                n++;
            }
        }
        return n;
    }
}
