package io.yaptide.store.dispatch;

/**
 * Where submitted simulations go to be run. The persistence service runs no real simulator; an
 * implementation either runs the job itself (the {@code dummy} simulator) or leaves it PENDING for
 * an external worker, which reports through the same HTTP worker endpoints.
 */
public interface Dispatcher extends AutoCloseable {

    /** Hands over a new simulation; returns at once (the work, if any, happens in the background). */
    void submit(Submission submission);

    /** The user cancelled the simulation: stop running it, if this dispatcher runs it. */
    void cancel(long simulationId);

    /** Stops accepting work and ends running work (which then stays as far as it got). */
    @Override
    void close();
}
