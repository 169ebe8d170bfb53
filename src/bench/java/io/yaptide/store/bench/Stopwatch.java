package io.yaptide.store.bench;

/** Runs an action repeatedly for a bounded time and reports the rate, after a short warm-up. */
final class Stopwatch {
    /** Result of a timed run: how many operations, in how many seconds. */
    record Run(long operations, double seconds) {
        double perSecond() {
            return operations / seconds;
        }
    }

    interface Action {
        void run() throws Exception;
    }

    /**
     * Multiplies every duration: {@code -Dbench.scale=0.05} makes a quick smoke run (tests); the
     * figures of such a run mean nothing.
     */
    static double scale() {
        return Double.parseDouble(System.getProperty("bench.scale", "1.0"));
    }

    private Stopwatch() {
    }

    static long deadlineAfter(double seconds) {
        return System.nanoTime() + (long) (seconds * scale() * 1e9);
    }

    /** Repeats {@code action} for about {@code seconds} (at least once), after {@code warmupSeconds} untimed. */
    static Run repeat(double warmupSeconds, double seconds, Action action) throws Exception {
        long warmupEnd = deadlineAfter(warmupSeconds);
        while (System.nanoTime() < warmupEnd) {
            action.run();
        }
        long start = System.nanoTime();
        long end = deadlineAfter(seconds);
        long n = 0;
        do {
            action.run();
            n++;
        } while (System.nanoTime() < end);
        return new Run(n, (System.nanoTime() - start) / 1e9);
    }

    /** Times one run of {@code action}, in seconds. */
    static double time(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
