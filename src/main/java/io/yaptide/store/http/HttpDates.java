package io.yaptide.store.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times as the original serialises them (Flask's JSON provider): an HTTP-date,
 * {@code Tue, 29 Oct 2024 22:23:14 GMT}, always two-digit days, seconds precision. The front end
 * parses exactly this.
 */
final class HttpDates {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** The HTTP-date, or null for null. */
    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    public static Instant parse(String text) {
        return Instant.from(FORMAT.parse(text));
    }
}
