package io.yaptide.store.testing;

import io.yaptide.store.results.Payload;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Inserts simulations, tasks and payload rows with plain SQL, for tests of stores that need them to
 * exist but do not own them (users, clusters, results). Rows are shaped as the original made them.
 */
public final class SeedRows {
    private SeedRows() {
    }

    /** A direct (Celery) simulation owned by the user, with {@code tasks} PENDING tasks; returns its id. */
    public static long directSimulation(Jdbi jdbi, Long userId, int tasks) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("""
                            INSERT INTO "Simulation" (job_id, user_id, start_time, title, platform, input_type, sim_type, job_state)
                            VALUES (:job, :user, :start, 'test', 'DIRECT', 'EDITOR', 'shieldhit', 'PENDING') RETURNING id""")
                    .bind("job", UUID.randomUUID() + "DIRECT").bind("user", userId).bind("start", Instant.now())
                    .mapTo(Long.class).one();
            h.createUpdate("INSERT INTO \"CelerySimulation\" (id, merge_id) VALUES (:id, NULL)").bind("id", id).execute();
            for (int t = 0; t < tasks; t++) {
                long taskRow = h.createQuery("""
                                INSERT INTO "Task" (simulation_id, task_id, requested_primaries, simulated_primaries, task_state, platform)
                                VALUES (:sim, :task, 1000, 0, 'PENDING', 'DIRECT') RETURNING id""")
                        .bind("sim", id).bind("task", t).mapTo(Long.class).one();
                h.createUpdate("INSERT INTO \"CeleryTask\" (id, celery_id) VALUES (:id, :celery)")
                        .bind("id", taskRow).bind("celery", UUID.randomUUID().toString()).execute();
            }
            return id;
        });
    }

    /** A batch simulation on the cluster, with {@code tasks} PENDING batch tasks; returns its id. */
    public static long batchSimulation(Jdbi jdbi, Long userId, long clusterId, int tasks) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("""
                            INSERT INTO "Simulation" (job_id, user_id, start_time, title, platform, input_type, sim_type, job_state)
                            VALUES (:job, :user, :start, 'test', 'BATCH', 'FILES', 'fluka', 'PENDING') RETURNING id""")
                    .bind("job", UUID.randomUUID() + "BATCH").bind("user", userId).bind("start", Instant.now())
                    .mapTo(Long.class).one();
            h.createUpdate("INSERT INTO \"BatchSimulation\" (id, cluster_id) VALUES (:id, :cluster)")
                    .bind("id", id).bind("cluster", clusterId).execute();
            for (int t = 0; t < tasks; t++) {
                long taskRow = h.createQuery("""
                                INSERT INTO "Task" (simulation_id, task_id, requested_primaries, simulated_primaries, task_state, platform)
                                VALUES (:sim, :task, 1000, 0, 'PENDING', 'BATCH') RETURNING id""")
                        .bind("sim", id).bind("task", t).mapTo(Long.class).one();
                h.createUpdate("INSERT INTO \"BatchTask\" (id) VALUES (:id)").bind("id", taskRow).execute();
            }
            return id;
        });
    }

    public static void input(Jdbi jdbi, long simulationId, Payload data) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO \"Input\" (simulation_id, compressed_data) VALUES (:sim, :data)")
                .bind("sim", simulationId).bind("data", data.compressed()).execute());
    }

    /** One estimator with {@code pages} pages and a log file row, as plain rows. */
    public static void resultsAndLogs(Jdbi jdbi, long simulationId, int pages) {
        jdbi.useTransaction(h -> {
            long est = h.createQuery("""
                            INSERT INTO "Estimator" (simulation_id, name, compressed_data) VALUES (:sim, 'dose', :data) RETURNING id""")
                    .bind("sim", simulationId).bind("data", Payload.ofJson(Map.of("name", "dose")).compressed())
                    .mapTo(Long.class).one();
            for (int p = 0; p < pages; p++) {
                h.createUpdate("INSERT INTO \"Page\" (estimator_id, page_number, compressed_data) VALUES (:est, :n, :data)")
                        .bind("est", est).bind("n", p).bind("data", Payload.ofJson(Map.of("n", p)).compressed()).execute();
            }
            h.createUpdate("INSERT INTO \"Logfiles\" (simulation_id, compressed_data) VALUES (:sim, :data)")
                    .bind("sim", simulationId).bind("data", Payload.ofJson(Map.of("run.log", "ok")).compressed()).execute();
        });
    }

    /** Row counts of every table, by table name. */
    public static Map<String, Long> counts(Jdbi jdbi) {
        return jdbi.withHandle(h -> {
            Map<String, Long> counts = new java.util.TreeMap<>();
            for (String table : new String[] {"User", "YaptideUser", "KeycloakUser", "Cluster", "Simulation",
                    "CelerySimulation", "BatchSimulation", "Task", "CeleryTask", "BatchTask", "Input", "Estimator",
                    "Page", "Logfiles"}) {
                counts.put(table, h.createQuery("SELECT COUNT(*) FROM \"" + table + "\"").mapTo(Long.class).one());
            }
            return counts;
        });
    }
}
