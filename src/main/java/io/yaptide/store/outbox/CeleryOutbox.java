package io.yaptide.store.outbox;

import io.yaptide.store.db.Database;
import io.yaptide.store.db.DeadlockRetry;
import io.yaptide.store.db.StoreTransaction;
import io.yaptide.store.simulations.DirectSimulation;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.tasks.DirectTask;
import io.yaptide.store.tasks.TaskStore;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The dispatch outbox ({@code yaptide_celery_outbox}, revision e1c7a3d05b92): one row per direct job
 * for the Celery workers, written in the job's own transaction, then published by the dispatcher.
 *
 * <p>{@code dispatch_state}: QUEUED (not yet in Redis), SENT (in Redis; watched until the job ends),
 * DONE (the job ended), CANCELED (cancelled before it was sent: never sent). Times are epoch ms.
 */
public final class CeleryOutbox {
    public static final String QUEUED = "QUEUED";
    public static final String SENT = "SENT";
    static final String DONE = "DONE";
    static final String CANCELED = "CANCELED";

    private final Database db;
    private final SimulationStore simulations;
    private final TaskStore tasks;

    public CeleryOutbox(Database db) {
        this.db = db;
        this.simulations = new SimulationStore(db);
        this.tasks = new TaskStore(db);
    }

    /** A job waiting to be published. */
    public record Due(long simulationId, String mergeId, String groupId, String message, int attempts, long nextAttemptAt) {
    }

    /** A published job not known to have ended. */
    public record Watched(long simulationId, String mergeId, String jobState, long sentAt, List<String> unfinishedCeleryIds) {
    }

    /** One line of the operator's view. */
    public record Entry(long simulationId, String jobId, String dispatchState, String jobState, long queuedAt,
                        Long sentAt, int attempts, String lastError) {
    }

    /**
     * Records the job in the caller's transaction (the one creating the job): the outbox row, each
     * task's Celery id and the merge id, as the original stores them before submitting.
     */
    public static void record(StoreTransaction transaction, long simulationId, List<String> celeryIds, String mergeId,
                              String groupId, String message, long now) {
        Handle h = transaction.handle();
        h.createUpdate("""
                        INSERT INTO yaptide_celery_outbox (simulation_id, dispatch_state, merge_id, group_id, message,
                                                           queued_at, sent_at, attempts, next_attempt_at, last_error)
                        VALUES (:id, 'QUEUED', :mergeId, :groupId, :message, :now, NULL, 0, :now, NULL)""")
                .bind("id", simulationId).bind("mergeId", mergeId).bind("groupId", groupId)
                .bind("message", message).bind("now", now).execute();
        TaskStore.recordCeleryIds(h, simulationId, celeryIds);
        SimulationStore.recordMergeId(h, simulationId, mergeId);
    }

    public List<Due> due(long now, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT simulation_id, merge_id, group_id, message, attempts, next_attempt_at
                        FROM yaptide_celery_outbox WHERE dispatch_state = 'QUEUED' AND next_attempt_at <= :now
                        ORDER BY next_attempt_at, simulation_id LIMIT :limit""")
                .bind("now", now).bind("limit", limit)
                .map((rs, ctx) -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), rs.getLong(6)))
                .list());
    }

    /**
     * Rows whose simulation was deleted or ended before they were sent (deleted by its user, or
     * ended by an operator) are never sent: dropped or marked CANCELED.
     */
    public void dropStale() {
        db.jdbi().useHandle(h -> {
            h.createUpdate("""
                    DELETE FROM yaptide_celery_outbox WHERE dispatch_state = 'QUEUED' AND NOT EXISTS
                        (SELECT 1 FROM "Simulation" s WHERE s.id = yaptide_celery_outbox.simulation_id)""").execute();
            h.createUpdate("""
                    UPDATE yaptide_celery_outbox SET dispatch_state = 'CANCELED', message = NULL
                    WHERE dispatch_state = 'QUEUED' AND EXISTS (SELECT 1 FROM "Simulation" s
                        WHERE s.id = yaptide_celery_outbox.simulation_id
                          AND s.job_state IN""" + " " + JobState.TERMINAL_SQL + ")").execute();
        });
    }

    /** Takes the row for one attempt (another service process then skips it until {@code leaseUntil}). */
    public boolean claim(Due d, long leaseUntil) {
        return db.jdbi().withHandle(h -> h.createUpdate("""
                        UPDATE yaptide_celery_outbox SET next_attempt_at = :lease
                        WHERE simulation_id = :id AND dispatch_state = 'QUEUED' AND next_attempt_at = :old""")
                .bind("lease", leaseUntil).bind("id", d.simulationId()).bind("old", d.nextAttemptAt())
                .execute() == 1);
    }

    /** Published: the message (it holds the update key) is no longer kept. */
    public void markSent(long simulationId, long now) {
        db.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE yaptide_celery_outbox SET dispatch_state = 'SENT', sent_at = :now, message = NULL,
                               attempts = attempts + 1, last_error = NULL
                        WHERE simulation_id = :id AND dispatch_state = 'QUEUED'""")
                .bind("now", now).bind("id", simulationId).execute());
    }

    public void markRetry(long simulationId, long nextAttemptAt, String error) {
        String e = error == null ? "unknown error" : error.length() > 500 ? error.substring(0, 500) : error;
        db.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE yaptide_celery_outbox SET attempts = attempts + 1, next_attempt_at = :next, last_error = :err
                        WHERE simulation_id = :id AND dispatch_state = 'QUEUED'""")
                .bind("next", nextAttemptAt).bind("err", e).bind("id", simulationId).execute());
    }

    /**
     * Cancels a job not yet sent (it will never be), or ends the watch of a sent one.
     *
     * @return the dispatch state it had, empty when the job has no outbox row
     */
    public Optional<String> cancel(long simulationId) {
        return DeadlockRetry.run(() -> db.jdbi().inTransaction(h -> {
            Optional<String> state = h.createQuery(
                            "SELECT dispatch_state FROM yaptide_celery_outbox WHERE simulation_id = :id")
                    .bind("id", simulationId).mapTo(String.class).findOne();
            h.createUpdate("""
                            UPDATE yaptide_celery_outbox SET message = NULL,
                                   dispatch_state = CASE WHEN dispatch_state IN ('QUEUED', 'CANCELED') THEN 'CANCELED' ELSE 'DONE' END
                            WHERE simulation_id = :id""")
                    .bind("id", simulationId).execute();
            return state;
        }));
    }

    /** The simulation's merge id and the Celery ids of its tasks in the given states. */
    public List<String> celeryIds(long simulationId, List<String> taskStates) {
        return tasks.listBySimulation(simulationId).stream()
                .filter(t -> taskStates.contains(t.state().name()))
                .map(t -> t instanceof DirectTask d ? d.celeryId() : "")
                .filter(id -> id != null && !id.isEmpty())
                .toList();
    }

    public Optional<String> mergeId(long simulationId) {
        return simulations.findById(simulationId)
                .map(s -> s instanceof DirectSimulation d ? d.mergeId() : null);
    }

    /** Sent jobs; those whose simulation ended (or went) are marked DONE here and not returned. */
    public List<Watched> watched() {
        return db.jdbi().withHandle(h -> {
            h.createUpdate("""
                    UPDATE yaptide_celery_outbox SET dispatch_state = 'DONE'
                    WHERE dispatch_state = 'SENT' AND NOT EXISTS (SELECT 1 FROM "Simulation" s
                        WHERE s.id = yaptide_celery_outbox.simulation_id
                          AND s.job_state NOT IN""" + " " + JobState.TERMINAL_SQL + ")").execute();
            return h.createQuery("""
                            SELECT o.simulation_id, o.merge_id, s.job_state, o.sent_at
                            FROM yaptide_celery_outbox o JOIN "Simulation" s ON s.id = o.simulation_id
                            WHERE o.dispatch_state = 'SENT' ORDER BY o.simulation_id""")
                    .map((rs, ctx) -> new Watched(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), List.of()))
                    .list();
        });
    }

    /**
     * Ends a job FAILED, with its unfinished tasks, atomically (unless it ended meanwhile).
     *
     * @return true if it was failed now
     */
    public boolean fail(long simulationId) {
        return simulations.fail(simulationId, h -> h.createUpdate(
                        "UPDATE yaptide_celery_outbox SET dispatch_state = 'DONE' WHERE simulation_id = :id")
                .bind("id", simulationId).execute());
    }

    /** Marks one task FAILED (the result backend says so while the worker could not report it). */
    public void failTask(long simulationId, String celeryId) {
        tasks.failByCeleryId(simulationId, celeryId);
    }

    /** The job's row for the operator's view, if it has one. */
    public Optional<Entry> find(long simulationId) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT o.simulation_id, s.job_id, o.dispatch_state, s.job_state, o.queued_at, o.sent_at,
                               o.attempts, o.last_error
                        FROM yaptide_celery_outbox o LEFT JOIN "Simulation" s ON s.id = o.simulation_id
                        WHERE o.simulation_id = :id""")
                .bind("id", simulationId)
                .map((rs, ctx) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), nullableLong(rs, 6), rs.getInt(7), rs.getString(8)))
                .findOne());
    }

    /** The operator's view: every job with an outbox row not yet DONE/CANCELED (all of them with {@code all}). */
    public List<Entry> list(boolean all) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT o.simulation_id, s.job_id, o.dispatch_state, s.job_state, o.queued_at, o.sent_at,
                               o.attempts, o.last_error
                        FROM yaptide_celery_outbox o LEFT JOIN "Simulation" s ON s.id = o.simulation_id
                        WHERE :all OR o.dispatch_state IN ('QUEUED', 'SENT')
                        ORDER BY o.queued_at, o.simulation_id""")
                .bind("all", all)
                .map((rs, ctx) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), nullableLong(rs, 6), rs.getInt(7), rs.getString(8)))
                .list());
    }

    private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** The operator's dispatch state of a job: queued, sent, running, merging, or its end. */
    public static String dispatchState(Entry e) {
        if (QUEUED.equals(e.dispatchState())) {
            return "queued";
        }
        if (CANCELED.equals(e.dispatchState())) {
            return "canceled-unsent";
        }
        String s = e.jobState() == null ? "" : e.jobState();
        if (s.startsWith("MERGING")) {
            return "merging";
        }
        if (s.equals("RUNNING")) {
            return "running";
        }
        if (SENT.equals(e.dispatchState()) && s.equals("PENDING")) {
            return "sent";
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }
}
