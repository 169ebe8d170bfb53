package io.yaptide.store.simulations;

import io.yaptide.store.db.Database;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Retention: removing finished simulations older than a date, with everything they own (tasks,
 * inputs, estimators, pages, log files go by the cascading foreign keys of revision 3f9d1f1bec46).
 *
 * <p>Finished means COMPLETED, FAILED or CANCELED; "older than" compares the end time, or the start
 * time for a simulation canceled before it ever ended. Deletion runs in batches, one transaction
 * each, so that a large clean-up never holds locks on the whole table and can be interrupted.
 */
public final class Retention {

    public static final int DEFAULT_BATCH_SIZE = 500;

    static final String FINISHED_BEFORE = """
            job_state IN ('COMPLETED', 'FAILED', 'CANCELED')
            AND COALESCE(end_time, start_time) < :before""";

    private final Database db;

    public Retention(Database db) {
        this.db = db;
    }

    /** What a clean-up removes (or would remove). */
    public record Counts(long simulations, long tasks, long estimators, long pages, long inputs, long logfiles) {
        public Counts plus(Counts o) {
            return new Counts(simulations + o.simulations, tasks + o.tasks, estimators + o.estimators,
                    pages + o.pages, inputs + o.inputs, logfiles + o.logfiles);
        }

        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);
    }

    /** Counts what {@link #deleteFinishedBefore} would remove, changing nothing. */
    public Counts countFinishedBefore(Instant before) {
        return db.jdbi().withHandle(h -> countFor(h, "SELECT id FROM \"Simulation\" WHERE " + FINISHED_BEFORE, before, null));
    }

    /**
     * Deletes finished simulations older than {@code before}, {@code batchSize} at a time, oldest
     * first, reporting the counts of each batch as it is committed.
     */
    public Counts deleteFinishedBefore(Instant before, int batchSize, Consumer<Counts> afterEachBatch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        Counts total = Counts.NONE;
        while (true) {
            Counts batch = db.jdbi().inTransaction(h -> {
                List<Long> ids = h.createQuery("SELECT id FROM \"Simulation\" WHERE " + FINISHED_BEFORE
                                + " ORDER BY COALESCE(end_time, start_time), id LIMIT :limit")
                        .bind("before", before)
                        .bind("limit", batchSize)
                        .mapTo(Long.class)
                        .list();
                if (ids.isEmpty()) {
                    return Counts.NONE;
                }
                Counts counts = countFor(h, null, null, ids);
                h.createUpdate("DELETE FROM \"Simulation\" WHERE id IN (<ids>)").bindList("ids", ids).execute();
                return counts;
            });
            if (batch.simulations() == 0) {
                return total;
            }
            total = total.plus(batch);
            afterEachBatch.accept(batch);
        }
    }

    /** Counts of the rows owned by the simulations chosen by {@code idQuery} (with :before) or listed in {@code ids}. */
    private static Counts countFor(Handle h, String idQuery, Instant before, List<Long> ids) {
        String chosen = ids != null ? "<ids>" : idQuery;
        java.util.function.Function<String, Long> count = sql -> {
            var q = h.createQuery(sql.replace("CHOSEN", chosen));
            if (ids != null) {
                q.bindList("ids", ids);
            } else {
                q.bind("before", before);
            }
            return q.mapTo(Long.class).one();
        };
        return new Counts(
                count.apply("SELECT COUNT(*) FROM \"Simulation\" WHERE id IN (CHOSEN)"),
                count.apply("SELECT COUNT(*) FROM \"Task\" WHERE simulation_id IN (CHOSEN)"),
                count.apply("SELECT COUNT(*) FROM \"Estimator\" WHERE simulation_id IN (CHOSEN)"),
                count.apply("SELECT COUNT(*) FROM \"Page\" WHERE estimator_id IN "
                        + "(SELECT id FROM \"Estimator\" WHERE simulation_id IN (CHOSEN))"),
                count.apply("SELECT COUNT(*) FROM \"Input\" WHERE simulation_id IN (CHOSEN)"),
                count.apply("SELECT COUNT(*) FROM \"Logfiles\" WHERE simulation_id IN (CHOSEN)"));
    }
}
