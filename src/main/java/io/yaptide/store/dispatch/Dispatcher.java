package io.yaptide.store.dispatch;

import io.yaptide.store.db.StoreTransaction;

/**
 * Where submitted simulations go to be run. The persistence service runs no real simulator; an
 * implementation either runs the job itself (the {@code dummy} simulator) or leaves it PENDING for
 * an external worker, which reports through the same HTTP worker endpoints.
 */
public interface Dispatcher extends AutoCloseable {

    /**
     * Called inside the transaction that creates the simulation, before {@link #submit}: a
     * dispatcher that must not lose the job records it here (the Celery outbox). Default: nothing.
     */
    default void recordInTransaction(StoreTransaction transaction, Submission submission) {
    }

    /**
     * Where the job is on its way to the workers, when this dispatcher tracks it ({@code queued}:
     * recorded, not yet in the broker), for the job status. Default: nothing to say.
     */
    default java.util.Optional<String> dispatchState(long simulationId) {
        return java.util.Optional.empty();
    }

    /** Hands over a new simulation; returns at once (the work, if any, happens in the background). */
    void submit(Submission submission);

    /** The user cancelled the simulation: stop running it, if this dispatcher runs it. */
    void cancel(long simulationId);

    /** Stops accepting work and ends running work (which then stays as far as it got). */
    @Override
    void close();
}
