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
        if (t == null) {
            return "None";
        }
        LocalDateTime utc = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        String s = SECONDS.format(utc);
        int micros = utc.getNano() / 1000;
        if (micros != 0) {
            s += String.format(".%06d", micros);
        }
        return zoneAware ? s + "+00:00" : s;
    }
}
