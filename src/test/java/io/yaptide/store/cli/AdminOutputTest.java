package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The original's time format, written digit by digit, is what the formatter wrote before. */
class AdminOutputTest {

    /** The implementation before the digits were written directly: the reference. */
    private static String formatted(Instant t, boolean zoneAware) {
        if (t == null) {
            return "None";
        }
        LocalDateTime utc = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        String s = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(utc);
        int micros = utc.getNano() / 1000;
        if (micros != 0) {
            s += String.format(".%06d", micros);
        }
        return zoneAware ? s + "+00:00" : s;
    }

    @Test
    void pythonTimeIsWhatTheFormatterPrinted() {
        Random random = new Random(14);
        long from = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            long seconds = from + (long) (random.nextDouble() * (to - from));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000); // below a microsecond: printed without a fraction
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertThat(AdminOutput.pythonTime(t, i % 2 == 0)).isEqualTo(formatted(t, i % 2 == 0));
        }
        for (String edge : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "1970-01-01T00:00:00.000001Z",
                "2024-10-29T22:23:14.123456Z", "0999-09-09T09:09:09.090909Z", "-0001-06-01T00:00:00Z", "+10000-01-01T00:00:00Z"}) {
            Instant t = Instant.parse(edge);
            assertThat(AdminOutput.pythonTime(t, true)).as(edge).isEqualTo(formatted(t, true));
            assertThat(AdminOutput.pythonTime(t, false)).as(edge).isEqualTo(formatted(t, false));
        }
        assertThat(AdminOutput.pythonTime(null, true)).isEqualTo("None");
    }
}
