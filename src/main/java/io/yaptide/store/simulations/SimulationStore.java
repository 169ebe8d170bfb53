package io.yaptide.store.simulations;

import io.yaptide.store.db.Database;
import io.yaptide.store.db.DeadlockRetry;
import io.yaptide.store.db.Dialect;
import io.yaptide.store.db.NamedStatement;
import io.yaptide.store.db.NullableColumns;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.db.StoreTransaction;
import io.yaptide.store.tasks.TaskStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Simulations with their tasks and input.
 *
 * <p>Reads are polymorphic in one query: {@code Simulation} LEFT JOINed to both variant tables,
 * the record chosen by {@code Simulation.platform} (the discriminator, as the original's mapper
 * does). State rules live in the WHERE clauses of {@link #update}, {@link #cancel} and
 * {@link #followTasks}: a statement either applies the rules to the row as it is at that moment or
 * matches no row, so no update is lost and no state regresses under concurrent writers.
 */
public final class SimulationStore {

    private static final String SELECT_SIMULATION = """
            SELECT s.id, s.job_id, s.user_id, s.start_time, s.end_time, s.title, s.platform, s.input_type,
                   s.sim_type, s.job_state, c.merge_id, b.cluster_id, b.job_dir, b.array_id, b.collect_id
            FROM "Simulation" s
            LEFT JOIN "CelerySimulation" c ON c.id = s.id
            LEFT JOIN "BatchSimulation" b ON b.id = s.id
            """;

    /** The state the original derives from a simulation's tasks; the current state when no rule applies. */
    private static final String STATE_FROM_TASKS = """
            CASE
                WHEN NOT EXISTS (SELECT 1 FROM "Task" t WHERE t.simulation_id = :id) THEN job_state
                WHEN NOT EXISTS (SELECT 1 FROM "Task" t WHERE t.simulation_id = :id
                                 AND t.task_state <> 'PENDING') THEN 'PENDING'
                WHEN NOT EXISTS (SELECT 1 FROM "Task" t WHERE t.simulation_id = :id
                                 AND t.task_state <> 'FAILED') THEN 'FAILED'
                WHEN EXISTS (SELECT 1 FROM "Task" t WHERE t.simulation_id = :id
                             AND t.task_state = 'RUNNING') THEN 'RUNNING'
                ELSE job_state
            END""";

    private final Database db;
    private final UpdateKeys keys;

    public SimulationStore(Database db) {
        this.db = db;
        this.keys = new UpdateKeys(db);
    }

    // ---- create -----------------------------------------------------------------------------------

    /**
     * Creates the simulation (state PENDING), its variant row, its tasks (PENDING, numbered 0..n-1,
     * each with {@code requestedPrimaries}) and its input, atomically, and a fresh update key of
     * which only the hash is stored.
     *
     * @throws StoreException.Invalid when the request is incomplete, the user or cluster does not
     *                                exist, or the job id is taken (nothing is written)
     */
    public CreatedSimulation create(NewSimulation request) {
        return create(request, (h, created) -> { });
    }

    /** Work to do in the creating transaction, given the simulation and its plain update key. */
    public interface SameTransaction {
        void run(StoreTransaction transaction, CreatedSimulation created);
    }

    /** As {@link #create(NewSimulation)}, running {@code alsoDo} in the same transaction (an outbox row). */
    public CreatedSimulation create(NewSimulation request, SameTransaction alsoDo) {
        validate(request);
        Instant startTime = (request.startTime() != null ? request.startTime() : Instant.now())
                .truncatedTo(ChronoUnit.MICROS); // both databases keep microseconds
        UpdateKeys.Issued issued = UpdateKeys.issue();
        String key = issued.key();
        String keyHash = issued.hash();
        Simulation created = db.jdbi().inTransaction(h -> {
            checkReferences(h, request);
            long id = h.createUpdate("""
                            INSERT INTO "Simulation" (job_id, user_id, start_time, end_time, title, platform,
                                                      input_type, sim_type, job_state, update_key_hash)
                            VALUES (:jobId, :userId, :startTime, NULL, :title, :platform,
                                    :inputType, :simType, :state, :keyHash)""")
                    .bind("jobId", request.jobId())
                    .bind("userId", request.userId())
                    .bindByType("startTime", startTime, Instant.class)
                    .bind("title", request.title())
                    .bind("platform", request.platform().name())
                    .bind("inputType", request.inputType().name())
                    .bind("simType", request.simType().dbValue())
                    .bind("state", JobState.PENDING.name())
                    .bind("keyHash", keyHash)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
            insertVariant(h, id, request);
            TaskStore.insertPending(h, id, request.taskCount(), request.requestedPrimaries(), request.platform(), startTime);
            h.createUpdate("INSERT INTO \"Input\" (simulation_id, compressed_data) VALUES (:id, :data)")
                    .bind("id", id)
                    .bind("data", request.input().compressed())
                    .execute();
            Simulation made = request.platform() == Platform.DIRECT
                    ? new DirectSimulation(id, request.jobId(), request.userId(), startTime, null, request.title(),
                            request.inputType(), request.simType(), JobState.PENDING, null)
                    : new BatchSimulation(id, request.jobId(), request.userId(), startTime, null, request.title(),
                            request.inputType(), request.simType(), JobState.PENDING, request.clusterId(),
                            null, null, null);
            alsoDo.run(StoreTransaction.of(h), new CreatedSimulation(made, key));
            return made;
        });
        return new CreatedSimulation(created, key);
    }

    private static void validate(NewSimulation r) {
        require(r != null, "no simulation given");
        require(r.jobId() != null && !r.jobId().isBlank(), "job id is required");
        require(r.title() != null, "title is required (may be empty)");
        require(r.platform() != null, "platform is required (DIRECT or BATCH)");
        require(r.inputType() != null, "input type is required (EDITOR or FILES)");
        require(r.simType() != null, "simulator type is required (shieldhit, topas, fluka or dummy)");
        require(r.taskCount() >= 1, "a simulation needs at least 1 task, got " + r.taskCount());
        require(r.requestedPrimaries() >= 0, "requested primaries must not be negative, got " + r.requestedPrimaries());
        require(r.input() != null, "the simulation input is required");
        if (r.platform() == Platform.BATCH) {
            require(r.clusterId() != null, "a BATCH simulation needs a cluster");
        } else {
            require(r.clusterId() == null, "a DIRECT simulation has no cluster; leave clusterId empty");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new StoreException.Invalid(message);
        }
    }

    /** Clear errors instead of foreign-key or unique-constraint failures (checked in the same transaction). */
    private static void checkReferences(Handle h, NewSimulation r) {
        require(exists(h, "SELECT COUNT(*) FROM \"User\" WHERE id = :id", r.userId()),
                "user " + r.userId() + " does not exist");
        if (r.clusterId() != null) {
            require(exists(h, "SELECT COUNT(*) FROM \"Cluster\" WHERE id = :id", r.clusterId()),
                    "cluster " + r.clusterId() + " does not exist");
        }
        int taken = h.createQuery("SELECT COUNT(*) FROM \"Simulation\" WHERE job_id = :jobId")
                .bind("jobId", r.jobId()).mapTo(Integer.class).one();
        require(taken == 0, "job id " + r.jobId() + " is already taken");
    }

    private static boolean exists(Handle h, String countSql, long id) {
        return h.createQuery(countSql).bind("id", id).mapTo(Integer.class).one() > 0;
    }

    private static void insertVariant(Handle h, long id, NewSimulation r) {
        if (r.platform() == Platform.DIRECT) {
            h.createUpdate("INSERT INTO \"CelerySimulation\" (id, merge_id) VALUES (:id, NULL)")
                    .bind("id", id).execute();
        } else {
            h.createUpdate("""
                            INSERT INTO "BatchSimulation" (id, cluster_id, job_dir, array_id, collect_id)
                            VALUES (:id, :clusterId, NULL, NULL, NULL)""")
                    .bind("id", id).bind("clusterId", r.clusterId()).execute();
        }
    }

    /** Records a direct simulation's merge id in the caller's transaction (the one creating the job). */
    public static void recordMergeId(Handle h, long simulationId, String mergeId) {
        h.createUpdate("UPDATE \"CelerySimulation\" SET merge_id = :mergeId WHERE id = :id")
                .bind("mergeId", mergeId).bind("id", simulationId).execute();
    }

    // ---- read -------------------------------------------------------------------------------------

    public Optional<Simulation> findById(long id) {
        return db.jdbi().withHandle(h -> h.createQuery(SELECT_SIMULATION + "WHERE s.id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs, db.dialect())).findOne());
    }

    public Optional<Simulation> findByJobId(String jobId) {
        return db.jdbi().withHandle(h -> h.createQuery(SELECT_SIMULATION + "WHERE s.job_id = :jobId")
                .bind("jobId", jobId).map((rs, ctx) -> map(rs, db.dialect())).findOne());
    }

    /**
     * A page (0-based {@code pageIdx}) of the user's simulations, in the given order, with the total.
     * Simulations without an end time (still running) count as the latest when ordering by end time,
     * on both databases; ties are broken by id in the same direction.
     */
    public SimulationPage listByUser(long userId, int pageIdx, int pageSize, SimulationOrder order) {
        return listByUser(userId, pageIdx, pageSize, order, java.util.Set.of());
    }

    /**
     * A page of a user's simulations in one of {@code states} (all states when empty): the
     * original's {@code GET /user/simulations?job_state=A,B}, which the v2.6 front end always sends.
     * The count and the page come from one transaction, so they agree.
     */
    public SimulationPage listByUser(long userId, int pageIdx, int pageSize, SimulationOrder order,
                                     java.util.Set<JobState> states) {
        require(pageIdx >= 0, "page index must be 0 or more, got " + pageIdx);
        require(pageSize >= 1, "page size must be at least 1, got " + pageSize);
        SimulationOrder o = order != null ? order : SimulationOrder.NEWEST_FIRST;
        List<String> stateNames = states.stream().map(JobState::name).sorted().toList();
        String stateFilter = stateNames.isEmpty() ? "" : " AND p.job_state IN (<states>)";
        // The page's ids first, from the index alone (a3d9e5f1c7b4: user, order column, id, state),
        // then only those rows: OFFSET skips index entries, not table rows, so a deep page stays cheap.
        String pageIds = "SELECT p.id FROM \"Simulation\" p WHERE p.user_id = :userId" + stateFilter
                + " ORDER BY " + orderBy(o, "p") + " LIMIT :limit OFFSET :offset";
        return db.jdbi().inTransaction(h -> {
            var count = h.createQuery("SELECT COUNT(*) FROM \"Simulation\" p WHERE p.user_id = :userId" + stateFilter)
                    .bind("userId", userId);
            var select = h.createQuery(SELECT_SIMULATION + "WHERE s.id IN (" + pageIds + ") ORDER BY " + orderBy(o, "s"))
                    .bind("userId", userId)
                    .bind("limit", pageSize)
                    .bind("offset", (long) pageIdx * pageSize);
            if (!stateNames.isEmpty()) {
                count.bindList("states", stateNames);
                select.bindList("states", stateNames);
            }
            long total = count.mapTo(Long.class).one();
            List<Simulation> page = select.map((rs, ctx) -> map(rs, db.dialect())).list();
            return new SimulationPage(page, total, pageIdx, pageSize);
        });
    }

    /** PostgreSQL's default null placement (nulls are the largest), spelled out so SQLite agrees; ties by id. */
    private static String orderBy(SimulationOrder o, String alias) {
        String column = alias + (o.field() == SimulationOrder.Field.END_TIME ? ".end_time" : ".start_time");
        return o.descending()
                ? column + " DESC NULLS FIRST, " + alias + ".id DESC"
                : column + " ASC NULLS LAST, " + alias + ".id ASC";
    }

    /** All simulations ordered by id, optionally only one user's. */
    public List<Simulation> list(Optional<Long> userId) {
        return db.jdbi().withHandle(h -> {
            var query = userId.isPresent()
                    ? h.createQuery(SELECT_SIMULATION + "WHERE s.user_id = :userId ORDER BY s.id").bind("userId", userId.get())
                    : h.createQuery(SELECT_SIMULATION + "ORDER BY s.id");
            return query.map((rs, ctx) -> map(rs, db.dialect())).list();
        });
    }

    /**
     * The columns of {@link SimulationListing} (and the two it checks, as {@link #map} does), without
     * the variant tables: whether a BATCH simulation has its {@code BatchSimulation} row (with a
     * cluster: what {@link #map} checks) is asked only
     * for rows that are not DIRECT (CASE evaluates the sub-query only when its condition holds), so a
     * list of direct simulations reads the {@code Simulation} rows and nothing else.
     */
    private static final String SELECT_LISTING = """
            SELECT s.id, s.job_id, s.user_id, s.start_time, s.end_time, s.title, s.platform, s.input_type,
                   s.sim_type, s.job_state,
                   CASE WHEN s.platform <> 'DIRECT'
                        THEN EXISTS (SELECT 1 FROM "BatchSimulation" b WHERE b.id = s.id AND b.cluster_id IS NOT NULL)
                   END AS batch_row
            FROM "Simulation" s
            """;

    /**
     * Plain JDBC: list-simulations runs these and the user lookup only, and a short command spends
     * more time creating and configuring JDBI (and parsing each statement with its ANTLR lexer) than
     * the database spends answering.
     */
    private static final NamedStatement LISTING_OF_USER = new NamedStatement(SELECT_LISTING + "WHERE s.user_id = :userId ORDER BY s.id");
    private static final NamedStatement LISTING = new NamedStatement(SELECT_LISTING + "ORDER BY s.id");

    /**
     * All simulations as a listing shows them, ordered by id, optionally only one user's (by the
     * index on {@code user_id}). The same rows and checks as {@link #list}: a row that {@code list}
     * refuses (an unknown state, platform, input or simulator type, a BATCH simulation without its
     * BatchSimulation row) is refused here with the same message.
     */
    public List<SimulationListing> listing(Optional<Long> userId) {
        Dialect dialect = db.dialect();
        NamedStatement.RowReader<SimulationListing> reader = rs -> mapListing(rs, dialect);
        if (userId.isEmpty()) {
            return LISTING.queryList(db, NamedStatement.NONE, reader);
        }
        long id = userId.get();
        return LISTING_OF_USER.queryList(db, name -> (statement, position) -> statement.setLong(position, id), reader);
    }

    private static SimulationListing mapListing(ResultSet rs, Dialect dialect) throws SQLException {
        Row row = Row.read(rs, dialect);
        Platform platform;
        if (Platform.DIRECT.name().equalsIgnoreCase(row.platform())) {
            platform = Platform.DIRECT;
        } else if (Platform.BATCH.name().equalsIgnoreCase(row.platform())) {
            if (!rs.getBoolean("batch_row")) {
                throw noBatchRow(row.id());
            }
            platform = Platform.BATCH;
        } else {
            throw unknownPlatform(row.id(), row.platform());
        }
        return new SimulationListing(row.id(), row.jobId(), row.userId(), row.start(), row.end(), row.title(), platform,
                row.state());
    }

    /**
     * The {@code Simulation} row's own columns, read and checked the one way for both the full
     * simulation ({@link #map}) and the listing ({@link #mapListing}): an unknown input type,
     * simulator type or state is refused with the same message by either.
     */
    private record Row(long id, String platform, String jobId, Long userId, Instant start, Instant end, String title,
                       InputType inputType, SimulatorType simType, JobState state) {
        static Row read(ResultSet rs, Dialect dialect) throws SQLException {
            long id = rs.getLong("id");
            return new Row(id, rs.getString("platform"), rs.getString("job_id"), NullableColumns.longValue(rs, "user_id"),
                    dialect.readTime(rs, "start_time"), dialect.readTime(rs, "end_time"), rs.getString("title"),
                    SimulationStore.inputType(rs, id), SimulatorType.fromDb(rs.getString("sim_type")),
                    SimulationStore.state(rs, id));
        }
    }

    private static InputType inputType(ResultSet rs, long id) throws SQLException {
        return InputType.parse(rs.getString("input_type")).orElseThrow(() -> new IllegalStateException(
                "simulation " + id + " has an unknown input_type in the database: " + safe(rs, "input_type")));
    }

    private static JobState state(ResultSet rs, long id) throws SQLException {
        return JobState.parse(rs.getString("job_state")).orElseThrow(() -> new IllegalStateException(
                "simulation " + id + " has an unknown job_state in the database: " + safe(rs, "job_state")));
    }

    private static IllegalStateException noBatchRow(long id) {
        return new IllegalStateException("simulation " + id + " is BATCH but has no BatchSimulation row");
    }

    private static IllegalStateException unknownPlatform(long id, String platform) {
        return new IllegalStateException("simulation " + id + " has an unknown platform in the database: " + platform);
    }

    static Simulation map(ResultSet rs, Dialect dialect) throws SQLException {
        Row row = Row.read(rs, dialect);
        if (Platform.DIRECT.name().equalsIgnoreCase(row.platform())) {
            return new DirectSimulation(row.id(), row.jobId(), row.userId(), row.start(), row.end(), row.title(),
                    row.inputType(), row.simType(), row.state(), rs.getString("merge_id"));
        }
        if (Platform.BATCH.name().equalsIgnoreCase(row.platform())) {
            Long clusterId = NullableColumns.longValue(rs, "cluster_id");
            if (clusterId == null) {
                throw noBatchRow(row.id());
            }
            return new BatchSimulation(row.id(), row.jobId(), row.userId(), row.start(), row.end(), row.title(),
                    row.inputType(), row.simType(), row.state(), clusterId, rs.getString("job_dir"),
                    NullableColumns.integer(rs, "array_id"), NullableColumns.integer(rs, "collect_id"));
        }
        throw unknownPlatform(row.id(), row.platform());
    }

    private static String safe(ResultSet rs, String column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            return "?";
        }
    }

    // ---- delete -----------------------------------------------------------------------------------

    /**
     * Counts what deleting the simulations chosen by {@code chosenIds} (SQL selecting their ids, its
     * parameters bound by {@code bind}) removes: one query, for both databases.
     */
    static CascadeCounts cascadeOf(Handle h, String chosenIds, java.util.function.UnaryOperator<Query> bind) {
        return bind.apply(h.createQuery("""
                        SELECT
                          (SELECT COUNT(*) FROM "Simulation" WHERE id IN (CHOSEN)) AS simulations,
                          (SELECT COUNT(*) FROM "Task" WHERE simulation_id IN (CHOSEN)) AS tasks,
                          (SELECT COUNT(*) FROM "Input" WHERE simulation_id IN (CHOSEN)) AS inputs,
                          (SELECT COUNT(*) FROM "Estimator" WHERE simulation_id IN (CHOSEN)) AS estimators,
                          (SELECT COUNT(*) FROM "Page" WHERE estimator_id IN
                             (SELECT id FROM "Estimator" WHERE simulation_id IN (CHOSEN))) AS pages,
                          (SELECT COUNT(*) FROM "Logfiles" WHERE simulation_id IN (CHOSEN)) AS logfiles"""
                        .replace("CHOSEN", chosenIds)))
                .map((rs, ctx) -> new CascadeCounts(rs.getLong("simulations"), rs.getLong("tasks"), rs.getLong("inputs"),
                        rs.getLong("estimators"), rs.getLong("pages"), rs.getLong("logfiles")))
                .one();
    }

    /** What deleting the user's simulations removes (a cascading delete of the user). */
    public CascadeCounts cascadeOfUser(long userId) {
        return db.jdbi().withHandle(h -> cascadeOf(h, "SELECT id FROM \"Simulation\" WHERE user_id = :userId",
                q -> q.bind("userId", userId)));
    }


    /**
     * Deletes a simulation and (by the schema's ON DELETE CASCADE) everything it owns, whatever its
     * state (the operator's {@code remove-simulation}); false if there was none. A user deletes
     * through {@link #deleteOwn}.
     */
    public boolean delete(long id) {
        return db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM \"Simulation\" WHERE id = :id")
                .bind("id", id).execute()) > 0;
    }

    /** What became of a user's request to delete their simulation. */
    public enum Deletion { DELETED, NO_SUCH_SIMULATION, NOT_THE_OWNER, STILL_RUNNING }

    /**
     * A user deletes their own simulation, with everything it owns: only one whose tasks have ended
     * ({@link JobState#DELETABLE}). The rule is the DELETE's WHERE clause; when it matches no row,
     * a read says why.
     */
    public Deletion deleteOwn(String jobId, long userId) {
        for (int attempt = 0; ; attempt++) {
            int deleted = db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM \"Simulation\" WHERE job_id = :jobId"
                            + " AND user_id = :userId AND job_state IN " + JobState.DELETABLE_SQL)
                    .bind("jobId", jobId).bind("userId", userId).execute());
            if (deleted > 0) {
                return Deletion.DELETED;
            }
            Optional<Simulation> now = findByJobId(jobId);
            if (now.isEmpty()) {
                return Deletion.NO_SUCH_SIMULATION;
            }
            if (!java.util.Objects.equals(now.get().userId(), userId)) {
                return Deletion.NOT_THE_OWNER;
            }
            // its tasks ended between the DELETE and the read: states only move on, so once more will do
            if (!JobState.DELETABLE.contains(now.get().state()) || attempt > 0) {
                return Deletion.STILL_RUNNING;
            }
        }
    }

    // ---- state ------------------------------------------------------------------------------------

    /**
     * Applies an update under the state rules; true if it was accepted (the simulation exists and
     * was not COMPLETED, FAILED or CANCELED when the statement ran), false otherwise, with nothing
     * changed.
     *
     * <p>Rules, all in the statements' SQL: a terminal simulation never changes (so a finished job
     * cannot become CANCELED); end_time is set once; merge_id and job_dir update when given;
     * array_id and collect_id change only to a non-zero value. Fields of the other platform's
     * variant (job_dir on a DIRECT simulation) match no row and are ignored.
     *
     * <p>The Simulation row is updated first: its guarded UPDATE decides acceptance and holds the
     * row lock to the end of the transaction, so the variant-table fields are written only as part
     * of an accepted update, even when that very update makes the simulation terminal.
     */
    public boolean update(long simulationId, SimulationUpdate update) {
        require(update != null, "no update given");
        boolean touchesVariant = update.mergeId() != null || update.jobDir() != null
                || update.arrayId() != null || update.collectId() != null;
        if (!touchesVariant) {
            return db.jdbi().withHandle(h -> updateSimulationRow(h, simulationId, update));
        }
        return db.jdbi().inTransaction(h -> {
            if (!updateSimulationRow(h, simulationId, update)) {
                return false;
            }
            if (update.mergeId() != null) {
                h.createUpdate("UPDATE \"CelerySimulation\" SET merge_id = :mergeId WHERE id = :id")
                        .bind("id", simulationId).bind("mergeId", update.mergeId()).execute();
            }
            if (update.jobDir() != null || update.arrayId() != null || update.collectId() != null) {
                h.createUpdate("""
                                UPDATE "BatchSimulation" SET
                                    job_dir = COALESCE(:jobDir, job_dir),
                                    array_id = COALESCE(NULLIF(:arrayId, 0), array_id),
                                    collect_id = COALESCE(NULLIF(:collectId, 0), collect_id)
                                WHERE id = :id""")
                        .bind("id", simulationId)
                        .bind("jobDir", update.jobDir())
                        .bind("arrayId", update.arrayId())
                        .bind("collectId", update.collectId())
                        .execute();
            }
            return true;
        });
    }

    /**
     * The state rule of {@link #update} for the Simulation row alone, inside a caller's transaction
     * (a result set stored with its completion); variant fields are not written here.
     */
    public boolean update(Handle h, long simulationId, SimulationUpdate update) {
        require(update != null && update.mergeId() == null && update.jobDir() == null && update.arrayId() == null
                && update.collectId() == null, "only the state and end time are updated within another store's transaction");
        return updateSimulationRow(h, simulationId, update);
    }

    private boolean updateSimulationRow(Handle h, long simulationId, SimulationUpdate update) {
        return h.createUpdate("""
                        UPDATE "Simulation" SET
                            job_state = COALESCE(:state, job_state),
                            end_time = COALESCE(end_time, :endTime)
                        WHERE id = :id AND job_state NOT IN """ + JobState.TERMINAL_SQL)
                .bind("id", simulationId)
                .bind("state", update.state() == null ? null : update.state().name())
                .bindByType("endTime", truncate(update.endTime()), Instant.class)
                .execute() == 1;
    }

    /**
     * Cancels a simulation that is not finished, and its unfinished tasks, atomically. The simulation
     * and those tasks become CANCELED with their end time set (if it was not set yet); the tasks'
     * estimated time is cleared, as for any task that ends.
     *
     * @return false if it was COMPLETED, FAILED or CANCELED already, or UNKNOWN (never submitted; the
     *         original refuses to cancel those too), or does not exist: nothing changed then
     */
    public boolean cancel(long simulationId) {
        return end(simulationId, JobState.CANCELED, JobState.SETTLED_SQL, h -> { });
    }

    /**
     * Ends a submitted job FAILED with its unfinished tasks, atomically, unless it has finished
     * already (a dispatcher that lost the job's workers), running {@code alsoDo} in the same
     * transaction (the dispatcher's own bookkeeping).
     *
     * @return true if it was failed now
     */
    public boolean fail(long simulationId, java.util.function.Consumer<Handle> alsoDo) {
        return end(simulationId, JobState.FAILED, JobState.TERMINAL_SQL, alsoDo);
    }

    /** The simulation and its unfinished tasks to {@code state}, if the simulation is not in {@code refusedSql}. */
    private boolean end(long simulationId, JobState state, String refusedSql, java.util.function.Consumer<Handle> alsoDo) {
        String now = db.dialect().nowSql();
        return DeadlockRetry.run(() -> db.jdbi().inTransaction(h -> {
            int simulations = h.createUpdate("UPDATE \"Simulation\" SET job_state = :state, end_time = COALESCE(end_time, "
                            + now + ") WHERE id = :id AND job_state NOT IN " + refusedSql)
                    .bind("id", simulationId).bind("state", state.name()).execute();
            if (simulations == 0) {
                return false;
            }
            h.createUpdate("UPDATE \"Task\" SET task_state = :state, end_time = COALESCE(end_time, " + now
                            + "), estimated_time = NULL, last_update_time = " + now
                            + " WHERE simulation_id = :id AND task_state NOT IN " + JobState.TERMINAL_SQL)
                    .bind("id", simulationId).bind("state", state.name()).execute();
            alsoDo.accept(h);
            return true;
        }));
    }

    /**
     * Lets the simulation's state follow its tasks, as the original's job-status routes do: all tasks
     * PENDING makes it PENDING, all FAILED makes it FAILED (with the end time of its last task, or
     * now when no task has one), any RUNNING makes it RUNNING; otherwise
     * (for instance while merging) it stays. One statement: the task counts are read by the same
     * UPDATE that writes, and a simulation that is UNKNOWN, COMPLETED, FAILED or CANCELED is left alone.
     *
     * <p>The HTTP layer calls this where the original recomputed the state: on a job-status read
     * ({@code GET /jobs}), and may call it after a task update that reports RUNNING.
     *
     * @return true if the simulation's state changed
     */
    public boolean followTasks(long simulationId) {
        // a simulation that fails with its tasks ends when its last task ended (now, if none says)
        String endTime = "CASE WHEN " + STATE_FROM_TASKS + " = 'FAILED' THEN COALESCE(end_time,"
                + " (SELECT MAX(t.end_time) FROM \"Task\" t WHERE t.simulation_id = :id), " + db.dialect().nowSql()
                + ") ELSE end_time END";
        return db.jdbi().withHandle(h -> h.createUpdate("UPDATE \"Simulation\" SET job_state = " + STATE_FROM_TASKS
                        + ", end_time = " + endTime
                        + " WHERE id = :id AND job_state NOT IN " + JobState.SETTLED_SQL
                        + " AND job_state <> " + STATE_FROM_TASKS)
                .bind("id", simulationId).execute() == 1);
    }

    /**
     * As {@link #followTasks(long)} for a simulation just read: one whose state is settled
     * ({@link JobState#SETTLED}: never submitted, or finished) cannot follow its tasks, so no statement
     * is run for it (a status read of a finished job stays a read).
     */
    public boolean followTasks(Simulation simulation) {
        return !simulation.state().isSettled() && followTasks(simulation.id());
    }

    // ---- update keys ------------------------------------------------------------------------------

    /** The simulations' update keys: checked, rotated and upgraded by {@link UpdateKeys} alone. */
    public UpdateKeys updateKeys() {
        return keys;
    }

    /** {@link UpdateKeys#rotate}. */
    public String rotateUpdateKey(long simulationId) {
        return keys.rotate(simulationId);
    }

    /** {@link UpdateKeys#check}: true if the key opens this simulation. */
    public boolean checkUpdateKey(long simulationId, String updateKey) {
        return keys.check(simulationId, updateKey) == UpdateKeys.Check.ACCEPTED;
    }

    private static Instant truncate(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    Database db() {
        return db;
    }
}
