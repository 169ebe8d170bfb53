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
        String stripped = text.strip();
        Instant fast = parseExact(stripped);
        if (fast != null) {
            return fast;
        }
        try {
            return parseWithFormatter(stripped);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid time '" + text
                    + "': expected YYYY-MM-DD HH:MM:SS.ffffff (UTC), for example 2024-10-29 22:23:14.123456");
        }
    }

    /**
     * The format's usual shape read by hand, digit by digit ({@code DateTimeFormatter} took a tenth
     * of a worker report's CPU); null for anything else, which the formatter then reads or refuses
     * with its message. Out-of-range fields (month 13, 30 February, hour 24) are refused by
     * {@link LocalDateTime#of} exactly as the strict formatter refuses them.
     */
    static Instant parseWithFormatter(String stripped) {
        return LocalDateTime.parse(stripped, WORKER_TIME).toInstant(ZoneOffset.UTC);
    }

    static Instant parseExact(String t) {
        int n = t.length();
        if (n < 19 || n == 20 || n > 26 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' '
                || t.charAt(13) != ':' || t.charAt(16) != ':' || (n > 19 && t.charAt(19) != '.')) {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int micros = 0;
        if (n > 19) {
            micros = digits(t, 20, n);
            for (int i = n; i < 26; i++) {
                micros *= 10;
            }
        }
        if ((year | month | day | hour | minute | second | micros) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null; // the formatter refuses it too, with the message callers expect
        }
    }

    /** The decimal value of t[from, to), or -1 when any of it is not an ASCII digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
