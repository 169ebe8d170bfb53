package io.yaptide.store.results;

/** One estimator of a simulation's results; {@code metadata} is its stored JSON (may be null). */
public record Estimator(long id, long simulationId, String name, Payload metadata) {
}
