package io.yaptide.store.tasks;

import io.yaptide.store.simulations.JobState;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

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

    /**
     * The worker's format, Python's {@code str(datetime)}: the fraction (1 to 6 digits, as
     * {@code strptime('%f')} accepts) is optional because Python leaves it out when the microsecond
     * is zero.
     */
    private static final DateTimeFormatter WORKER_TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 1, 6, true).optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    /** A report that only changes the state. */
    public static TaskUpdate state(JobState state) {
        return new TaskUpdate(state, null, null, null, null, null, null);
    }

    /**
     * Parses {@code YYYY-MM-DD HH:MM:SS.ffffff} or {@code YYYY-MM-DD HH:MM:SS} (UTC), as workers send it.
     *
     * @throws IllegalArgumentException naming the text and the expected format
     */
    public static Instant parseWorkerTime(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing time: expected YYYY-MM-DD HH:MM:SS.ffffff (UTC)");
        }
        try {
            return LocalDateTime.parse(text.strip(), WORKER_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid time '" + text
                    + "': expected YYYY-MM-DD HH:MM:SS.ffffff (UTC), for example 2024-10-29 22:23:14.123456");
        }
    }
}
