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
     * Runs untimed rounds of {@code round} until the JIT has settled: a round in which the compiler
     * threads spent under {@value #SETTLED_COMPILE_SHARE} of the round's time compiling, after at
     * least {@code minRounds}; at most {@code maxSeconds} (scaled) in all. On 2 cores C2 compiles
     * the service's request path for tens of seconds, and a measurement taken while it does counts
     * the compiler's CPU and the interpreter's speed, not the service's (a fixed warm-up left
     * compilations of a second or two each running inside the timed window). Returns the seconds spent.
     */
    static double untilCompiled(int minRounds, double maxSeconds, Action round) throws Exception {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long end = deadlineAfter(maxSeconds);
        int rounds = 0;
        while (true) {
            long compiled0 = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            round.run();
            rounds++;
            double roundMillis = (System.nanoTime() - t0) / 1e6;
            double compileMillis = jit.getTotalCompilationTime() - compiled0;
            if ((rounds >= minRounds && compileMillis < SETTLED_COMPILE_SHARE * roundMillis) || System.nanoTime() > end) {
                return (System.nanoTime() - start) / 1e9;
            }
        }
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
