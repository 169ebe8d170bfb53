package io.yaptide.store.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationSeeds;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 16 threads race progress updates, terminal updates and a cancel over the same tasks.
 *
 * <p>To tell a lost update from a legitimate later one, every field of every task has exactly one
 * writing thread, which writes it in program order with increasing values: so after the race each
 * field must hold the value of that thread's LAST accepted write (or, for the set-once times, its
 * FIRST accepted one). Terminal states, in contrast, have several racing writers (two threads and
 * the cancel), and at most one of them may win per task.
 */
class ConcurrentTaskUpdatesTest {

    static final int THREADS = 16;
    static final int TASKS = 16;
    static final int ROUNDS = 40;
    static final Instant STARTS = Instant.parse("2020-01-01T00:00:00Z");
    static final Instant ENDS = Instant.parse("2021-01-01T00:00:00Z");

    /** What one thread saw accepted, per task it writes. */
    static final class Seen {
        final Map<Integer, Integer> lastSimulated = new HashMap<>();
        final Map<Integer, Integer> lastEstimated = new HashMap<>();
        final Map<Integer, Integer> lastRequested = new HashMap<>();
        final Map<Integer, String> lastCeleryId = new HashMap<>();
        final Map<Integer, Instant> firstStart = new HashMap<>();
        final Map<Integer, Instant> firstEnd = new HashMap<>();
        final Map<Integer, List<JobState>> terminal = new HashMap<>();

        void terminal(int task, JobState state) {
            terminal.computeIfAbsent(task, k -> new ArrayList<>()).add(state);
        }
    }

    @DatabaseTest
    void racingWorkersAndACancelLoseNoUpdateAndNeverLeaveATerminalState(TestDatabase db) throws Exception {
        long user = SimulationSeeds.user(db, "racer");
        SimulationStore sims = new SimulationStore(db.database());
        TaskStore tasks = new TaskStore(db.database());
        long sim = sims.create(SimulationSeeds.direct(user, TASKS)).simulation().id();
        Instant raceStart = Instant.now().minusSeconds(1);
        AtomicInteger done = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Seen>> results = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int role = i % 4;
            List<Integer> owned = new ArrayList<>();
            for (int t = i / 4; t < TASKS; t += 4) {
                owned.add(t);
            }
            results.add(pool.submit(() -> {
                go.await();
                return race(tasks, sim, role, owned, done);
            }));
        }

        go.countDown();
        // cancel late, so that set-once times and terminal updates have raced before it
        while (done.get() < THREADS * ROUNDS * 3 / 4) {
            Thread.onSpinWait();
        }
        boolean canceled = sims.cancel(sim);
        List<Seen> seen = new ArrayList<>();
        for (Future<Seen> f : results) {
            seen.add(f.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(canceled).isTrue();
        assertThat(sims.findById(sim).orElseThrow().state()).isEqualTo(JobState.CANCELED);
        Seen all = merge(seen);
        assertThat(all.firstEnd).as("end times were accepted before the cancel").isNotEmpty();
        for (Task task : tasks.listBySimulation(sim)) {
            int t = task.taskId();
            String what = "task " + t;
            List<JobState> wonTerminal = all.terminal.getOrDefault(t, List.of());
            assertThat(task.state().isTerminal()).as(what).isTrue();
            if (t % 4 >= 2) {
                assertThat(task.state()).as(what + ": only the cancel ends it").isEqualTo(JobState.CANCELED);
            }
            assertThat(wonTerminal).as(what + ": accepted terminal updates").hasSizeLessThanOrEqualTo(1);
            assertThat(task.state()).as(what).isEqualTo(wonTerminal.isEmpty() ? JobState.CANCELED : wonTerminal.get(0));

            assertThat(task.requestedPrimaries()).as(what + " requested").isEqualTo(all.lastRequested.getOrDefault(t, 1000));
            int expectedSimulated = task.state() == JobState.COMPLETED
                    ? task.requestedPrimaries() : all.lastSimulated.getOrDefault(t, 0);
            assertThat(task.simulatedPrimaries()).as(what + " simulated").isEqualTo(expectedSimulated);
            assertThat(((DirectTask) task).celeryId()).as(what + " celery id").isEqualTo(all.lastCeleryId.getOrDefault(t, ""));
            assertThat(task.startTime()).as(what + " start, set once").isEqualTo(all.firstStart.get(t));

            Instant firstEnd = all.firstEnd.get(t);
            if (firstEnd != null) {
                assertThat(task.endTime()).as(what + " end, set once").isEqualTo(firstEnd);
            } else if (task.state() == JobState.CANCELED) {
                assertThat(task.endTime()).as(what + " end, set by the cancel").isAfter(raceStart);
            } else {
                assertThat(task.endTime()).as(what + " completed without an end time").isNull();
            }
            Integer expectedEstimate = task.endTime() != null ? null : all.lastEstimated.get(t);
            assertThat(task.estimatedTime()).as(what + " estimate").isEqualTo(expectedEstimate);
        }

        List<Task> settled = tasks.listBySimulation(sim);
        Map<Integer, TaskUpdate> late = new LinkedHashMap<>();
        for (int t = 0; t < TASKS; t++) {
            assertThat(tasks.update(sim, t, new TaskUpdate(JobState.RUNNING, 1, 1, 1, Instant.now(), Instant.now(), "late")))
                    .isFalse();
            late.put(t, TaskUpdate.state(JobState.RUNNING));
        }
        assertThat(tasks.updateBatch(sim, late)).doesNotContainValue(true);
        assertThat(tasks.listBySimulation(sim)).isEqualTo(settled);
    }

    /**
     * One thread's part. Roles: 0 progress (simulated primaries, estimate; completes tasks 0, 4, 8, 12
     * halfway), 1 requested primaries (as batches over all its tasks), 2 start times, then end times
     * from a quarter on (fails tasks 1, 5, 9, 13 at two thirds), 3 celery ids (completes tasks 1 and
     * 9 at two thirds, racing role 2's failure). Tasks 2, 3, 6, 7, ... end only by the cancel.
     */
    static Seen race(TaskStore tasks, long sim, int role, List<Integer> owned, AtomicInteger done) {
        Seen seen = new Seen();
        for (int j = 0; j < ROUNDS; j++) {
            if (role == 1) {
                Map<Integer, TaskUpdate> batch = new LinkedHashMap<>();
                for (int t : owned) {
                    batch.put(t, new TaskUpdate(null, 2000 + j, null, null, null, null, null));
                }
                int value = 2000 + j;
                tasks.updateBatch(sim, batch).forEach((t, ok) -> {
                    if (ok) {
                        seen.lastRequested.put(t, value);
                    }
                });
            } else {
                for (int t : owned) {
                    TaskUpdate u = update(role, t, j);
                    if (tasks.update(sim, t, u)) {
                        record(seen, t, u);
                    }
                }
            }
            done.incrementAndGet();
        }
        return seen;
    }

    static TaskUpdate update(int role, int t, int j) {
        return switch (role) {
            case 0 -> j == ROUNDS / 2 && t % 4 == 0
                    ? TaskUpdate.state(JobState.COMPLETED)
                    : new TaskUpdate(JobState.RUNNING, null, j + 1, 1000 - j, null, null, null);
            case 2 -> j == ROUNDS * 2 / 3 && t % 4 == 1
                    ? new TaskUpdate(JobState.FAILED, null, null, null, null, ENDS.plusSeconds(j), null)
                    : new TaskUpdate(null, null, null, null, STARTS.plusSeconds(j),
                            j >= ROUNDS / 4 ? ENDS.plusSeconds(j) : null, null);
            case 3 -> new TaskUpdate(j == ROUNDS * 2 / 3 && (t == 1 || t == 9) ? JobState.COMPLETED : null,
                    null, null, null, null, null, "celery-" + t + "-" + j);
            default -> throw new IllegalArgumentException("role " + role);
        };
    }

    static void record(Seen seen, int t, TaskUpdate u) {
        if (u.state() != null && u.state().isTerminal()) {
            seen.terminal(t, u.state());
        }
        if (u.simulatedPrimaries() != null) {
            seen.lastSimulated.put(t, u.simulatedPrimaries());
        }
        if (u.estimatedTime() != null) {
            seen.lastEstimated.put(t, u.estimatedTime());
        }
        if (u.celeryId() != null) {
            seen.lastCeleryId.put(t, u.celeryId());
        }
        if (u.startTime() != null) {
            seen.firstStart.putIfAbsent(t, u.startTime());
        }
        if (u.endTime() != null) {
            seen.firstEnd.putIfAbsent(t, u.endTime());
        }
    }

    /** Each field of each task has one writer, so the threads' maps never overlap except for terminal states. */
    static Seen merge(List<Seen> seen) {
        Seen all = new Seen();
        for (Seen s : seen) {
            all.lastSimulated.putAll(s.lastSimulated);
            all.lastEstimated.putAll(s.lastEstimated);
            all.lastRequested.putAll(s.lastRequested);
            all.lastCeleryId.putAll(s.lastCeleryId);
            all.firstStart.putAll(s.firstStart);
            all.firstEnd.putAll(s.firstEnd);
            s.terminal.forEach((t, states) -> states.forEach(state -> all.terminal(t, state)));
        }
        return all;
    }
}
