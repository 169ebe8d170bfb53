package io.yaptide.store.clusters;

import io.yaptide.store.db.StoreException;

/** A cluster of that name is already registered. */
public class ClusterExistsException extends StoreException.Conflict {
    public ClusterExistsException(String name) {
        super("cluster " + name + " already exists");
    }
}
