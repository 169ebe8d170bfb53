package io.yaptide.store.bench;

import io.yaptide.store.simulations.JobState;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.tasks.TaskUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code task_updates_1thread} and {@code task_updates_8threads}: progress updates of ONE task of a
 * simulation with 1,000 tasks through {@link TaskStore#update}, as a worker sends them (state
 * RUNNING, growing simulated primaries, an estimate), from 1 or 8 threads at once for a few seconds.
 * Every update must be accepted; the figure is accepted updates per second.
 */
final class TaskUpdates implements Workload {
    static final int TASKS = 1_000;
    private static final double SECONDS = 3.0;

    private final int threads;

    TaskUpdates(int threads) {
        this.threads = threads;
    }

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        long sim = ctx.newSimulation(TASKS).simulation().id();
        int taskId = TASKS / 2;
        TaskStore tasks = ctx.tasks();
        tasks.update(sim, taskId, new TaskUpdate(JobState.RUNNING, null, null, 3600, Instant.now(), null, null));
        AtomicInteger progress = new AtomicInteger();

        // untimed warm-up on one thread
        for (int i = 0; i < 200; i++) {
            tasks.update(sim, taskId, progressUpdate(progress.incrementAndGet()));
        }

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long end = Stopwatch.deadlineAfter(SECONDS);
            List<Callable<long[]>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(() -> {
                    long accepted = 0;
                    long rejected = 0;
                    while (System.nanoTime() < end) {
                        if (tasks.update(sim, taskId, progressUpdate(progress.incrementAndGet()))) {
                            accepted++;
                        } else {
                            rejected++;
                        }
                    }
                    return new long[] {accepted, rejected};
                });
            }
            long start = System.nanoTime();
            long accepted = 0;
            long rejected = 0;
            for (Future<long[]> f : pool.invokeAll(workers)) {
                accepted += f.get()[0];
                rejected += f.get()[1];
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (rejected > 0) {
                throw new IllegalStateException(rejected + " progress updates of a RUNNING task were rejected");
            }
            out.print("task_updates_" + threads + (threads == 1 ? "thread" : "threads"), accepted / seconds, "updates/s");
        } finally {
            pool.shutdownNow();
        }
    }

    private static TaskUpdate progressUpdate(int simulatedPrimaries) {
        return new TaskUpdate(JobState.RUNNING, null, simulatedPrimaries, Math.max(1, 3600 - simulatedPrimaries % 3600), null, null, null);
    }
}
