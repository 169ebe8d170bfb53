package io.yaptide.store.clusters;

/** A cluster that batch simulations still refer to cannot be removed (their rows would dangle). */
public class ClusterInUseException extends RuntimeException {
    private final long simulations;

    public ClusterInUseException(String name, long simulations) {
        super("cluster " + name + " is used by " + simulations + " batch simulation(s)");
        this.simulations = simulations;
    }

    public long simulations() {
        return simulations;
    }
}
