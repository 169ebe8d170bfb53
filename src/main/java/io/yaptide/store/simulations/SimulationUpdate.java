package io.yaptide.store.simulations;

import java.time.Instant;

/**
 * A requested change to a simulation (the original's {@code update_dict}); null fields are left
 * alone. Rules (applied atomically by {@link SimulationStore#update}): a terminal simulation never
 * changes state; end_time is set once; merge_id, job_dir update when changed; array_id and
 * collect_id change only to a non-zero value.
 */
public record SimulationUpdate(JobState state, Instant endTime, String mergeId, String jobDir,
                               Integer arrayId, Integer collectId) {
    public static SimulationUpdate state(JobState state) {
        return new SimulationUpdate(state, null, null, null, null, null);
    }
}
