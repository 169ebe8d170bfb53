package io.yaptide.store.simulations;

import java.time.Instant;

/**
 * A simulation job: joined-table polymorphism over {@code Simulation} and one of
 * {@code CelerySimulation} (direct) or {@code BatchSimulation}, chosen by {@code Simulation.platform}.
 * The update key hash is deliberately not part of the model: it is only ever checked, in the store.
 */
public sealed interface Simulation permits DirectSimulation, BatchSimulation {
    long id();

    String jobId();

    /** Owner; nullable in the schema (the original allowed orphaned simulations). */
    Long userId();

    Instant startTime();

    Instant endTime();

    String title();

    Platform platform();

    InputType inputType();

    SimulatorType simType();

    JobState state();
}
