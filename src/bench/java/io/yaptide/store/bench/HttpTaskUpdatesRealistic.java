package io.yaptide.store.bench;

import io.yaptide.store.simulations.CreatedSimulation;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code http_task_updates_realistic}: worker reports through {@code POST /tasks} as the original's
 * FLUKA monitor sends its RUNNING report ({@code yaptide/celery/utils/progress/fluka_monitor.py}:
 * {@code simulated_primaries}, {@code requested_primaries}, {@code start_time} as
 * {@code %Y-%m-%d %H:%M:%S.%f}, {@code task_state: RUNNING}, serialised by Python's {@code json}),
 * from 8 keep-alive connections, the tasks chosen round-robin over ONE job of 1,000 tasks with that
 * job's update key. Every report must be accepted (202, {@code Task updated}).
 *
 * <p>The reference, measured in the same run on the same PostgreSQL: pgbench's idea of the
 * database's ceiling, one autocommit one-row {@code UPDATE} per transaction from 8 connections, over
 * a 1,000-row table, round-robin, from this JVM over JDBC, measured before and after each of the
 * service's three timed rounds. {@code pgbench} itself (a C client, so a higher ceiling on 2 shared
 * cores) is run as well, before and after, when it is on the PATH, and printed beside it. Each
 * round's ratio is taken against the higher of pgbench and the JDBC ceiling around that round, so
 * that it is never flattered; the median round's rate and ratio are printed. The timed rounds start
 * once the JIT has settled ({@link Stopwatch#untilCompiled}), as in a service that has been running.
 * On SQLite there is no such reference and only the rate and latency are printed.
 */
final class HttpTaskUpdatesRealistic implements Workload {
    static final int CONNECTIONS = 8;
    static final int TASKS = 1000;
    static final int REQUESTED = 1_000_000;
    private static final double SECONDS = 5.0;
    private static final double WARMUP_SECONDS = 2.0;
    /** Timed rounds, each between two ceiling measures; the median is printed. */
    private static final int ROUNDS = 3;
    private static final double WARMUP_MIN_SECONDS = 60.0;
    private static final double WARMUP_MAX_SECONDS = 150.0;
    private static final DateTimeFormatter PYTHON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        CreatedSimulation sim = ctx.newSimulation(TASKS);
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        boolean postgres = ctx.db().isPostgres();
        try {
            List<Double> pgbench = new ArrayList<>();
            if (postgres) {
                addIfPresent(pgbench, PgbenchCeiling.measure(ctx.db().url(), SECONDS));
            }
            try (HttpBench bench = new HttpBench(ctx)) {
                AtomicLong next = new AtomicLong();
                // untimed warm-up until the JIT has compiled the path and stopped (see Stopwatch.untilCompiled)
                double warmup = Stopwatch.untilCompiled(WARMUP_MIN_SECONDS, WARMUP_MAX_SECONDS, () -> {
                    long before = next.get();
                    runWorkers(bench, sim, next, pool, Stopwatch.deadlineAfter(WARMUP_SECONDS));
                    return String.format("%.0f requests/s", (next.get() - before) / (WARMUP_SECONDS * Stopwatch.scale()));
                });
                out.print("http_task_updates_realistic_warmup_s", warmup, "s");
                // ROUNDS timed runs, each between two measures of the JDBC ceiling: each round's ratio
                // is taken against the ceiling measured just around it, and the median round is
                // printed, so that a burst of other work on the machine moves one round, not the figure
                List<Double> jdbc = new ArrayList<>();
                List<Double> rates = new ArrayList<>();
                List<long[]> latencies = new ArrayList<>();
                long cpu = 0;
                if (postgres) {
                    jdbc.add(JdbcCeiling.measure(ctx, pool, WARMUP_SECONDS, SECONDS));
                }
                for (int round = 0; round < ROUNDS; round++) {
                    long start = System.nanoTime();
                    long cpu0 = processCpuNanos();
                    List<long[]> run = runWorkers(bench, sim, next, pool, Stopwatch.deadlineAfter(SECONDS));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    cpu += processCpuNanos() - cpu0;
                    latencies.addAll(run);
                    rates.add(run.stream().mapToLong(r -> r.length).sum() / seconds);
                    if (postgres) {
                        jdbc.add(JdbcCeiling.measure(ctx, pool, WARMUP_SECONDS, SECONDS));
                    }
                }
                if (postgres) {
                    addIfPresent(pgbench, PgbenchCeiling.measure(ctx.db().url(), SECONDS));
                }
                long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
                out.print("http_task_updates_realistic", median(rates), "requests/s");
                out.print("http_task_updates_realistic_p99", percentile(all, 0.99) / 1e6, "ms");
                out.print("http_task_updates_realistic_p50", percentile(all, 0.50) / 1e6, "ms");
                // CPU of this JVM (service and load generator) per report: what a change to the service
                // saves, readable even when other work on the machine makes the rate noisy
                out.print("http_task_updates_realistic_jvm_cpu_us", cpu / 1e3 / all.length, "us/request");
                if (postgres) {
                    out.print("http_task_updates_ceiling_jdbc_tps", median(jdbc), "tps");
                    Double pgbenchTps = pgbench.isEmpty() ? null : pgbench.stream().mapToDouble(d -> d).average().orElseThrow();
                    if (pgbenchTps != null) {
                        out.print("http_task_updates_ceiling_pgbench_tps", pgbenchTps, "tps");
                    }
                    // the ratio against the higher of the two ceilings, so that it is never flattered
                    List<Double> ratios = new ArrayList<>();
                    int pgbenchWins = 0;
                    for (int round = 0; round < ROUNDS; round++) {
                        double around = (jdbc.get(round) + jdbc.get(round + 1)) / 2;
                        double ceiling = pgbenchTps != null && pgbenchTps > around ? pgbenchTps : around;
                        pgbenchWins += ceiling == around ? 0 : 1;
                        ratios.add(rates.get(round) / ceiling);
                    }
                    out.print("http_task_updates_ceiling_ratio", median(ratios),
                            "x_of_" + (pgbenchWins * 2 > ROUNDS ? "pgbench" : "jdbc"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void addIfPresent(List<Double> values, Double value) {
        if (value != null) {
            values.add(value);
        }
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(d -> d).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
    }

    private static List<long[]> runWorkers(HttpBench bench, CreatedSimulation sim, AtomicLong next, ExecutorService pool,
                                           long end) throws Exception {
        List<Callable<long[]>> workers = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            workers.add(() -> worker(bench, sim, next, end));
        }
        List<long[]> results = new ArrayList<>();
        for (Future<long[]> f : pool.invokeAll(workers)) {
            results.add(f.get());
        }
        return results;
    }

    /** The report's bytes as Python's {@code json.dumps} writes the monitor's dict (its key order, ", " and ": "). */
    static byte[] report(long simulationId, int taskId, String key, int simulated, String startTime) {
        return ("{\"simulation_id\": " + simulationId + ", \"task_id\": " + taskId + ", \"update_key\": \"" + key
                + "\", \"update_dict\": {\"simulated_primaries\": " + simulated + ", \"requested_primaries\": " + REQUESTED
                + ", \"start_time\": \"" + startTime + "\", \"task_state\": \"RUNNING\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static long[] worker(HttpBench bench, CreatedSimulation sim, AtomicLong next, long end) throws Exception {
        long id = sim.simulation().id();
        String key = sim.updateKey();
        String startTime = LocalDateTime.now(ZoneOffset.UTC).format(PYTHON_TIME);
        try (LoopbackClient client = new LoopbackClient(bench.server.baseUrl())) {
            long[] latencies = new long[1 << 16];
            int n = 0;
            while (System.nanoTime() < end) {
                long i = next.getAndIncrement();
                byte[] body = report(id, (int) (i % TASKS), key, (int) (1 + i / TASKS % REQUESTED), startTime);
                long took = HttpBench.timedTaskReport(client, body);
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = took;
            }
            return Arrays.copyOf(latencies, n);
        }
    }

    /** pgbench's one-row UPDATE per transaction, from this JVM over JDBC, on a scratch table of its own. */
    static final class JdbcCeiling {
        private JdbcCeiling() {
        }

        static double measure(BenchContext ctx, ExecutorService pool, double warmup, double seconds) throws Exception {
            String table = "bench_ceiling_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = ctx.db().dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
                s.execute("INSERT INTO " + table + " SELECT g, 0 FROM generate_series(0, " + (TASKS - 1) + ") g");
            }
            try {
                AtomicLong next = new AtomicLong();
                run(ctx, pool, table, next, Stopwatch.deadlineAfter(warmup));
                long start = System.nanoTime();
                long done = run(ctx, pool, table, next, Stopwatch.deadlineAfter(seconds));
                return done / ((System.nanoTime() - start) / 1e9);
            } finally {
                try (Connection c = ctx.db().dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE " + table);
                }
            }
        }

        private static long run(BenchContext ctx, ExecutorService pool, String table, AtomicLong next, long end)
                throws Exception {
            List<Callable<Long>> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                clients.add(() -> {
                    long n = 0;
                    try (Connection conn = ctx.db().dataSource().getConnection();
                         PreparedStatement ps = conn.prepareStatement("UPDATE " + table + " SET n = n + 1 WHERE id = ?")) {
                        conn.setAutoCommit(true);
                        while (System.nanoTime() < end) {
                            ps.setInt(1, (int) (next.getAndIncrement() % TASKS));
                            if (ps.executeUpdate() != 1) {
                                throw new IllegalStateException("the ceiling's UPDATE matched no row");
                            }
                            n++;
                        }
                    }
                    return n;
                });
            }
            long total = 0;
            for (Future<Long> f : pool.invokeAll(clients)) {
                total += f.get();
            }
            return total;
        }
    }
}
