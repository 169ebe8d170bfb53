package io.yaptide.store.tasks;

import io.yaptide.store.db.Database;
import io.yaptide.store.db.DeadlockRetry;
import io.yaptide.store.db.Dialect;
import io.yaptide.store.db.NamedStatement;
import io.yaptide.store.db.NullableColumns;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.simulations.UpdateKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Tasks of simulations, and the worker's progress updates under the original's rules.
 *
 * <p>The original read a task, changed it in Python and wrote it back, so two workers (or a worker
 * and a cancel) could overwrite each other. Here an update is ONE UPDATE statement: its WHERE clause
 * refuses a task that is already COMPLETED, FAILED or CANCELED, and its SET expressions read the
 * row as it is when the statement runs (set-once times, the end clearing the estimate, COMPLETED
 * copying the requested primaries, zero meaning "no news"). The database serialises statements on
 * the row, so concurrent updates compose instead of overwriting, and nothing is ever read first.
 * A progress update without a celery id is a single autocommit statement: one round trip.
 */
public final class TaskStore {

    private static final String SELECT_TASK = """
            SELECT t.id, t.simulation_id, t.task_id, t.requested_primaries, t.simulated_primaries, t.task_state,
                   t.estimated_time, t.start_time, t.end_time, t.platform, t.last_update_time, c.celery_id
            FROM "Task" t
            LEFT JOIN "CeleryTask" c ON c.id = t.id
            """;

    /**
     * The rules of {@link TaskUpdate}, as one statement. In SET, column names mean the row's values
     * before this statement, so each expression sees the old row:
     * <ul>
     *   <li>state, primaries: a null parameter (not sent) or 0 (for numbers) keeps the old value;</li>
     *   <li>COMPLETED copies the requested primaries (the new ones if this update sends them);</li>
     *   <li>estimated_time: cleared when the task has or gets an end time, else a non-zero estimate;</li>
     *   <li>start_time, end_time: COALESCE keeps a time once set;</li>
     *   <li>last_update_time: refreshed by every accepted update.</li>
     * </ul>
     */
    private static final String UPDATE_TASK_TEMPLATE = """
            UPDATE "Task" SET
                task_state = COALESCE(:state, task_state),
                requested_primaries = COALESCE(NULLIF(:requested, 0), requested_primaries),
                simulated_primaries = CASE
                    WHEN :state = 'COMPLETED' THEN COALESCE(NULLIF(:requested, 0), requested_primaries)
                    ELSE COALESCE(NULLIF(:simulated, 0), simulated_primaries) END,
                estimated_time = CASE
                    WHEN end_time IS NOT NULL OR :endGiven = 1 THEN NULL
                    ELSE COALESCE(NULLIF(:estimated, 0), estimated_time) END,
                start_time = COALESCE(start_time, :startTime),
                end_time = COALESCE(end_time, :endTime),
                last_update_time = %s
            WHERE simulation_id = :simulationId AND task_id = :taskId
              AND task_state NOT IN %s""";

    /**
     * celery_id lives in CeleryTask. It is written only after the Task statement above accepted the
     * update in the same transaction, which then holds the task's row lock: so the id changes exactly
     * when the rest of the update is accepted, including an update that itself ends the task.
     */
    private static final String UPDATE_CELERY_ID = """
            UPDATE "CeleryTask" SET celery_id = :celeryId
            WHERE id = (SELECT t.id FROM "Task" t WHERE t.simulation_id = :simulationId AND t.task_id = :taskId)
              AND celery_id <> :celeryId""";

    /**
     * Appended to the update of a progress report on PostgreSQL: makes this statement's own
     * (autocommit) transaction commit without waiting for the WAL flush. A progress report only
     * refreshes counters that the worker's next report supersedes, so losing the last fraction of a
     * second of them in a server crash is harmless, while the flush wait (about a millisecond, more
     * on a busy disk) would cap a worker's reports. The uncorrelated sub-select runs once, inside
     * the statement's transaction, before its commit; commits stay ordered, so the next synchronous
     * commit (a report that starts or ends the task, a cancel) flushes every progress before it.
     * SQLite needs nothing: in WAL mode with synchronous=NORMAL its commits do not wait for fsync.
     */
    private static final String ASYNC_COMMIT_GUARD =
            "\n  AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'";

    /**
     * Appended on PostgreSQL to a report that sends a start time but nothing final (no end time, no
     * celery id, no terminal state): the original's workers repeat {@code start_time} and
     * {@code task_state: RUNNING} in their progress reports. Decided per row, on the row as it is:
     * when the task already has its start time and is already in the reported state, this report
     * changes only counters, exactly like a progress report, and commits like one; otherwise (it
     * starts the task) it keeps the configured durability. start_time never goes back to NULL, so
     * the decision cannot be wrong for the row version the update writes.
     */
    private static final String SETTLED_COMMIT_GUARD = """

              AND set_config('synchronous_commit', CASE WHEN start_time IS NOT NULL AND task_state = COALESCE(:state, task_state)
                  THEN 'off' ELSE current_setting('synchronous_commit') END, true) IS NOT NULL""";

    /**
     * Appended to an update that authenticates the worker in the same statement: the simulation's
     * stored key hash must be the fast hash of the presented key. Comparing hashes in SQL is not
     * constant-time, which is harmless: what could leak is how many leading characters of a SHA-256
     * of a guess match the stored one, which says nothing about the 256-bit key.
     */
    private static final String KEY_GUARD = """

              AND EXISTS (SELECT 1 FROM "Simulation" s WHERE s.id = :simulationId AND s.update_key_hash = :keyHash)""";

    /**
     * The keyed report also reads the simulation's state in the same round trip, so that the caller
     * can skip letting the simulation follow its tasks when it already does (a RUNNING report on a
     * RUNNING simulation changes nothing there).
     */
    private static final String RETURNING_SIMULATION_STATE = """

            RETURNING (SELECT s.job_state FROM "Simulation" s WHERE s.id = :simulationId)""";

    private final Database db;
    private final NamedStatement updateTask;
    private final NamedStatement progressUpdate;
    private final NamedStatement settledUpdate;
    private final NamedStatement keyedUpdate;
    private final NamedStatement keyedProgressUpdate;
    private final NamedStatement keyedSettledUpdate;
    private final NamedStatement keyedUpdateInTransaction;

    public TaskStore(Database db) {
        this.db = db;
        String update = UPDATE_TASK_TEMPLATE.formatted(db.dialect().nowSql(), JobState.TERMINAL_SQL);
        boolean pg = db.isPostgres();
        String async = pg ? ASYNC_COMMIT_GUARD : "";
        String settled = pg ? SETTLED_COMMIT_GUARD : "";
        this.updateTask = new NamedStatement(update);
        this.progressUpdate = new NamedStatement(update + async);
        this.settledUpdate = new NamedStatement(update + settled);
        String keyed = update + KEY_GUARD;
        this.keyedUpdate = new NamedStatement(keyed + RETURNING_SIMULATION_STATE);
        this.keyedProgressUpdate = new NamedStatement(keyed + async + RETURNING_SIMULATION_STATE);
        this.keyedSettledUpdate = new NamedStatement(keyed + settled + RETURNING_SIMULATION_STATE);
        this.keyedUpdateInTransaction = new NamedStatement(keyed);
    }

    /**
     * A report that only moves progress along (counters, estimate, a non-terminal state), so that
     * the next report supersedes it; anything set once or final (times, celery id, a terminal
     * state) is not.
     */
    static boolean isProgressOnly(TaskUpdate u) {
        return u.startTime() == null && u.endTime() == null && u.celeryId() == null
                && (u.state() == null || !u.state().isTerminal());
    }

    /** A report that is progress once the task has started: it adds only a start time to progress. */
    static boolean isProgressOnceStarted(TaskUpdate u) {
        return u.startTime() != null && u.endTime() == null && u.celeryId() == null
                && (u.state() == null || !u.state().isTerminal());
    }

    /** Tasks of a simulation ordered by task number. */
    public List<Task> listBySimulation(long simulationId) {
        return db.jdbi().withHandle(h -> h.createQuery(SELECT_TASK + "WHERE t.simulation_id = :simulationId ORDER BY t.task_id")
                .bind("simulationId", simulationId)
                .map((rs, ctx) -> map(rs, db.dialect()))
                .list());
    }

    /** A task by simulation and task number. */
    public Optional<Task> find(long simulationId, int taskId) {
        return db.jdbi().withHandle(h -> h.createQuery(SELECT_TASK + "WHERE t.simulation_id = :simulationId AND t.task_id = :taskId")
                .bind("simulationId", simulationId)
                .bind("taskId", taskId)
                .map((rs, ctx) -> map(rs, db.dialect()))
                .findOne());
    }

    /**
     * Applies a worker's update under the rules of {@link TaskUpdate}, in one statement; true if
     * accepted (the task exists and had not finished), false with nothing changed otherwise.
     */
    public boolean update(long simulationId, int taskId, TaskUpdate update) {
        if (update == null) {
            throw new StoreException.Invalid("no task update given");
        }
        TaskUpdateBinder values = TaskUpdateBinder.of(db.dialect(), simulationId, taskId, update);
        if (update.celeryId() == null) {
            NamedStatement statement = isProgressOnly(update) ? progressUpdate
                    : isProgressOnceStarted(update) ? settledUpdate : updateTask;
            return statement.executeUpdate(db, values) == 1;
        }
        return DeadlockRetry.run(() -> db.jdbi().inTransaction(h -> {
            if (updateTask.executeUpdate(h.getConnection(), values) != 1) {
                return false;
            }
            updateCeleryId(h, simulationId, taskId, update.celeryId());
            return true;
        }));
    }

    /**
     * What a keyed report did: whether it was accepted, and the simulation's state as the same
     * statement read it (null when not read: a refused report, or one that also set a celery id).
     */
    public record KeyedReport(boolean accepted, JobState simulationState) {
        static final KeyedReport REFUSED = new KeyedReport(false, null);
    }

    /**
     * A worker's update authenticated in the same statement, the hot path of {@code POST /tasks}: one
     * round trip (for a report without a celery id) instead of a key read and then the update.
     * Accepted when the simulation's stored key hash is the fast hash ({@link UpdateKey#hash}) of
     * {@code updateKey} and the update was accepted as by {@link #update}. Refused, with nothing
     * changed, for anything else: no such simulation or task, a wrong key, a finished task, or a key
     * stored as the original's slow hash; the caller then tells these apart the slow way (and a
     * legacy key, once verified and upgraded by {@code UpdateKeys.check}, takes this
     * path from then on).
     */
    public KeyedReport updateWithKey(long simulationId, int taskId, String updateKey, TaskUpdate update) {
        if (update == null) {
            throw new StoreException.Invalid("no task update given");
        }
        if (updateKey == null || updateKey.isEmpty()) {
            return KeyedReport.REFUSED;
        }
        TaskUpdateBinder values = new TaskUpdateBinder(db.dialect(), simulationId, taskId, UpdateKey.hash(updateKey), update);
        if (update.celeryId() == null) {
            NamedStatement statement = isProgressOnly(update) ? keyedProgressUpdate
                    : isProgressOnceStarted(update) ? keyedSettledUpdate : keyedUpdate;
            return statement.queryText(db, values)
                    .map(state -> new KeyedReport(true, JobState.parse(state).orElse(null)))
                    .orElse(KeyedReport.REFUSED);
        }
        boolean accepted = DeadlockRetry.run(() -> db.jdbi().inTransaction(h -> {
            if (keyedUpdateInTransaction.executeUpdate(h.getConnection(), values) != 1) {
                return false;
            }
            updateCeleryId(h, simulationId, taskId, update.celeryId());
            return true;
        }));
        return accepted ? new KeyedReport(true, null) : KeyedReport.REFUSED;
    }

    private static void updateCeleryId(Handle h, long simulationId, int taskId, String celeryId) {
        h.createUpdate(UPDATE_CELERY_ID)
                .bind("simulationId", simulationId)
                .bind("taskId", taskId)
                .bind("celeryId", celeryId)
                .execute();
    }

    /**
     * Applies updates for many tasks of one simulation as one JDBC batch in one transaction; returns,
     * by task number, which were accepted. Tasks are written in task-number order, so two batches
     * over the same tasks lock them in the same order.
     */
    public Map<Integer, Boolean> updateBatch(long simulationId, Map<Integer, TaskUpdate> updates) {
        if (updates == null || updates.isEmpty()) {
            return Map.of();
        }
        TreeMap<Integer, TaskUpdate> ordered = new TreeMap<>();
        updates.forEach((taskId, update) -> {
            if (taskId == null || update == null) {
                throw new StoreException.Invalid("a batch of task updates has a missing task number or update");
            }
            ordered.put(taskId, update);
        });
        return DeadlockRetry.run(() -> db.jdbi().inTransaction(h -> applyBatch(h, simulationId, ordered)));
    }

    private Map<Integer, Boolean> applyBatch(Handle h, long simulationId, TreeMap<Integer, TaskUpdate> ordered) {
        List<Integer> taskIds = new ArrayList<>(ordered.keySet());
        List<TaskUpdateBinder> values = new ArrayList<>();
        ordered.forEach((taskId, update) -> values.add(TaskUpdateBinder.of(db.dialect(), simulationId, taskId, update)));
        int[] counts = updateTask.executeBatch(h.getConnection(), values);
        Map<Integer, Boolean> accepted = new TreeMap<>();
        PreparedBatch celery = null;
        for (int i = 0; i < taskIds.size(); i++) {
            int taskId = taskIds.get(i);
            boolean ok = counts[i] == 1;
            accepted.put(taskId, ok);
            String celeryId = ordered.get(taskId).celeryId();
            if (ok && celeryId != null) {
                if (celery == null) {
                    celery = h.prepareBatch(UPDATE_CELERY_ID);
                }
                celery.bind("simulationId", simulationId).bind("taskId", taskId).bind("celeryId", celeryId).add();
            }
        }
        if (celery != null) {
            celery.execute();
        }
        return Collections.unmodifiableMap(accepted);
    }

    /**
     * Marks the task the Celery workers know by {@code celeryId} FAILED, unless it has finished (the
     * result backend says it failed while its worker could not report it).
     */
    public void failByCeleryId(long simulationId, String celeryId) {
        String now = db.dialect().nowSql();
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE \"Task\" SET task_state = 'FAILED', end_time = COALESCE(end_time, "
                        + now + "), estimated_time = NULL, last_update_time = " + now
                        + " WHERE simulation_id = :id AND task_state NOT IN " + JobState.TERMINAL_SQL + """

                           AND id = (SELECT c.id FROM "CeleryTask" c JOIN "Task" t ON t.id = c.id
                                     WHERE t.simulation_id = :id AND c.celery_id = :celeryId)""")
                .bind("id", simulationId).bind("celeryId", celeryId).execute());
    }

    /** Records the Celery ids of a simulation's tasks 0, 1, ... in the caller's transaction (the one creating the job). */
    public static void recordCeleryIds(Handle h, long simulationId, List<String> celeryIds) {
        for (int i = 0; i < celeryIds.size(); i++) {
            h.createUpdate("""
                            UPDATE "CeleryTask" SET celery_id = :celeryId
                            WHERE id = (SELECT id FROM "Task" WHERE simulation_id = :sim AND task_id = :task)""")
                    .bind("celeryId", celeryIds.get(i)).bind("sim", simulationId).bind("task", i).execute();
        }
    }

    /**
     * The PENDING tasks 0 .. count-1 of a simulation being created, in the caller's transaction
     * ({@code SimulationStore.create}): one JDBC batch for the Task rows (a multi-row INSERT on
     * PostgreSQL), then one INSERT ... SELECT for all variant rows: two round trips whatever the count.
     */
    public static void insertPending(Handle h, long simulationId, int count, int requestedPrimaries, Platform platform,
                                     Instant now) {
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO "Task" (simulation_id, task_id, requested_primaries, simulated_primaries, task_state,
                                    estimated_time, start_time, end_time, platform, last_update_time)
                VALUES (:simulationId, :taskId, :requested, 0, :state, NULL, NULL, NULL, :platform, :now)""");
        for (int taskId = 0; taskId < count; taskId++) {
            batch.bind("simulationId", simulationId)
                    .bind("taskId", taskId)
                    .bind("requested", requestedPrimaries)
                    .bind("state", JobState.PENDING.name())
                    .bind("platform", platform.name())
                    .bindByType("now", now, Instant.class)
                    .add();
        }
        batch.execute();
        String variantSql = platform == Platform.DIRECT
                // celery_id is NOT NULL: "" until the worker reports its id, as the original's default
                ? "INSERT INTO \"CeleryTask\" (id, celery_id) SELECT id, '' FROM \"Task\" WHERE simulation_id = :id"
                : "INSERT INTO \"BatchTask\" (id) SELECT id FROM \"Task\" WHERE simulation_id = :id";
        h.createUpdate(variantSql).bind("id", simulationId).execute();
    }

    /** Removes one task of one simulation; false if there was none. */
    public boolean delete(long simulationId, int taskId) {
        return db.jdbi().withHandle(h -> h.createUpdate(
                        "DELETE FROM \"Task\" WHERE simulation_id = :simulationId AND task_id = :taskId")
                .bind("simulationId", simulationId)
                .bind("taskId", taskId)
                .execute()) > 0;
    }

    static Task map(ResultSet rs, Dialect dialect) throws SQLException {
        long id = rs.getLong("id");
        long simulationId = rs.getLong("simulation_id");
        int taskId = rs.getInt("task_id");
        int requested = rs.getInt("requested_primaries");
        int simulated = rs.getInt("simulated_primaries");
        String stateText = rs.getString("task_state");
        JobState state = JobState.parse(stateText).orElseThrow(() -> new IllegalStateException(
                "task " + id + " has an unknown task_state in the database: " + stateText));
        Integer estimated = NullableColumns.integer(rs, "estimated_time");
        Instant start = dialect.readTime(rs, "start_time");
        Instant end = dialect.readTime(rs, "end_time");
        Instant lastUpdate = dialect.readTime(rs, "last_update_time");
        String platform = rs.getString("platform");
        if (Platform.DIRECT.name().equalsIgnoreCase(platform)) {
            return new DirectTask(id, simulationId, taskId, requested, simulated, state, estimated, start, end,
                    lastUpdate, rs.getString("celery_id"));
        }
        if (Platform.BATCH.name().equalsIgnoreCase(platform)) {
            return new BatchTask(id, simulationId, taskId, requested, simulated, state, estimated, start, end, lastUpdate);
        }
        throw new IllegalStateException("task " + id + " has an unknown platform in the database: " + platform);
    }

    Database db() {
        return db;
    }
}
