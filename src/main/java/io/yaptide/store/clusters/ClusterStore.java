package io.yaptide.store.clusters;

import io.yaptide.store.db.Database;
import java.util.List;
import java.util.Optional;

/** Clusters. API agreed for issue 3; bodies are filled in by the storage work. */
public final class ClusterStore {
    private final Database db;

    public ClusterStore(Database db) {
        this.db = db;
    }

    public Cluster create(String name) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<Cluster> findById(long id) {
        throw new UnsupportedOperationException("issue 3");
    }

    public Optional<Cluster> findByName(String name) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** All clusters ordered by id. */
    public List<Cluster> list() {
        throw new UnsupportedOperationException("issue 3");
    }

    /** False if there was no such cluster. */
    public boolean delete(long id) {
        throw new UnsupportedOperationException("issue 3");
    }

    Database db() {
        return db;
    }
}
