package io.yaptide.store.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the admin commands speak. By default they print the original admin script's lines exactly
 * (operators' scripts parse them), and a refusal ends with the original's "Aborted!" on stderr and
 * exit code 1. With {@code --json} they print one JSON document on success, and a refusal is one
 * "Error: ..." line on stderr with the same exit code.
 */
final class AdminOutput {
    private final PrintWriter out;
    private final boolean json;

    AdminOutput(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** A line of the original's text output; nothing in JSON mode. */
    void line(String text) {
        if (!json) {
            out.println(text);
        }
    }

    /** Lines of the original's text output, each ended already; nothing in JSON mode. */
    void text(CharSequence lines) {
        if (!json) {
            out.append(lines);
        }
    }

    /** The JSON document of a command; nothing in text mode. */
    void document(Object value) {
        if (json) {
            try {
                out.println(new com.fasterxml.jackson.databind.ObjectMapper()
                        .writerWithDefaultPrettyPrinter().writeValueAsString(value));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Refuses: the reason as the original printed it, then "Aborted!" (exit 1). */
    CliException abort(String reason) {
        if (json) {
            return new CliException(ExitCode.ABORTED, reason);
        }
        out.println(reason);
        return new Aborted();
    }

    /** The original's refusal: its reason is on stdout already; Main prints "Aborted!" on stderr. */
    static final class Aborted extends CliException {
        Aborted() {
            super(ExitCode.ABORTED, "Aborted!");
        }
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * A time as Python's {@code str(datetime)} printed it in the original: microseconds only when
     * not zero; {@code +00:00} for PostgreSQL's zone-aware times, nothing for SQLite's naive ones;
     * {@code None} for no time.
     */
    static String pythonTime(Instant t, boolean zoneAware) {
        return appendPythonTime(new StringBuilder(32), t, zoneAware).toString();
    }

    /**
     * {@link #pythonTime} appended to {@code to}. The digits are written directly for the years
     * 1-9999 (every time Python's datetime can hold): a list prints two times per line, and
     * DateTimeFormatter (a print context, a field lookup per letter) and String.format took a fifth
     * of list-simulations' CPU for 900 lines. Other years go through the formatter, as before.
     */
    static StringBuilder appendPythonTime(StringBuilder to, Instant t, boolean zoneAware) {
        if (t == null) {
            return to.append("None");
        }
        LocalDateTime utc = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        int year = utc.getYear();
        if (year >= 1 && year <= 9999) {
            digits(to, year, 4).append('-');
            digits(to, utc.getMonthValue(), 2).append('-');
            digits(to, utc.getDayOfMonth(), 2).append(' ');
            digits(to, utc.getHour(), 2).append(':');
            digits(to, utc.getMinute(), 2).append(':');
            digits(to, utc.getSecond(), 2);
        } else {
            to.append(SECONDS.format(utc));
        }
        int micros = utc.getNano() / 1000;
        if (micros != 0) {
            digits(to.append('.'), micros, 6);
        }
        return zoneAware ? to.append("+00:00") : to;
    }

    /** {@code value} (0 or more) in at least {@code width} digits, zero-padded, as %0Nd prints it. */
    private static StringBuilder digits(StringBuilder to, int value, int width) {
        for (int i = 1, bound = 10; i < width; i++, bound *= 10) {
            if (value < bound) {
                to.append('0');
            }
        }
        return to.append(value);
    }
}
