package io.yaptide.store.tasks;

import io.yaptide.store.simulations.JobState;
import java.time.Instant;

/**
 * A worker's progress report for one task (the original's {@code update_dict}); null fields are left
 * alone. Times come from workers as {@code YYYY-MM-DD HH:MM:SS.ffffff} (see {@link #parseWorkerTime}).
 *
 * <p>Rules, applied atomically by {@link TaskStore#update}: a task in COMPLETED, FAILED or CANCELED
 * never changes again; start_time and end_time are set once; estimated_time is kept only while the
 * task has no end time and cleared when it ends; a task that becomes COMPLETED gets
 * simulated_primaries = requested_primaries; numeric fields change only to a non-zero value;
 * celery_id updates when changed; last_update_time is refreshed on every accepted update.
 */
public record TaskUpdate(JobState state, Integer requestedPrimaries, Integer simulatedPrimaries,
                         Integer estimatedTime, Instant startTime, Instant endTime, String celeryId) {

    /** Parses {@code YYYY-MM-DD HH:MM:SS.ffffff} (UTC), as workers send it. */
    public static Instant parseWorkerTime(String text) {
        throw new UnsupportedOperationException("issue 3");
    }
}
