package io.yaptide.store.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry of workloads by name: the one place to add a benchmark. Names are interfaces
 * (scripts and docs/benchmarks.md refer to them); {@code bench/run} with no names runs the defaults, in
 * this order.
 */
public final class Workloads {
    /** A registered workload and whether {@code bench/run} without arguments runs it. */
    public record Entry(Workload workload, boolean byDefault, String description) {
    }

    private static final Map<String, Entry> ALL = new LinkedHashMap<>();

    static {
        register("task_updates_1thread", new TaskUpdates(1), true, "progress updates of one task, 1 thread (updates/s)");
        register("task_updates_8threads", new TaskUpdates(8), true, "progress updates of one task, 8 threads (updates/s)");
        register("ingest", new Ingest(), true, "json_with_results.json stored 20 times as result sets (MB/s of JSON)");
        register("read_pages_json", new ReadPages(true), true, "all pages of those results, decoded (MB/s of JSON)");
        register("read_pages_raw", new ReadPages(false), true, "all pages of those results, as stored gzip (MB/s of JSON)");
        register("http_task_updates", new HttpTaskUpdates(), true, "POST /tasks over loopback, 8 workers with their own keys (updates/s, p99 ms)");
        register("http_task_updates_realistic", new HttpTaskUpdatesRealistic(), false, "POST /tasks RUNNING reports over one 1,000-task job, 8 connections, vs a one-row UPDATE ceiling (requests/s, p99 ms, ratio)");
        register("http_results_get", new HttpResultsGet(), true, "GET /results of the fixture: stored gzip vs decompress-and-reserialize (MB/s)");
        register("list_simulations_1m", new ListSimulations1m(), false, "simulation list, job status and list-simulations --user with 1,000,000 simulations and 10,000,000 tasks (p99 ms; builds its database once)");
        register("cli_startup", new CliStartup(), true, "bin/yaptide list-users as new processes vs an empty JVM"
                + " (and the original's list-users with YAPTIDE_ORIGINAL_ADMIN): medians, ms and ratios");
        register("ingest_1gb", new Ingest1gb(), false, "POST /results of ~1 GB to the service at -Xmx256m, read back plain and gzip (MB/s, heap MB)");
        register("results_get", new ResultsGet(), false, "GET /results of the fixture, plain and gzip; beside the original's with BENCH_ORIGINAL_URL (MB/s)");
        register("replica_mixed", new ReplicaMixed(), false, "workers' POST /tasks and users' GET /results, /user/simulations with a standby (YAPTIDE_DATABASE_REPLICA_URL) and without: standby share of reads, reads/s, updates/s");
        register("gzip_levels", new GzipLevels(), false, "gzip levels 1-9 on the fixture's pages: speed and ratio (no database)");
    }

    private Workloads() {
    }

    /** Adds a workload under a name (for instance the HTTP workloads, from their own package). */
    public static synchronized void register(String name, Workload workload, boolean byDefault, String description) {
        if (ALL.putIfAbsent(name, new Entry(workload, byDefault, description)) != null) {
            throw new IllegalStateException("workload " + name + " registered twice");
        }
    }

    public static synchronized Map<String, Entry> all() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(ALL));
    }
}
