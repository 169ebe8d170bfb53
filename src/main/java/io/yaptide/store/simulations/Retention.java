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

    static final String FINISHED_BEFORE = "job_state IN " + JobState.TERMINAL_SQL + """

            AND COALESCE(end_time, start_time) < :before""";

    private final Database db;

    public Retention(Database db) {
        this.db = db;
    }

    /** Counts what {@link #deleteFinishedBefore} would remove, changing nothing. */
    public CascadeCounts countFinishedBefore(Instant before) {
        return db.jdbi().withHandle(h -> SimulationStore.cascadeOf(h, "SELECT id FROM \"Simulation\" WHERE " + FINISHED_BEFORE,
                q -> q.bind("before", before)));
    }

    /**
     * Deletes finished simulations older than {@code before}, {@code batchSize} at a time, oldest
     * first, reporting the counts of each batch as it is committed.
     */
    public CascadeCounts deleteFinishedBefore(Instant before, int batchSize, Consumer<CascadeCounts> afterEachBatch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        CascadeCounts total = CascadeCounts.NONE;
        while (true) {
            CascadeCounts batch = db.jdbi().inTransaction(h -> {
                List<Long> ids = h.createQuery("SELECT id FROM \"Simulation\" WHERE " + FINISHED_BEFORE
                                + " ORDER BY COALESCE(end_time, start_time), id LIMIT :limit")
                        .bind("before", before)
                        .bind("limit", batchSize)
                        .mapTo(Long.class)
                        .list();
                if (ids.isEmpty()) {
                    return CascadeCounts.NONE;
                }
                CascadeCounts counts = SimulationStore.cascadeOf(h, "<ids>", q -> q.bindList("ids", ids));
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
}
