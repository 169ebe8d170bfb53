package io.yaptide.store.results;

import io.yaptide.store.db.Database;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.results.ResultSetCodec.EstimatorPages;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.simulations.SimulationUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Inputs, estimators, result pages and log files: the payload tables, all gzip JSON.
 *
 * <p>Reads hand out {@link Payload}s wrapping the stored bytes; nothing is decompressed here, so a
 * page can be served compressed as it is. Writes replace rather than merge: storing an estimator
 * deletes the earlier one of the same simulator's name ({@code file_name}; its pages go by the
 * schema's cascade) and inserts the
 * new one with its pages in JDBC batches, all in one transaction, so readers see the old result set
 * or the new one, never a mixture.
 */
public final class ResultStore {

    private static final RowMapper<Estimator> ESTIMATOR = (rs, ctx) -> new Estimator(
            rs.getLong("id"), rs.getLong("simulation_id"), rs.getString("name"), payload(rs.getBytes("compressed_data")));
    private static final RowMapper<ResultPage> PAGE = (rs, ctx) -> new ResultPage(
            rs.getLong("id"), rs.getLong("estimator_id"), rs.getInt("page_number"), payload(rs.getBytes("compressed_data")));
    private static final RowMapper<StoredInput> INPUT = (rs, ctx) -> new StoredInput(
            rs.getLong("id"), rs.getLong("simulation_id"), payload(rs.getBytes("compressed_data")));
    private static final RowMapper<StoredLogfiles> LOGFILES = (rs, ctx) -> new StoredLogfiles(
            rs.getLong("id"), rs.getLong("simulation_id"), payload(rs.getBytes("compressed_data")));

    private static final String PAGE_COLUMNS = "SELECT id, estimator_id, page_number, compressed_data FROM \"Page\" ";
    private static final String ESTIMATOR_COLUMNS = "SELECT id, simulation_id, name, compressed_data FROM \"Estimator\" ";

    private final Database db;
    private final SimulationStore simulations;

    public ResultStore(Database db) {
        this.db = db;
        this.simulations = new SimulationStore(db);
    }

    /**
     * Stores a whole result set in one transaction; an estimator of the same name stored earlier
     * for this simulation is replaced (with its pages). Within the set, a later estimator of the same
     * name replaces an earlier one.
     *
     * @throws StoreException.NotFound if there is no such simulation
     * @throws StoreException.Invalid if an estimator lists a page number twice
     */
    public void storeResults(long simulationId, List<EstimatorResult> estimators) {
        checkPages(estimators);
        db.jdbi().useTransaction(h -> {
            lockSimulation(h, simulationId);
            writeResults(h, simulationId, estimators);
        });
    }

    /** What became of a worker's final result set. */
    public enum Completion {
        /** Stored, and the simulation is COMPLETED. */
        COMPLETED,
        /** The simulation had finished already (COMPLETED, FAILED or CANCELED): nothing was written. */
        ALREADY_FINISHED
    }

    /**
     * A worker's final result set: stored and the simulation made COMPLETED in one transaction, so
     * a crash leaves either both or neither (never a whole result set on a PENDING job). A
     * simulation that has finished already keeps its state and its results.
     *
     * @throws StoreException.NotFound if there is no such simulation
     * @throws StoreException.Invalid if an estimator lists a page number twice
     */
    public Completion storeResultsAndComplete(long simulationId, List<EstimatorResult> estimators, Instant endTime) {
        checkPages(estimators);
        return db.jdbi().inTransaction(h -> {
            // the state rule's own statement: it also takes the row lock the writes below rely on
            if (!simulations.update(h, simulationId, new SimulationUpdate(JobState.COMPLETED, endTime, null, null, null, null))) {
                lockSimulation(h, simulationId); // throws when there is no such simulation
                return Completion.ALREADY_FINISHED;
            }
            writeResults(h, simulationId, estimators);
            return Completion.COMPLETED;
        });
    }

    /**
     * A worker's final result set stored as it is read ({@link ResultSetReader} reporting to the
     * ingest): the same transaction as {@link #storeResultsAndComplete}, written page by page while
     * the body still arrives. {@code outputNames}: an editor project's output names (else empty), after
     * which the estimators are named ({@link EstimatorNames#forEditorProject}). Close it without
     * {@link ResultSetIngest#finish()} to roll back.
     */
    public ResultSetIngest ingest(long simulationId, Instant endTime, List<String> outputNames) {
        return new ResultSetIngest(this, simulations, simulationId, endTime, outputNames);
    }

    private static void checkPages(List<EstimatorResult> estimators) {
        for (EstimatorResult e : estimators) {
            Set<Integer> seen = new HashSet<>();
            for (EstimatorResult.PageData page : e.pages()) {
                if (!seen.add(page.pageNumber())) {
                    throw new StoreException.Invalid("estimator " + e.name() + " has page " + page.pageNumber() + " twice");
                }
            }
        }
    }

    private static void writeResults(Handle h, long simulationId, List<EstimatorResult> estimators) {
        Map<Long, EstimatorResult> inserted = new LinkedHashMap<>();
        for (EstimatorResult e : estimators) {
            // the simulator's name identifies an estimator (the original's file_name); the shown name may repeat
            h.createUpdate("DELETE FROM \"Estimator\" WHERE simulation_id = :sim AND file_name = :fileName")
                    .bind("sim", simulationId).bind("fileName", e.fileName()).execute();
            inserted.values().removeIf(earlier -> earlier.fileName().equals(e.fileName()));
            long id = h.createQuery("""
                            INSERT INTO "Estimator" (simulation_id, name, file_name, compressed_data)
                            VALUES (:sim, :name, :fileName, :data) RETURNING id""")
                    .bind("sim", simulationId).bind("name", e.name()).bind("fileName", e.fileName())
                    .bind("data", bytes(e.metadata()))
                    .mapTo(Long.class).one();
            inserted.put(id, e);
        }
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO "Page" (estimator_id, page_number, page_name, page_dimension, compressed_data)
                VALUES (:est, :n, :pageName, :dimension, :data)""");
        for (Map.Entry<Long, EstimatorResult> entry : inserted.entrySet()) {
            for (EstimatorResult.PageData page : entry.getValue().pages()) {
                batch.bind("est", entry.getKey()).bind("n", page.pageNumber()).bind("pageName", page.pageName())
                        .bind("dimension", page.dimension()).bind("data", page.data().compressed()).add();
            }
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    /** A page as {@code GET /estimators} lists it: no data. */
    public record PageMetadata(int pageNumber, String pageName, int pageDimension) {
    }

    /** An estimator's shown name and its pages' metadata, by page number. */
    public record EstimatorMetadata(String name, List<PageMetadata> pages) {
    }

    /**
     * The estimators of a simulation in stored order, each with its pages' numbers, names and
     * dimensions, without reading any payload: one statement, so one snapshot.
     */
    public List<EstimatorMetadata> estimatorsMetadata(long simulationId) {
        return db.jdbi().withHandle(h -> {
            Map<Long, String> names = new LinkedHashMap<>();
            Map<Long, List<PageMetadata>> pages = new LinkedHashMap<>();
            h.createQuery("""
                            SELECT e.id AS e_id, e.name AS e_name, p.id AS p_id, p.page_number, p.page_name, p.page_dimension
                            FROM "Estimator" e LEFT JOIN "Page" p ON p.estimator_id = e.id
                            WHERE e.simulation_id = :sim
                            ORDER BY e.id, p.page_number""")
                    .bind("sim", simulationId)
                    .scanResultSet((supplier, ctx) -> {
                        ResultSet rs = supplier.get();
                        while (rs.next()) {
                            long estimatorId = rs.getLong("e_id");
                            names.putIfAbsent(estimatorId, rs.getString("e_name"));
                            List<PageMetadata> list = pages.computeIfAbsent(estimatorId, k -> new ArrayList<>());
                            rs.getLong("p_id");
                            if (!rs.wasNull()) {
                                list.add(new PageMetadata(rs.getInt("page_number"), rs.getString("page_name"), rs.getInt("page_dimension")));
                            }
                        }
                        return null;
                    });
            return names.entrySet().stream().map(e -> new EstimatorMetadata(e.getValue(), pages.get(e.getKey()))).toList();
        });
    }

    /** Estimators of a simulation in the order they were stored. */
    public List<Estimator> estimators(long simulationId) {
        return db.jdbi().withHandle(h -> h.createQuery(ESTIMATOR_COLUMNS + "WHERE simulation_id = :sim ORDER BY id")
                .bind("sim", simulationId).map(ESTIMATOR).list());
    }

    public Optional<Estimator> estimator(long simulationId, String name) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        ESTIMATOR_COLUMNS + "WHERE simulation_id = :sim AND name = :name ORDER BY id")
                .bind("sim", simulationId).bind("name", name).map(ESTIMATOR).findFirst());
    }

    /** All pages of an estimator by page number. */
    public List<ResultPage> pages(long estimatorId) {
        return db.jdbi().withHandle(h -> h.createQuery(PAGE_COLUMNS + "WHERE estimator_id = :est ORDER BY page_number")
                .bind("est", estimatorId).map(PAGE).list());
    }

    public Optional<ResultPage> page(long estimatorId, int pageNumber) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        PAGE_COLUMNS + "WHERE estimator_id = :est AND page_number = :n ORDER BY id")
                .bind("est", estimatorId).bind("n", pageNumber).map(PAGE).findFirst());
    }

    /** The pages with the given numbers that exist, by page number. */
    public List<ResultPage> pages(long estimatorId, Collection<Integer> pageNumbers) {
        if (pageNumbers.isEmpty()) {
            return List.of();
        }
        return db.jdbi().withHandle(h -> h.createQuery(
                        PAGE_COLUMNS + "WHERE estimator_id = :est AND page_number IN (<numbers>) ORDER BY page_number")
                .bind("est", estimatorId).bindList("numbers", List.copyOf(new HashSet<>(pageNumbers)))
                .map(PAGE).list());
    }

    /** Page numbers of an estimator, ascending, without loading the data. */
    public List<Integer> pageNumbers(long estimatorId) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT page_number FROM \"Page\" WHERE estimator_id = :est ORDER BY page_number")
                .bind("est", estimatorId).mapTo(Integer.class).list());
    }

    /**
     * The whole result set of a simulation: estimators in stored order, each with its pages by
     * number. What {@link ResultSetCodec#write} turns into the {@code GET /results} body.
     *
     * <p>One statement (estimators LEFT JOIN pages), so the set is read from one snapshot on both
     * databases: two queries could see the estimators of one stored set and the pages of the next.
     * Each estimator's metadata repeats on its page rows; it is small next to the pages.
     */
    public List<EstimatorPages> resultSet(long simulationId) {
        return db.jdbi().withHandle(h -> {
            Map<Long, Estimator> estimators = new LinkedHashMap<>();
            Map<Long, List<ResultPage>> pages = new LinkedHashMap<>();
            h.createQuery("""
                            SELECT e.id AS e_id, e.name AS e_name, e.compressed_data AS e_data,
                                   p.id AS p_id, p.page_number AS p_number, p.compressed_data AS p_data
                            FROM "Estimator" e LEFT JOIN "Page" p ON p.estimator_id = e.id
                            WHERE e.simulation_id = :sim
                            ORDER BY e.id, p.page_number""")
                    .bind("sim", simulationId)
                    .scanResultSet((supplier, ctx) -> {
                        ResultSet rs = supplier.get();
                        while (rs.next()) {
                            long estimatorId = rs.getLong("e_id");
                            if (!estimators.containsKey(estimatorId)) {
                                estimators.put(estimatorId, new Estimator(estimatorId, simulationId, rs.getString("e_name"),
                                        payload(rs.getBytes("e_data"))));
                                pages.put(estimatorId, new ArrayList<>());
                            }
                            long pageId = rs.getLong("p_id");
                            if (!rs.wasNull()) {
                                pages.get(estimatorId).add(new ResultPage(pageId, estimatorId, rs.getInt("p_number"),
                                        payload(rs.getBytes("p_data"))));
                            }
                        }
                        return null;
                    });
            return estimators.values().stream().map(e -> new EstimatorPages(e, pages.get(e.id()))).toList();
        });
    }

    /** What a streamed read hands out, in order: each estimator, then its pages by number. */
    public interface ResultSetVisitor {
        void estimator(Estimator estimator) throws IOException;

        void page(ResultPage page) throws IOException;
    }

    /** Rows fetched at a time by a streamed read: a few pages, never the set. */
    static final int FETCH_ROWS = 16;

    /**
     * The whole result set of a simulation, as {@link #resultSet} reads it (one statement, so one
     * snapshot), handed to {@code visitor} row by row as the database returns them instead of held:
     * a set larger than the heap can be sent. On PostgreSQL the rows come through a cursor, which
     * needs a transaction (read-only work); on SQLite the statement alone is a read transaction, and
     * an explicit one would take the write lock (IMMEDIATE).
     *
     * @return the number of estimators
     * @throws IOException what the visitor threw (the client went away)
     */
    public int streamResultSet(long simulationId, ResultSetVisitor visitor) throws IOException {
        return streamed(h -> h.createQuery("""
                        SELECT e.id AS e_id, e.name AS e_name, e.compressed_data AS e_data,
                               p.id AS p_id, p.page_number AS p_number, p.compressed_data AS p_data
                        FROM "Estimator" e LEFT JOIN "Page" p ON p.estimator_id = e.id
                        WHERE e.simulation_id = :sim
                        ORDER BY e.id, p.page_number""")
                .bind("sim", simulationId)
                .setFetchSize(FETCH_ROWS)
                .scanResultSet((supplier, ctx) -> {
                    ResultSet rs = supplier.get();
                    long current = 0;
                    int estimators = 0;
                    while (rs.next()) {
                        long estimatorId = rs.getLong("e_id");
                        if (estimatorId != current) {
                            current = estimatorId;
                            estimators++;
                            Estimator estimator = new Estimator(estimatorId, simulationId, rs.getString("e_name"),
                                    payload(rs.getBytes("e_data")));
                            visit(() -> visitor.estimator(estimator));
                        }
                        long pageId = rs.getLong("p_id");
                        if (!rs.wasNull()) {
                            ResultPage page = new ResultPage(pageId, estimatorId, rs.getInt("p_number"), payload(rs.getBytes("p_data")));
                            visit(() -> visitor.page(page));
                        }
                    }
                    return estimators;
                }));
    }

    /** All pages of an estimator by page number, handed to {@code visitor} as read (as {@link #streamResultSet}). */
    public void streamPages(long estimatorId, ResultSetVisitor visitor) throws IOException {
        streamed(h -> h.createQuery(PAGE_COLUMNS + "WHERE estimator_id = :est ORDER BY page_number")
                .bind("est", estimatorId)
                .setFetchSize(FETCH_ROWS)
                .scanResultSet((supplier, ctx) -> {
                    ResultSet rs = supplier.get();
                    while (rs.next()) {
                        ResultPage page = PAGE.map(rs, ctx);
                        visit(() -> visitor.page(page));
                    }
                    return 0;
                }));
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void visit(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T streamed(org.jdbi.v3.core.HandleCallback<T, RuntimeException> read) throws IOException {
        try {
            return db.isPostgres() ? db.jdbi().inTransaction(read) : db.jdbi().withHandle(read);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The simulation's input, as {@code SimulationStore.create} wrote it (the one writer of the Input table). */
    public Optional<StoredInput> input(long simulationId) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id, simulation_id, compressed_data FROM \"Input\" WHERE simulation_id = :sim ORDER BY id")
                .bind("sim", simulationId).map(INPUT).findFirst());
    }

    /** Stores (or replaces) the log files of a simulation. */
    public void storeLogfiles(long simulationId, Payload logfiles) {
        replaceSingle("Logfiles", simulationId, logfiles);
    }

    /**
     * Stores the log files, unless they say nothing (no file, or every file empty) while some are
     * stored already: a task that crashed at once must not overwrite the useful logs of one that
     * crashed later (the fault the original's worker works around by not sending logs at all).
     *
     * @return false if the stored ones were kept
     */
    public boolean storeLogfilesKeepingUseful(long simulationId, com.fasterxml.jackson.databind.JsonNode logfiles) {
        boolean empty = true;
        for (var file : logfiles) {
            empty &= file.isNull() || (file.isTextual() && file.asText().isBlank());
        }
        if (empty && logfiles(simulationId).isPresent()) {
            return false;
        }
        storeLogfiles(simulationId, Payload.ofJson(logfiles));
        return true;
    }

    public Optional<StoredLogfiles> logfiles(long simulationId) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id, simulation_id, compressed_data FROM \"Logfiles\" WHERE simulation_id = :sim ORDER BY id")
                .bind("sim", simulationId).map(LOGFILES).findFirst());
    }

    /** One row per simulation: delete the old, insert the new, in one transaction. Table from code constants only. */
    private void replaceSingle(String table, long simulationId, Payload data) {
        if (data == null) {
            throw new IllegalArgumentException(table + " data must not be null");
        }
        db.jdbi().useTransaction(h -> {
            lockSimulation(h, simulationId);
            h.createUpdate("DELETE FROM \"" + table + "\" WHERE simulation_id = :sim").bind("sim", simulationId).execute();
            h.createUpdate("INSERT INTO \"" + table + "\" (simulation_id, compressed_data) VALUES (:sim, :data)")
                    .bind("sim", simulationId).bind("data", data.compressed()).execute();
        });
    }

    /**
     * Checks that the simulation exists and serialises replacing writers of its payloads. Without the
     * lock, two concurrent stores of one estimator on PostgreSQL would each delete the old row and
     * each insert a new one (neither sees the other's insert), leaving two estimators of one name.
     * {@code FOR NO KEY UPDATE} conflicts with itself but not with the key-share locks that inserts
     * of tasks or pages take. SQLite needs nothing: its write transactions are IMMEDIATE, one at a time.
     */
    void lockSimulation(Handle h, long simulationId) {
        String lock = db.isPostgres() ? " FOR NO KEY UPDATE" : "";
        boolean exists = h.createQuery("SELECT id FROM \"Simulation\" WHERE id = :sim" + lock)
                .bind("sim", simulationId).mapTo(Long.class).findOne().isPresent();
        if (!exists) {
            throw new StoreException.NotFound("no simulation with id " + simulationId);
        }
    }

    private static Payload payload(byte[] stored) {
        return stored == null ? null : Payload.ofCompressed(stored);
    }

    private static byte[] bytes(Payload payload) {
        return payload == null ? null : payload.compressed();
    }

    Database db() {
        return db;
    }
}
