package io.yaptide.store.tasks;

import io.yaptide.store.db.Database;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tasks of simulations. API agreed for issue 3; bodies are filled in by the storage work. */
public final class TaskStore {
    private final Database db;

    public TaskStore(Database db) {
        this.db = db;
    }

    /** Tasks of a simulation ordered by task number. */
    public List<Task> listBySimulation(long simulationId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** A task by simulation and task number. */
    public Optional<Task> find(long simulationId, int taskId) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Applies a worker's update under the rules of {@link TaskUpdate}, in one statement; true if accepted. */
    public boolean update(long simulationId, int taskId, TaskUpdate update) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Applies updates for many tasks of one simulation as one batch; returns which were accepted. */
    public Map<Integer, Boolean> updateBatch(long simulationId, Map<Integer, TaskUpdate> updates) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Removes one task of one simulation; false if there was none. */
    public boolean delete(long simulationId, int taskId) {
        throw new UnsupportedOperationException("issue 3");
    }

    Database db() {
        return db;
    }
}
