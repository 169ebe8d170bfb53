package io.yaptide.store.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A worker's time is read by hand in its usual shape and by the strict formatter otherwise: the two
 * must agree on every text, accepted or refused.
 */
class WorkerTimeTest {
    private static final String DIGITS_AND_MORE = "0123456789 -:.Tx";

    @Test
    void theHandReaderAndTheFormatterAgreeOnTimesPythonWrites() {
        Random random = new Random(14);
        for (int i = 0; i < 20_000; i++) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L),
                    random.nextInt(1_000_000) * 1000, ZoneOffset.UTC);
            String full = String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", t.getYear(), t.getMonthValue(),
                    t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
            // Python leaves the fraction out at zero microseconds; strptime's %f takes 1 to 6 digits
            String text = full.substring(0, random.nextBoolean() ? 26 : random.nextInt(2) == 0 ? 19 : 21 + random.nextInt(5));
            assertThat(TaskUpdate.parseExact(text)).as(text).isEqualTo(formatterOrNull(text)).isNotNull();
        }
    }

    @Test
    void theHandReaderRefusesWhatTheFormatterRefuses() {
        Random random = new Random(15);
        for (int i = 0; i < 50_000; i++) {
            char[] text = "2024-10-29 22:23:14.123456".toCharArray();
            for (int k = random.nextInt(3); k >= 0; k--) {
                text[random.nextInt(text.length)] = DIGITS_AND_MORE.charAt(random.nextInt(DIGITS_AND_MORE.length()));
            }
            String s = new String(text, 0, 19 + random.nextInt(8));
            Instant hand = TaskUpdate.parseExact(s);
            if (hand != null) {
                assertThat(hand).as(s).isEqualTo(formatterOrNull(s));
            }
            assertThat(parsedOrNull(s)).as(s).isEqualTo(formatterOrNull(s.strip()));
        }
    }

    @Test
    void impossibleDatesAreRefusedWithTheFormatsName() {
        for (String bad : new String[] {"2023-02-29 10:00:00", "2024-13-01 10:00:00", "2024-01-01 24:00:00",
                "2024-01-01 10:00:60.5", "2024-01-01 10:00:00.", "2024-01-01T10:00:00", "2024-01-01 10:00:00.1234567"}) {
            assertThatThrownBy(() -> TaskUpdate.parseWorkerTime(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected YYYY-MM-DD HH:MM:SS.ffffff");
        }
        assertThat(TaskUpdate.parseWorkerTime(" 2024-02-29 23:59:59.5 "))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59.500Z"));
    }

    private static Instant parsedOrNull(String s) {
        try {
            return TaskUpdate.parseWorkerTime(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant formatterOrNull(String s) {
        try {
            return TaskUpdate.parseWithFormatter(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
