package io.yaptide.store.clusters;

import io.yaptide.store.db.StoreException;

/** A cluster that batch simulations still refer to cannot be removed (their rows would dangle). */
class ClusterInUseException extends StoreException.Conflict {
    private final long simulations;

    public ClusterInUseException(String name, long simulations) {
        super("cluster " + name + " is used by " + simulations + " batch simulation(s)");
        this.simulations = simulations;
    }

    public long simulations() {
        return simulations;
    }
}
