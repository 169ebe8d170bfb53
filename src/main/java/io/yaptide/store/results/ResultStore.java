package io.yaptide.store.results;

import io.yaptide.store.db.Database;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Inputs, estimators, result pages and log files. API agreed for issue 3; bodies are filled in by
 * the storage work.
 */
public final class ResultStore {
    private final Database db;

    public ResultStore(Database db) {
        this.db = db;
    }

    /**
     * Stores a whole result set in one transaction; an estimator of the same name stored earlier
     * for this simulation is replaced (with its pages).
     */
    public void storeResults(long simulationId, List<EstimatorResult> estimators) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Estimators of a simulation in the order they were stored. */
    public List<Estimator> estimators(long simulationId) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<Estimator> estimator(long simulationId, String name) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** All pages of an estimator by page number. */
    public List<ResultPage> pages(long estimatorId) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<ResultPage> page(long estimatorId, int pageNumber) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** The pages with the given numbers that exist, by page number. */
    public List<ResultPage> pages(long estimatorId, Collection<Integer> pageNumbers) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Page numbers of an estimator, ascending, without loading the data. */
    public List<Integer> pageNumbers(long estimatorId) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<StoredInput> input(long simulationId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Stores (or replaces) the log files of a simulation. */
    public void storeLogfiles(long simulationId, Payload logfiles) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<StoredLogfiles> logfiles(long simulationId) {
        throw new UnsupportedOperationException("issue 3");
    }

    Database db() {
        return db;
    }
}
