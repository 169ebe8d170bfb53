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

    /**
     * Runs untimed rounds of {@code round} for at least {@code minSeconds} and then until the JIT has
     * settled: a round in which the compiler threads spent under {@value #SETTLED_COMPILE_SHARE} of the
     * round's time compiling; at most {@code maxSeconds} in all (both scaled). On 2 cores C2 compiles
     * the service's request path for a minute and more, in bursts: a measurement taken before then
     * counts the compiler's CPU and code that is not yet the service's steady state (a fixed 20-30 s
     * warm-up, or stopping at the first quiet round, measured about half the rate that the same code
     * reached after 80 s). Each round's outcome goes to standard error. Returns the seconds spent.
     */
    static double untilCompiled(double minSeconds, double maxSeconds, RoundAction round) throws Exception {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long min = deadlineAfter(minSeconds);
        long end = deadlineAfter(maxSeconds);
        for (int n = 1; ; n++) {
            long compiled0 = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            String outcome = round.run();
            double roundMillis = (System.nanoTime() - t0) / 1e6;
            double compileMillis = jit.getTotalCompilationTime() - compiled0;
            System.err.printf("bench: warm-up round %d: %s, %.0f ms compiling%n", n, outcome, compileMillis);
            long now = System.nanoTime();
            if ((now > min && compileMillis < SETTLED_COMPILE_SHARE * roundMillis) || now > end) {
                return (now - start) / 1e9;
            }
        }
    }

    /** One warm-up round; returns what it did, in words, for the log. */
    interface RoundAction {
        String run() throws Exception;
    }

    /** The compiler's share of a warm-up round below which the JIT counts as settled. */
    static final double SETTLED_COMPILE_SHARE = 0.02;

    /** Times one run of {@code action}, in seconds. */
    static double time(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
