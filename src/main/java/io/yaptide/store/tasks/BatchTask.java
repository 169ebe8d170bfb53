package io.yaptide.store.tasks;

import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.Platform;
import java.time.Instant;

/** A task of a batch job array. */
public record BatchTask(long id, long simulationId, int taskId, int requestedPrimaries, int simulatedPrimaries,
                        JobState state, Integer estimatedTime, Instant startTime, Instant endTime,
                        Instant lastUpdateTime) implements Task {
    @Override
    public Platform platform() {
        return Platform.BATCH;
    }
}
