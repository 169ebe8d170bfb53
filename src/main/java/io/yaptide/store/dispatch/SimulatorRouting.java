package io.yaptide.store.dispatch;

import io.yaptide.store.db.StoreTransaction;
import io.yaptide.store.simulations.SimulatorType;
import java.util.EnumMap;
import java.util.Map;

/** Sends each submission to the dispatcher for its simulator type, and the rest to a fallback. */
public final class SimulatorRouting implements Dispatcher {
    private final Map<SimulatorType, Dispatcher> bySimulator;
    private final Dispatcher fallback;

    public SimulatorRouting(Map<SimulatorType, Dispatcher> bySimulator, Dispatcher fallback) {
        this.bySimulator = new EnumMap<>(bySimulator);
        this.fallback = fallback;
    }

    @Override
    public void recordInTransaction(StoreTransaction transaction, Submission submission) {
        bySimulator.getOrDefault(submission.simType(), fallback).recordInTransaction(transaction, submission);
    }

    @Override
    public java.util.Optional<String> dispatchState(long simulationId) {
        return java.util.stream.Stream.concat(bySimulator.values().stream(), java.util.stream.Stream.of(fallback))
                .distinct().map(d -> d.dispatchState(simulationId)).flatMap(java.util.Optional::stream).findFirst();
    }

    @Override
    public void submit(Submission submission) {
        bySimulator.getOrDefault(submission.simType(), fallback).submit(submission);
    }

    @Override
    public void cancel(long simulationId) {
        // one dispatcher may serve several simulators: each is told once
        bySimulator.values().stream().distinct().forEach(d -> d.cancel(simulationId));
        fallback.cancel(simulationId);
    }

    @Override
    public void close() {
        bySimulator.values().stream().distinct().forEach(Dispatcher::close);
        fallback.close();
    }
}
