package io.yaptide.store.tasks;

import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.Platform;
import java.time.Instant;

/** A task run by the platform's workers; {@code celeryId} names the worker job. */
public record DirectTask(long id, long simulationId, int taskId, int requestedPrimaries, int simulatedPrimaries,
                         JobState state, Integer estimatedTime, Instant startTime, Instant endTime,
                         Instant lastUpdateTime, String celeryId) implements Task {
    @Override
    public Platform platform() {
        return Platform.DIRECT;
    }
}
