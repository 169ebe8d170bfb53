package io.yaptide.store.simulations;

import java.time.Instant;

/** A simulation run as a job array on a batch cluster. */
public record BatchSimulation(long id, String jobId, Long userId, Instant startTime, Instant endTime, String title,
                              InputType inputType, SimulatorType simType, JobState state,
                              long clusterId, String jobDir, Integer arrayId, Integer collectId)
        implements Simulation {
    @Override
    public Platform platform() {
        return Platform.BATCH;
    }
}
