package io.yaptide.store.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Prints figures one per line, {@code name value unit}, the format scripts parse. */
public final class Figures {
    private final PrintStream out;

    public Figures(PrintStream out) {
        this.out = out;
    }

    public void print(String name, double value, String unit) {
        out.printf(Locale.ROOT, "%s %s %s%n", name, format(value), unit);
        out.flush();
    }

    private static String format(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }
}
