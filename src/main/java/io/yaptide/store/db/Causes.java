package io.yaptide.store.db;

import java.util.stream.Stream;

/**
 * Walking an exception's cause chain, the one way: drivers, pools, JDBI and Liquibase wrap the
 * failure that matters several times, and a chain may point back at itself.
 */
public final class Causes {
    /** Deeper than any real wrapping; a chain that loops (A caused by B caused by A) ends here. */
    static final int MAX_DEPTH = 64;

    private Causes() {
    }

    /** The exception and its causes, outermost first, ending at a self-reference (or {@link #MAX_DEPTH}). */
    public static Stream<Throwable> chain(Throwable failure) {
        return Stream.iterate(failure, t -> t != null, t -> t.getCause() == t ? null : t.getCause()).limit(MAX_DEPTH);
    }

    /** The innermost cause (the exception itself when it has none). */
    public static Throwable root(Throwable failure) {
        Throwable c = failure;
        for (int depth = 1; depth < MAX_DEPTH && c.getCause() != null && c.getCause() != c; depth++) {
            c = c.getCause();
        }
        return c;
    }

    /** Whether the exception or one of its causes is a {@code type}. */
    public static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return chain(failure).anyMatch(type::isInstance);
    }

    /** The first line of the innermost cause's message (its class's simple name when it has none), stripped. */
    public static String rootMessage(Throwable failure) {
        Throwable c = root(failure);
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return firstLine(m);
    }

    /** The first line of a text, stripped; empty for null. */
    public static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").strip();
    }
}
