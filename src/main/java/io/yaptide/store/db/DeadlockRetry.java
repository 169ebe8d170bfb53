package io.yaptide.store.db;

import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;

/**
 * Re-runs a transaction that PostgreSQL aborted to break a deadlock (40P01) or a serialization
 * conflict (40001).
 *
 * <p>Multi-row transactions (cancelling a simulation's tasks, a batch of task updates) lock rows in
 * an order PostgreSQL chooses by its scan, so two of them over the same tasks can deadlock. The
 * database detects it and aborts one; the aborted one changed nothing, and since every statement
 * re-checks its rules in its WHERE clause, running it again is safe. SQLite cannot deadlock here:
 * its writers queue on one lock (IMMEDIATE transactions, busy timeout).
 */
public final class DeadlockRetry {
    static final int ATTEMPTS = 5;

    private DeadlockRetry() {
    }

    public static <T> T run(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (JdbiException e) {
                if (attempt >= ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    static boolean isTransient(Throwable e) {
        return SqlErrors.classify(e) == SqlErrors.Kind.RETRYABLE;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep((long) (Math.random() * 5 * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying after a deadlock", e);
        }
    }
}
