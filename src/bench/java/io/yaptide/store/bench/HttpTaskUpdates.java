package io.yaptide.store.bench;

import io.yaptide.store.simulations.CreatedSimulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code http_task_updates}: worker progress reports through {@code POST /tasks} over loopback, as
 * the original's workers send them ({@code simulated_primaries} and {@code estimated_time}), from 8
 * concurrent workers, each reporting on the 8 tasks of its own simulation with that simulation's
 * update key. Every report must be accepted (202). Figures: reports per second, and the 99th
 * percentile of the request latency seen by the workers.
 */
final class HttpTaskUpdates implements Workload {
    static final int WORKERS = 8;
    static final int TASKS = 8;
    private static final double SECONDS = 4.0;
    private static final double WARMUP_SECONDS = 1.5;

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        try (HttpBench bench = new HttpBench(ctx)) {
            List<CreatedSimulation> sims = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                sims.add(ctx.newSimulation(TASKS));
            }
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            try {
                runWorkers(bench, sims, pool, Stopwatch.deadlineAfter(WARMUP_SECONDS)); // untimed warm-up
                long start = System.nanoTime();
                List<long[]> latencies = runWorkers(bench, sims, pool, Stopwatch.deadlineAfter(SECONDS));
                double seconds = (System.nanoTime() - start) / 1e9;
                long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
                out.print("http_task_updates", all.length / seconds, "updates/s");
                out.print("http_task_updates_p99", all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6, "ms");
                out.print("http_task_updates_p50", all[all.length / 2] / 1e6, "ms");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static List<long[]> runWorkers(HttpBench bench, List<CreatedSimulation> sims, ExecutorService pool, long end)
            throws Exception {
        List<Callable<long[]>> workers = new ArrayList<>();
        for (CreatedSimulation sim : sims) {
            workers.add(() -> worker(bench, sim, end));
        }
        List<long[]> results = new ArrayList<>();
        for (Future<long[]> f : pool.invokeAll(workers)) {
            results.add(f.get());
        }
        return results;
    }

    private static long[] worker(HttpBench bench, CreatedSimulation sim, long end) throws Exception {
        long id = sim.simulation().id();
        String key = sim.updateKey();
        // one keep-alive connection per worker, as separate worker processes have
        try (LoopbackClient client = new LoopbackClient(bench.server.baseUrl())) {
            long[] latencies = new long[1 << 16];
            int n = 0;
            for (int i = 1; System.nanoTime() < end; i++) {
                int task = i % TASKS;
                byte[] body = ("{\"simulation_id\": " + id + ", \"task_id\": " + task + ", \"update_key\": \"" + key
                        + "\", \"update_dict\": {\"simulated_primaries\": " + i + ", \"estimated_time\": "
                        + (100000 - i % 100000) + "}}").getBytes(StandardCharsets.UTF_8);
                long took = HttpBench.timedTaskReport(client, body);
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = took;
            }
            return Arrays.copyOf(latencies, n);
        }
    }
}
