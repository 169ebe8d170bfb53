package io.yaptide.store.metrics;

import io.yaptide.store.db.StoreTransaction;
import io.yaptide.store.dispatch.Dispatcher;
import io.yaptide.store.dispatch.Submission;
import java.util.Optional;

/**
 * A dispatcher that counts each hand-over's outcome by simulator type, and otherwise passes
 * everything on: every method of {@link Dispatcher}, default ones included (a default left
 * un-delegated would silently drop, say, the Celery outbox row; a test checks none is).
 */
public final class CountingDispatcher implements Dispatcher {
    private final Dispatcher inner;
    private final ServiceMetrics metrics;

    public CountingDispatcher(Dispatcher inner, ServiceMetrics metrics) {
        this.inner = inner;
        this.metrics = metrics;
    }

    @Override
    public void recordInTransaction(StoreTransaction transaction, Submission submission) {
        inner.recordInTransaction(transaction, submission);
    }

    @Override
    public Optional<String> dispatchState(long simulationId) {
        return inner.dispatchState(simulationId);
    }

    @Override
    public void submit(Submission submission) {
        String simulator = submission.simType().name();
        try {
            inner.submit(submission);
        } catch (RuntimeException e) {
            metrics.dispatch(simulator, "failed");
            throw e;
        }
        metrics.dispatch(simulator, "dispatched");
    }

    @Override
    public void cancel(long simulationId) {
        inner.cancel(simulationId);
    }

    @Override
    public void close() {
        inner.close();
    }
}
