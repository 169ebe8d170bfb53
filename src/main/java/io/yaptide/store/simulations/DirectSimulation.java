package io.yaptide.store.simulations;

import java.time.Instant;

/** A simulation run by the platform's own workers; {@code mergeId} names the merging job. */
public record DirectSimulation(long id, String jobId, Long userId, Instant startTime, Instant endTime, String title,
                               InputType inputType, SimulatorType simType, JobState state, String mergeId)
        implements Simulation {
    @Override
    public Platform platform() {
        return Platform.DIRECT;
    }
}
