package io.yaptide.store.simulations;

/**
 * What deleting some simulations removes, row counts per table (the tasks, inputs, estimators,
 * pages and log files go by the schema's cascades): shown to an operator before
 * {@code remove-user --cascade} or {@code db clean} goes ahead, and reported after.
 * Counted by one query, {@link SimulationStore#cascadeOfUser} and {@link Retention}'s.
 */
public record CascadeCounts(long simulations, long tasks, long inputs, long estimators, long pages, long logfiles) {
    public static final CascadeCounts NONE = new CascadeCounts(0, 0, 0, 0, 0, 0);

    /** No simulation, so nothing at all. */
    public boolean isEmpty() {
        return simulations == 0;
    }

    public CascadeCounts plus(CascadeCounts o) {
        return new CascadeCounts(simulations + o.simulations, tasks + o.tasks, inputs + o.inputs,
                estimators + o.estimators, pages + o.pages, logfiles + o.logfiles);
    }
}
