package io.yaptide.store.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.simulations.SimulatorType;

/**
 * A simulation just created, handed to whatever runs it: what a worker needs to run its tasks and
 * report back through the worker endpoints.
 *
 * @param simulationId     the id workers send as {@code simulation_id}
 * @param updateKey        the simulation's update key (plain; only its hash is stored)
 * @param taskCount        tasks numbered 0..taskCount-1
 * @param primariesPerTask primaries each task is asked to simulate
 * @param inputFiles       simulator input files, file name to contents (may be empty)
 */
public record Submission(long simulationId, String jobId, SimulatorType simType, Platform platform, int taskCount,
                         int primariesPerTask, String updateKey, ObjectNode inputFiles) {
    @Override
    public String toString() {
        return "Submission[simulation " + simulationId + " (" + jobId + "), " + simType.dbValue() + ", " + taskCount
                + " task(s)]";
    }
}
