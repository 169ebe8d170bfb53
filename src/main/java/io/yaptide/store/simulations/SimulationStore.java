package io.yaptide.store.simulations;

import io.yaptide.store.db.Database;
import java.util.List;
import java.util.Optional;

/**
 * Simulations with their tasks and input. API agreed for issue 3; bodies are filled in by the
 * storage work. State rules live in the SQL of {@link #update} and {@link #cancel}.
 */
public final class SimulationStore {
    private final Database db;

    public SimulationStore(Database db) {
        this.db = db;
    }

    /** Creates the simulation, its variant row, its tasks (PENDING, numbered 0..n-1) and its input, atomically. */
    public CreatedSimulation create(NewSimulation request) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<Simulation> findById(long id) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<Simulation> findByJobId(String jobId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** A page (0-based {@code pageIdx}) of the user's simulations, in the given order, with the total. */
    public SimulationPage listByUser(long userId, int pageIdx, int pageSize, SimulationOrder order) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** All simulations ordered by id, optionally only one user's. */
    public List<Simulation> list(Optional<Long> userId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Deletes a simulation and (by cascade) everything it owns; false if there was none. */
    public boolean delete(long id) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Applies an update under the state rules in one statement; true if anything changed. */
    public boolean update(long simulationId, SimulationUpdate update) {
        throw new UnsupportedOperationException("issue 3");
    }

    /**
     * Cancels a simulation that is not finished, and its unfinished tasks, atomically.
     *
     * @return false if it was already COMPLETED, FAILED or CANCELED (nothing changed)
     */
    public boolean cancel(long simulationId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Gives the simulation a fresh update key, stores only its hash, returns the key (shown once). */
    public String rotateUpdateKey(long simulationId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /**
     * Checks a worker's update key for this simulation in microseconds. Keys stored by the original
     * (werkzeug password hashes) are verified once, slowly, and then replaced by the fast format.
     */
    public boolean checkUpdateKey(long simulationId, String updateKey) {
        throw new UnsupportedOperationException("issue 3");
    }

    Database db() {
        return db;
    }
}
