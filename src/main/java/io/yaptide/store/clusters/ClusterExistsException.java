package io.yaptide.store.clusters;

/** A cluster of that name is already registered. */
public class ClusterExistsException extends RuntimeException {
    public ClusterExistsException(String name) {
        super("cluster " + name + " already exists");
    }
}
