package io.yaptide.store.tasks;

import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.Platform;
import java.time.Instant;

/**
 * One parallel task of a simulation: joined-table polymorphism over {@code Task} and one of
 * {@code CeleryTask} (direct) or {@code BatchTask}, chosen by {@code Task.platform}.
 * {@code taskId} is the task's number within its simulation (0..n-1); {@code id} is the row id.
 */
public sealed interface Task permits DirectTask, BatchTask {
    long id();

    long simulationId();

    int taskId();

    int requestedPrimaries();

    int simulatedPrimaries();

    JobState state();

    /** Seconds left, as the worker estimates; null once the task has ended. */
    Integer estimatedTime();

    Instant startTime();

    Instant endTime();

    Instant lastUpdateTime();

    Platform platform();
}
