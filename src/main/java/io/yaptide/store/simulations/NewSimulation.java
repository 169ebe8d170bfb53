package io.yaptide.store.simulations;

import io.yaptide.store.results.Payload;
import java.time.Instant;

/**
 * What it takes to create a simulation with its tasks and input in one transaction.
 *
 * @param jobId               unique job id (the original: {@code yyyyMMdd-HHmmss-<uuid><PLATFORM>})
 * @param userId              owner
 * @param title               shown to the user
 * @param platform            DIRECT or BATCH
 * @param inputType           EDITOR or FILES
 * @param simType             simulator
 * @param clusterId           the cluster, for BATCH only (null for DIRECT)
 * @param taskCount           number of parallel tasks (ntasks), at least 1
 * @param requestedPrimaries  primaries per task
 * @param input               the submitted input (editor JSON or files), stored as the Input row
 * @param startTime           submission time
 */
public record NewSimulation(String jobId, long userId, String title, Platform platform, InputType inputType,
                            SimulatorType simType, Long clusterId, int taskCount, int requestedPrimaries,
                            Payload input, Instant startTime) {
}
