package io.yaptide.store.results;

import io.yaptide.store.results.ResultStore.Completion;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.simulations.SimulationUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * A worker's final result set written while it is still being read: the estimators and pages that
 * {@link ResultSetReader} reports go to the database as they come, in one transaction that also
 * makes the simulation COMPLETED, so a crash (kill -9) leaves the whole set with its completion or
 * nothing, as {@link ResultStore#storeResultsAndComplete} does for a set held in memory.
 *
 * <p>Three stages overlap, because on two cores no one of them alone reaches the speed a worker
 * sends at: the reading thread parses (and cuts each page out of the input); a small shared pool
 * compresses pages ({@link Payload#ofJsonBytes}); a writer thread of this ingest holds the
 * transaction and inserts the compressed pages in batches, in the order read. What is in flight is
 * bounded ({@link #IN_FLIGHT_BYTES} of page JSON, read but not yet inserted): the reader waits when
 * the writer falls behind, so the heap a set takes does not grow with its size.
 *
 * <p>Failures flow both ways. Bad input found by the reader: {@link #close()} without
 * {@link #finish()} rolls the transaction back. A failure of the writer (the database, a simulation
 * that has finished already) is thrown to the reader at its next page, so a large body is not read
 * to the end for nothing.
 *
 * <p>Estimators of a job made in the editor are renamed and reordered after the project's outputs
 * once the whole set is known ({@link EstimatorNames#forEditorProject}), inside the same transaction.
 */
public final class ResultSetIngest implements ResultSetReader.EstimatorSink, AutoCloseable {
    /** Page JSON read but not yet inserted, at most: enough to keep the compressors and the database busy. */
    public static final long IN_FLIGHT_BYTES = 16L << 20;
    /** A batch of page inserts is sent when it holds this many rows or this many compressed bytes. */
    static final int BATCH_ROWS = 128;
    static final long BATCH_BYTES = 4L << 20;
    private static final int PERMIT = 1024;
    private static final int IN_FLIGHT_PERMITS = (int) (IN_FLIGHT_BYTES / PERMIT);
    private static final long POLL_MILLIS = 100;
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Shared by all ingests: compression is CPU work, one thread per core is all it can use. */
    private static final ExecutorService COMPRESSORS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "results-compress-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private final ResultStore store;
    private final SimulationStore simulations;
    private final long simulationId;
    private final Instant endTime;
    private final List<String> outputNames;
    private final BlockingQueue<Op> ops = new ArrayBlockingQueue<>(4096);
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_PERMITS);
    private final CompletableFuture<Completion> done = new CompletableFuture<>();
    private volatile RuntimeException failure;
    /** Set when the reading thread will send nothing more. */
    private volatile boolean readerDone;
    private Thread writer;
    private boolean ended;

    /** A simulation that had finished already (COMPLETED, FAILED or CANCELED): nothing was written. */
    public static final class AlreadyFinishedException extends RuntimeException {
        AlreadyFinishedException(long simulationId) {
            super("simulation " + simulationId + " has finished already", null, false, false);
        }
    }

    /** Thrown inside the transaction to roll it back when the reader gives up. */
    private static final class Aborted extends RuntimeException {
        Aborted() {
            super("the result set was not read to its end", null, false, false);
        }
    }

    private sealed interface Op permits EstimatorStart, PagesStart, PageOp, EstimatorEnd, End {
    }

    private record EstimatorStart() implements Op {
    }

    private record PagesStart(String name, Payload metadata) implements Op {
    }

    private record PageOp(int number, String name, int dimension, CompletableFuture<Payload> data, int permits,
                          boolean repeated) implements Op {
    }

    private record EstimatorEnd(String name, Payload metadata) implements Op {
    }

    /** The last operation: commit ({@code commit}) or roll back. */
    private record End(boolean commit) implements Op {
    }

    ResultSetIngest(ResultStore store, SimulationStore simulations, long simulationId, Instant endTime, List<String> outputNames) {
        this.store = store;
        this.simulations = simulations;
        this.simulationId = simulationId;
        this.endTime = endTime;
        this.outputNames = List.copyOf(outputNames);
    }

    // ---- the reading thread -----------------------------------------------------------------------

    @Override
    public void estimatorStarted(int index) {
        if (writer == null) {
            // the transaction starts with the first estimator: an empty or malformed list touches nothing
            writer = new Thread(this::write, "results-writer-" + simulationId);
            writer.setDaemon(true);
            writer.start();
        }
        put(new EstimatorStart());
    }

    @Override
    public void pagesStarting(String name, Payload metadata) {
        put(new PagesStart(name, metadata));
    }

    @Override
    public void page(int pageNumber, String pageName, int dimension, ResultSetReader.Slice json, boolean repeated) {
        int permits = (int) Math.min(IN_FLIGHT_PERMITS, Math.max(1, (long) json.length() / PERMIT));
        try {
            while (!inFlight.tryAcquire(permits, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing a result set", e);
        }
        CompletableFuture<Payload> data = CompletableFuture.supplyAsync(
                () -> Payload.ofJsonBytes(json.bytes(), json.offset(), json.length()), COMPRESSORS);
        put(new PageOp(pageNumber, pageName, dimension, data, permits, repeated));
    }

    @Override
    public void estimatorEnded(String name, Payload metadata) {
        put(new EstimatorEnd(name, metadata));
    }

    /**
     * Commits what was read and waits for it.
     *
     * @return COMPLETED (the set stored and the simulation COMPLETED)
     * @throws AlreadyFinishedException if the simulation had finished already (nothing written)
     * @throws IllegalStateException if no estimator was read
     */
    public Completion finish() {
        if (writer == null) {
            throw new IllegalStateException("no estimator was read");
        }
        ended = true;
        try {
            put(new End(true));
        } finally {
            readerDone = true;
        }
        return await();
    }

    /** Without {@link #finish()}: rolls back whatever was written, and waits until it is. */
    @Override
    public void close() {
        if (writer == null || ended) {
            return;
        }
        ended = true;
        // what is queued will not be written: dropped at once rather than inserted and rolled back
        List<Op> pending = new ArrayList<>();
        ops.drainTo(pending);
        pending.forEach(this::releasePage);
        try {
            put(new End(false));
        } catch (RuntimeException writerFailed) {
            // the writer has stopped on its own failure: nothing is committed
        } finally {
            readerDone = true;
        }
        try {
            await();
        } catch (RuntimeException expected) {
            // rolled back, as asked
        }
    }

    private Completion await() {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing a result set", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void put(Op op) {
        try {
            while (!ops.offer(op, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing a result set", e);
        }
        rethrowFailure();
    }

    private void rethrowFailure() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    // ---- the writer thread ------------------------------------------------------------------------

    private void releasePage(Op op) {
        if (op instanceof PageOp page) {
            inFlight.release(page.permits());
        }
    }

    private void write() {
        try {
            Completion c = store.db().jdbi().inTransaction(h -> {
                // the state rule's own statement: it also takes the row lock the writes below rely on
                if (!simulations.update(h, simulationId, new SimulationUpdate(JobState.COMPLETED, endTime, null, null, null, null))) {
                    store.lockSimulation(h, simulationId); // throws when there is no such simulation
                    return Completion.ALREADY_FINISHED;
                }
                new Writer(h).run();
                return Completion.COMPLETED;
            });
            if (c == Completion.ALREADY_FINISHED) {
                fail(new AlreadyFinishedException(simulationId));
            } else {
                done.complete(c);
            }
        } catch (Aborted e) {
            done.completeExceptionally(e);
        } catch (InterruptedException e) {
            fail(new IllegalStateException("interrupted while storing a result set", e));
        } catch (RuntimeException | Error e) {
            fail(e instanceof RuntimeException r ? r : new IllegalStateException(e));
        }
    }

    /** Tells the reader, then takes what it still sends until it stops, releasing the room its pages held. */
    private void fail(RuntimeException e) {
        failure = e;
        try {
            while (true) {
                Op op = ops.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                releasePage(op);
                if (op instanceof End || (op == null && readerDone)) {
                    break;
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            done.completeExceptionally(e);
        }
    }

    /** The writes of one transaction: the current estimator's row and a batch of its pages. */
    private final class Writer {
        private final Handle h;
        /** Estimators of this set in the order inserted, by id: their simulator's names. */
        private final Map<Long, String> fileNames = new LinkedHashMap<>();
        private long estimatorId;
        private String insertedName;
        private Payload insertedMetadata;
        private PreparedBatch batch;
        private long batchBytes;
        private int batchPermits;

        Writer(Handle h) {
            this.h = h;
        }

        void run() throws InterruptedException {
            while (true) {
                Op op = ops.take();
                if (op instanceof EstimatorStart) {
                    estimatorId = 0;
                } else if (op instanceof PagesStart s) {
                    pagesStart(s);
                } else if (op instanceof PageOp p) {
                    page(p);
                } else if (op instanceof EstimatorEnd e) {
                    estimatorEnd(e);
                } else if (op instanceof End e) {
                    if (!e.commit()) {
                        releaseBatch();
                        throw new Aborted();
                    }
                    flush();
                    nameAfterOutputs();
                    return;
                }
            }
        }

        private void pagesStart(PagesStart s) {
            if (estimatorId == 0) {
                insertedName = s.name() == null ? "" : s.name();
                insertedMetadata = s.metadata();
                estimatorId = h.createQuery("""
                                INSERT INTO "Estimator" (simulation_id, name, file_name, compressed_data)
                                VALUES (:sim, :name, :fileName, :data) RETURNING id""")
                        .bind("sim", simulationId).bind("name", insertedName).bind("fileName", insertedName)
                        .bind("data", s.metadata() == null ? null : s.metadata().compressed())
                        .mapTo(Long.class).one();
            } else {
                // a second "pages" list in one estimator replaces the first, as a JSON object's later key does
                flush();
                h.createUpdate("DELETE FROM \"Page\" WHERE estimator_id = :est").bind("est", estimatorId).execute();
            }
        }

        private void page(PageOp p) {
            Payload data = p.data().join();
            if (p.repeated()) {
                // a page number given twice: the later page replaces the earlier
                flush();
                h.createUpdate("DELETE FROM \"Page\" WHERE estimator_id = :est AND page_number = :n")
                        .bind("est", estimatorId).bind("n", p.number()).execute();
            }
            if (batch == null) {
                batch = h.prepareBatch("""
                        INSERT INTO "Page" (estimator_id, page_number, page_name, page_dimension, compressed_data)
                        VALUES (:est, :n, :pageName, :dimension, :data)""");
            }
            batch.bind("est", estimatorId).bind("n", p.number()).bind("pageName", p.name())
                    .bind("dimension", p.dimension()).bind("data", data.compressed()).add();
            batchBytes += data.compressedSize();
            batchPermits += p.permits();
            if (batch.size() >= BATCH_ROWS || batchBytes >= BATCH_BYTES) {
                flush();
            }
        }

        private void estimatorEnd(EstimatorEnd e) {
            if (!e.name().equals(insertedName) || !Objects.equals(e.metadata(), insertedMetadata)) {
                h.createUpdate("UPDATE \"Estimator\" SET name = :name, file_name = :name, compressed_data = :data WHERE id = :id")
                        .bind("name", e.name()).bind("data", e.metadata() == null ? null : e.metadata().compressed())
                        .bind("id", estimatorId).execute();
            }
            // the simulator's name identifies an estimator (the original's file_name): an earlier one of
            // that name, stored before or earlier in this set, is replaced (its pages go by the cascade)
            flush();
            h.createUpdate("DELETE FROM \"Estimator\" WHERE simulation_id = :sim AND file_name = :fileName AND id <> :id")
                    .bind("sim", simulationId).bind("fileName", e.name()).bind("id", estimatorId).execute();
            fileNames.values().remove(e.name());
            fileNames.put(estimatorId, e.name());
        }

        private void flush() {
            if (batch != null && batch.size() > 0) {
                batch.execute();
            }
            batch = null;
            batchBytes = 0;
            releaseBatch();
        }

        private void releaseBatch() {
            inFlight.release(batchPermits);
            batchPermits = 0;
        }

        /**
         * An editor job's estimators under the project's output names and in the project's order: the
         * names are updated in place; when the order differs, each estimator's row is made anew in
         * that order (its pages moved to it), since the stored order is the order of the ids.
         */
        private void nameAfterOutputs() {
            if (outputNames.isEmpty()) {
                return;
            }
            List<EstimatorResult> posted = new ArrayList<>();
            fileNames.values().forEach(f -> posted.add(new EstimatorResult(f, null, List.of())));
            List<EstimatorResult> named = EstimatorNames.forEditorProject(posted, outputNames);
            Map<String, Long> idOf = new LinkedHashMap<>();
            fileNames.forEach((id, f) -> idOf.put(f, id));
            boolean sameOrder = named.stream().map(EstimatorResult::fileName).toList().equals(new ArrayList<>(fileNames.values()));
            for (EstimatorResult e : named) {
                long id = idOf.get(e.fileName());
                if (sameOrder) {
                    h.createUpdate("UPDATE \"Estimator\" SET name = :name WHERE id = :id").bind("name", e.name()).bind("id", id).execute();
                    continue;
                }
                long moved = h.createQuery("""
                                INSERT INTO "Estimator" (simulation_id, name, file_name, compressed_data)
                                SELECT simulation_id, :name, file_name, compressed_data FROM "Estimator" WHERE id = :id
                                RETURNING id""")
                        .bind("name", e.name()).bind("id", id).mapTo(Long.class).one();
                h.createUpdate("UPDATE \"Page\" SET estimator_id = :moved WHERE estimator_id = :id")
                        .bind("moved", moved).bind("id", id).execute();
                h.createUpdate("DELETE FROM \"Estimator\" WHERE id = :id").bind("id", id).execute();
            }
        }
    }

    @Override
    public String toString() {
        return "ResultSetIngest[simulation " + simulationId + "]";
    }
}
