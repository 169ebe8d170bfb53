package io.yaptide.store.metrics;

import io.yaptide.store.dispatch.Dispatcher;
import io.yaptide.store.dispatch.Submission;

/** A dispatcher that counts each hand-over's outcome by simulator type, and otherwise passes everything on. */
public final class CountingDispatcher implements Dispatcher {
    private final Dispatcher inner;
    private final ServiceMetrics metrics;

    public CountingDispatcher(Dispatcher inner, ServiceMetrics metrics) {
        this.inner = inner;
        this.metrics = metrics;
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
