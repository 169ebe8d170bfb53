package io.yaptide.store.tasks;

import static io.yaptide.store.simulations.SimulationSeeds.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.simulations.CreatedSimulation;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationSeeds;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.simulations.UpdateKey;
import io.yaptide.store.db.Database;
import io.yaptide.store.db.SqlErrors;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.TestDatabases;
import io.yaptide.store.testing.OriginalCredentials;
import io.yaptide.store.testing.OriginalDatabases;
import io.yaptide.store.testing.TestDatabase;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** Task reads, and one test per rule of a worker's update (issue 3, item 4). */
class TaskStoreTest {

    /** A direct simulation with {@code n} tasks of 1000 requested primaries each; returns its id. */
    private static long directSimulation(TestDatabase db, int n) {
        long user = SimulationSeeds.user(db, "worker-owner");
        return new SimulationStore(db.database()).create(SimulationSeeds.direct(user, n)).simulation().id();
    }

    private static TaskUpdate progress(Integer simulated, Integer estimated) {
        return new TaskUpdate(JobState.RUNNING, null, simulated, estimated, null, null, null);
    }

    private static TaskUpdate times(Instant start, Instant end) {
        return new TaskUpdate(null, null, null, null, start, end, null);
    }

    // ---- reads ----------------------------------------------------------------------------------------

    @DatabaseTest
    void listsTasksByNumberAndFindsOneOfEitherPlatform(TestDatabase db) {
        long user = SimulationSeeds.user(db, "reader");
        long cluster = SimulationSeeds.cluster(db, "ares");
        SimulationStore sims = new SimulationStore(db.database());
        long direct = sims.create(SimulationSeeds.direct(user, 12)).simulation().id();
        long batch = sims.create(SimulationSeeds.batch(user, cluster, 2)).simulation().id();
        TaskStore tasks = new TaskStore(db.database());

        assertThat(tasks.listBySimulation(direct)).extracting(Task::taskId)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Task seven = tasks.find(direct, 7).orElseThrow();
        assertThat(seven).isInstanceOf(DirectTask.class);
        assertThat(seven.simulationId()).isEqualTo(direct);
        assertThat(seven.taskId()).isEqualTo(7);
        assertThat(seven.platform()).isEqualTo(io.yaptide.store.simulations.Platform.DIRECT);
        assertThat(seven.lastUpdateTime()).isEqualTo(T0);
        Task batchTask = tasks.find(batch, 1).orElseThrow();
        assertThat(batchTask).isInstanceOf(BatchTask.class);
        assertThat(batchTask.requestedPrimaries()).isEqualTo(500);
        assertThat(tasks.find(direct, 12)).isEmpty();
        assertThat(tasks.listBySimulation(batch + 100)).isEmpty();
    }

    @DatabaseTest
    void deletesOneTaskWithItsVariantRow(TestDatabase db) {
        long sim = directSimulation(db, 3);
        TaskStore tasks = new TaskStore(db.database());

        assertThat(tasks.delete(sim, 1)).isTrue();
        assertThat(tasks.delete(sim, 1)).isFalse();

        assertThat(tasks.listBySimulation(sim)).extracting(Task::taskId).containsExactly(0, 2);
        long celeryRows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM \"CeleryTask\"").mapTo(Long.class).one());
        assertThat(celeryRows).isEqualTo(2L);
    }

    @DatabaseTest
    void anUpdateOfAMissingTaskIsRefused(TestDatabase db) {
        long sim = directSimulation(db, 1);
        TaskStore tasks = new TaskStore(db.database());
        assertThat(tasks.update(sim, 5, progress(1, 1))).isFalse();
        assertThat(tasks.update(sim + 1, 0, progress(1, 1))).isFalse();
    }

    // ---- one test per rule -----------------------------------------------------------------------------

    @DatabaseTest
    void aTaskInATerminalStateNeverChanges(TestDatabase db) {
        long sim = directSimulation(db, 3);
        TaskStore tasks = new TaskStore(db.database());
        List<JobState> terminal = List.of(JobState.COMPLETED, JobState.FAILED, JobState.CANCELED);
        for (int i = 0; i < 3; i++) {
            assertThat(tasks.update(sim, i, new TaskUpdate(terminal.get(i), null, null, null, null, null, null))).isTrue();
            Task before = tasks.find(sim, i).orElseThrow();

            boolean accepted = tasks.update(sim, i, new TaskUpdate(JobState.RUNNING, 7, 3, 60, T0, T0.plusSeconds(9), "late-id"));

            assertThat(accepted).as(terminal.get(i).name()).isFalse();
            assertThat(tasks.find(sim, i).orElseThrow()).isEqualTo(before);
        }
    }

    @DatabaseTest
    void aFinishedTaskCannotBecomeCanceled(TestDatabase db) {
        long sim = directSimulation(db, 2);
        TaskStore tasks = new TaskStore(db.database());
        tasks.update(sim, 0, TaskUpdate.state(JobState.COMPLETED));
        tasks.update(sim, 1, TaskUpdate.state(JobState.FAILED));

        assertThat(tasks.update(sim, 0, TaskUpdate.state(JobState.CANCELED))).isFalse();
        assertThat(tasks.update(sim, 1, TaskUpdate.state(JobState.CANCELED))).isFalse();
        assertThat(tasks.updateBatch(sim, Map.of(0, TaskUpdate.state(JobState.CANCELED)))).containsEntry(0, false);

        assertThat(tasks.listBySimulation(sim)).extracting(Task::state).containsExactly(JobState.COMPLETED, JobState.FAILED);
    }

    @DatabaseTest
    void theEndTimeIsSetOnce(TestDatabase db) {
        long sim = directSimulation(db, 1);
        TaskStore tasks = new TaskStore(db.database());
        Instant first = T0.plusSeconds(60);

        assertThat(tasks.update(sim, 0, times(null, first))).isTrue();
        assertThat(tasks.update(sim, 0, times(null, T0.plusSeconds(120)))).isTrue();

        assertThat(tasks.find(sim, 0).orElseThrow().endTime()).isEqualTo(first);
    }

    @DatabaseTest
    void theStartTimeIsSetOnce(TestDatabase db) {
        long sim = directSimulation(db, 1);
        TaskStore tasks = new TaskStore(db.database());

        assertThat(tasks.update(sim, 0, times(T0, null))).isTrue();
        assertThat(tasks.update(sim, 0, times(T0.plusSeconds(5), null))).isTrue();

        assertThat(tasks.find(sim, 0).orElseThrow().startTime()).isEqualTo(T0);
    }

    @DatabaseTest
    void theEstimatedTimeIsKeptOnlyWhileTheTaskHasNoEndTime(TestDatabase db) {
        long sim = directSimulation(db, 1);
        TaskStore tasks = new TaskStore(db.database());

        tasks.update(sim, 0, progress(10, 300));
        tasks.update(sim, 0, progress(20, 200));
        Integer whileRunning = tasks.find(sim, 0).orElseThrow().estimatedTime();
        tasks.update(sim, 0, times(null, T0.plusSeconds(30)));
        Integer atEnd = tasks.find(sim, 0).orElseThrow().estimatedTime();
        assertThat(tasks.update(sim, 0, progress(30, 100))).isTrue();
        Task afterEnd = tasks.find(sim, 0).orElseThrow();

        assertThat(whileRunning).isEqualTo(200);
        assertThat(atEnd).isNull();
        assertThat(afterEnd.estimatedTime()).isNull();
        assertThat(afterEnd.simulatedPrimaries()).isEqualTo(30);
    }

    @DatabaseTest
    void theEstimatedTimeSentWithTheEndTimeIsClearedToo(TestDatabase db) {
        long sim = directSimulation(db, 1);
        TaskStore tasks = new TaskStore(db.database());
        tasks.update(sim, 0, progress(10, 300));

        tasks.update(sim, 0, new TaskUpdate(JobState.RUNNING, null, 900, 15, null, T0.plusSeconds(40), null));

        assertThat(tasks.find(sim, 0).orElseThrow().estimatedTime()).isNull();
    }

    @DatabaseTest
    void aTaskThatBecomesCompletedHasSimulatedAllRequestedPrimaries(TestDatabase db) {
        long sim = directSimulation(db, 2);
        TaskStore tasks = new TaskStore(db.database());
        tasks.update(sim, 0, progress(400, 50));
        tasks.update(sim, 1, progress(400, 50));

        tasks.update(sim, 0, new TaskUpdate(JobState.COMPLETED, null, 999, null, null, T0, null));
        tasks.update(sim, 1, new TaskUpdate(JobState.COMPLETED, 1500, null, null, null, T0, null));

        Task plain = tasks.find(sim, 0).orElseThrow();
        Task withNewRequest = tasks.find(sim, 1).orElseThrow();
        assertThat(plain.simulatedPrimaries()).isEqualTo(plain.requestedPrimaries()).isEqualTo(1000);
        assertThat(withNewRequest.simulatedPrimaries()).isEqualTo(withNewRequest.requestedPrimaries()).isEqualTo(1500);
    }

    @DatabaseTest
    void lastUpdateTimeIsRefreshedOnEveryAcceptedUpdateOnly(TestDatabase db) {
        long sim = directSimulation(db, 2);
        TaskStore tasks = new TaskStore(db.database());
        Instant longAgo = Instant.parse("2001-01-01T00:00:00Z");
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE \"Task\" SET last_update_time = :t WHERE simulation_id = :s")
                .bindByType("t", longAgo, Instant.class).bind("s", sim).execute());
        tasks.update(sim, 1, TaskUpdate.state(JobState.FAILED));
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE \"Task\" SET last_update_time = :t WHERE simulation_id = :s")
                .bindByType("t", longAgo, Instant.class).bind("s", sim).execute());
        Instant before = Instant.now().minusSeconds(5);

        // an update that changes nothing else is still a sign of life
        assertThat(tasks.update(sim, 0, new TaskUpdate(null, null, null, null, null, null, null))).isTrue();
        assertThat(tasks.update(sim, 1, progress(5, 5))).isFalse();

        assertThat(tasks.find(sim, 0).orElseThrow().lastUpdateTime()).isAfter(before);
        assertThat(tasks.find(sim, 1).orElseThrow().lastUpdateTime()).isEqualTo(longAgo);
    }

    @DatabaseTest
    void theCeleryIdUpdatesWhenChangedAsPartOfAnAcceptedUpdate(TestDatabase db) {
        long sim = directSimulation(db, 2);
        TaskStore tasks = new TaskStore(db.database());

        tasks.update(sim, 0, new TaskUpdate(JobState.RUNNING, null, null, null, null, null, "celery-1"));
        String first = ((DirectTask) tasks.find(sim, 0).orElseThrow()).celeryId();
        tasks.update(sim, 0, new TaskUpdate(JobState.COMPLETED, null, null, null, null, T0, "celery-2"));
        String withCompletion = ((DirectTask) tasks.find(sim, 0).orElseThrow()).celeryId();
        boolean late = tasks.update(sim, 0, new TaskUpdate(null, null, null, null, null, null, "celery-3"));

        assertThat(first).isEqualTo("celery-1");
        assertThat(withCompletion).isEqualTo("celery-2");
        assertThat(late).isFalse();
        assertThat(((DirectTask) tasks.find(sim, 0).orElseThrow()).celeryId()).isEqualTo("celery-2");
        assertThat(((DirectTask) tasks.find(sim, 1).orElseThrow()).celeryId()).isEmpty();
    }

    @DatabaseTest
    void numericFieldsChangeOnlyToANonZeroValue(TestDatabase db) {
        long sim = directSimulation(db, 1);
        TaskStore tasks = new TaskStore(db.database());
        tasks.update(sim, 0, new TaskUpdate(JobState.RUNNING, 2000, 150, 90, null, null, null));

        assertThat(tasks.update(sim, 0, new TaskUpdate(null, 0, 0, 0, null, null, null))).isTrue();

        Task task = tasks.find(sim, 0).orElseThrow();
        assertThat(task.requestedPrimaries()).isEqualTo(2000);
        assertThat(task.simulatedPrimaries()).isEqualTo(150);
        assertThat(task.estimatedTime()).isEqualTo(90);
    }

    @DatabaseTest
    void givenFieldsChangeAndMissingOnesAreLeftAlone(TestDatabase db) {
        long sim = directSimulation(db, 1);
        TaskStore tasks = new TaskStore(db.database());
        tasks.update(sim, 0, new TaskUpdate(JobState.RUNNING, 2000, 150, 90, T0, null, null));

        tasks.update(sim, 0, new TaskUpdate(null, null, 160, null, null, null, null));

        Task task = tasks.find(sim, 0).orElseThrow();
        assertThat(task.state()).isEqualTo(JobState.RUNNING);
        assertThat(task.requestedPrimaries()).isEqualTo(2000);
        assertThat(task.simulatedPrimaries()).isEqualTo(160);
        assertThat(task.estimatedTime()).isEqualTo(90);
        assertThat(task.startTime()).isEqualTo(T0);
    }

    // ---- progress reports commit without waiting for the WAL flush (PostgreSQL) ------------------------

    @org.junit.jupiter.api.Test
    void onlyReportsThatTheNextReportSupersedesCountAsProgress() {
        assertThat(TaskStore.isProgressOnly(progress(10, 20))).isTrue();
        assertThat(TaskStore.isProgressOnly(new TaskUpdate(null, 5, null, null, null, null, null))).isTrue();
        assertThat(TaskStore.isProgressOnly(TaskUpdate.state(JobState.COMPLETED))).isFalse();
        assertThat(TaskStore.isProgressOnly(TaskUpdate.state(JobState.CANCELED))).isFalse();
        assertThat(TaskStore.isProgressOnly(times(T0, null))).isFalse();
        assertThat(TaskStore.isProgressOnly(times(null, T0))).isFalse();
        assertThat(TaskStore.isProgressOnly(new TaskUpdate(JobState.RUNNING, null, 1, 1, null, null, "c"))).isFalse();
    }

    @DatabaseTest
    void aProgressReportLeavesTheConnectionsCommitModeAsItWas(TestDatabase db) {
        long sim = directSimulation(db, 1);
        try (io.yaptide.store.db.Database single = io.yaptide.store.db.Database.open(db.url(), 1)) {
            TaskStore tasks = new TaskStore(single);

            assertThat(tasks.update(sim, 0, progress(10, 20))).isTrue();

            assertThat(tasks.find(sim, 0).orElseThrow().simulatedPrimaries()).isEqualTo(10);
            if (db.isPostgres()) {
                String mode = single.jdbi().withHandle(h -> h.createQuery("SHOW synchronous_commit").mapTo(String.class).one());
                assertThat(mode).as("the one pooled connection, after the report").isEqualTo("on");
            }
        }
    }

    // ---- worker time format ----------------------------------------------------------------------------

    @org.junit.jupiter.api.Test
    void workerTimesParseWithOrWithoutAFractionAsUtc() {
        assertThat(TaskUpdate.parseWorkerTime("2024-10-29 22:23:14.123456")).isEqualTo(Instant.parse("2024-10-29T22:23:14.123456Z"));
        assertThat(TaskUpdate.parseWorkerTime("2024-10-29 22:23:14")).isEqualTo(Instant.parse("2024-10-29T22:23:14Z"));
        assertThat(TaskUpdate.parseWorkerTime("2024-10-29 22:23:14.5")).isEqualTo(Instant.parse("2024-10-29T22:23:14.500Z"));
    }

    @org.junit.jupiter.api.Test
    void malformedWorkerTimesAreRefusedWithTheExpectedFormat() {
        for (String bad : new String[] {"2024-10-29T22:23:14", "29.10.2024 22:23", "2024-02-30 10:00:00",
                "2024-10-29 22:23:14.1234567", "2024-10-29 22:23:14+02:00", ""}) {
            assertThatThrownBy(() -> TaskUpdate.parseWorkerTime(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected YYYY-MM-DD HH:MM:SS.ffffff (UTC)");
        }
        assertThatThrownBy(() -> TaskUpdate.parseWorkerTime(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @DatabaseTest
    void aWorkerTimeIsStoredAndReadBackToTheMicrosecond(TestDatabase db) {
        long sim = directSimulation(db, 1);
        TaskStore tasks = new TaskStore(db.database());
        Instant start = TaskUpdate.parseWorkerTime("2024-10-29 22:23:14.000001");
        Instant end = TaskUpdate.parseWorkerTime("2024-10-29 23:00:00");

        tasks.update(sim, 0, times(start, end));

        Task task = tasks.find(sim, 0).orElseThrow();
        assertThat(task.startTime()).isEqualTo(start);
        assertThat(task.endTime()).isEqualTo(end);
    }

    // ---- batches ---------------------------------------------------------------------------------------

    @DatabaseTest
    void aBatchAppliesEachTasksUpdateAndReportsWhichWereAccepted(TestDatabase db) {
        long sim = directSimulation(db, 5);
        TaskStore tasks = new TaskStore(db.database());
        tasks.update(sim, 2, TaskUpdate.state(JobState.FAILED));
        Map<Integer, TaskUpdate> batch = new LinkedHashMap<>();
        batch.put(4, new TaskUpdate(JobState.RUNNING, null, 40, 400, T0, null, "c4"));
        batch.put(0, new TaskUpdate(JobState.COMPLETED, null, null, null, T0, T0.plusSeconds(1), "c0"));
        batch.put(2, new TaskUpdate(JobState.RUNNING, null, 20, 200, T0, null, "c2"));
        batch.put(9, progress(90, 900));

        Map<Integer, Boolean> accepted = tasks.updateBatch(sim, batch);

        assertThat(accepted).containsExactly(Map.entry(0, true), Map.entry(2, false), Map.entry(4, true), Map.entry(9, false));
        List<Task> after = tasks.listBySimulation(sim);
        assertThat(after.get(0).state()).isEqualTo(JobState.COMPLETED);
        assertThat(after.get(0).simulatedPrimaries()).isEqualTo(1000);
        assertThat(((DirectTask) after.get(0)).celeryId()).isEqualTo("c0");
        assertThat(after.get(2).state()).isEqualTo(JobState.FAILED);
        assertThat(((DirectTask) after.get(2)).celeryId()).isEmpty();
        assertThat(after.get(4).simulatedPrimaries()).isEqualTo(40);
        assertThat(after.get(4).estimatedTime()).isEqualTo(400);
        assertThat(((DirectTask) after.get(4)).celeryId()).isEqualTo("c4");
        assertThat(after.get(1).state()).isEqualTo(JobState.PENDING);
        assertThat(tasks.updateBatch(sim, Map.of())).isEmpty();
    }

    @DatabaseTest
    void aBatchOverAThousandTasksOfABatchSimulation(TestDatabase db) {
        long user = SimulationSeeds.user(db, "bulk");
        long cluster = SimulationSeeds.cluster(db, "ares");
        long sim = new SimulationStore(db.database()).create(SimulationSeeds.batch(user, cluster, 1200)).simulation().id();
        TaskStore tasks = new TaskStore(db.database());
        Map<Integer, TaskUpdate> batch = new LinkedHashMap<>();
        for (int i = 0; i < 1200; i++) {
            batch.put(i, progress(i + 1, 60));
        }

        Map<Integer, Boolean> accepted = tasks.updateBatch(sim, batch);

        assertThat(accepted).hasSize(1200).doesNotContainValue(false);
        assertThat(tasks.listBySimulation(sim)).allSatisfy(t -> {
            assertThat(t).isInstanceOf(BatchTask.class);
            assertThat(t.simulatedPrimaries()).isEqualTo(t.taskId() + 1);
            assertThat(t.state()).isEqualTo(JobState.RUNNING);
        });
    }

    // ---- updates authenticated by the update key in the same statement ------------------------------

    @DatabaseTest
    void aKeyedReportTellsTheSimulationsStateAsItsStatementReadIt(TestDatabase db) {
        long user = SimulationSeeds.user(db, "keyed-state");
        SimulationStore simulations = new SimulationStore(db.database());
        CreatedSimulation created = simulations.create(SimulationSeeds.direct(user, 2));
        long sim = created.simulation().id();
        TaskStore tasks = new TaskStore(db.database());
        // the original's FLUKA monitor: every report says RUNNING, with the start time and both counts
        TaskUpdate running = new TaskUpdate(JobState.RUNNING, 1000, 10, null, T0, null, null);

        TaskStore.KeyedReport first = tasks.updateWithKey(sim, 0, created.updateKey(), running);
        assertThat(first.accepted()).isTrue();
        assertThat(first.simulationState()).isEqualTo(JobState.PENDING);
        simulations.followTasks(sim);
        TaskStore.KeyedReport again = tasks.updateWithKey(sim, 0, created.updateKey(),
                new TaskUpdate(JobState.RUNNING, 1000, 20, null, T0.plusSeconds(30), null, null));

        assertThat(again.accepted()).isTrue();
        assertThat(again.simulationState()).isEqualTo(JobState.RUNNING);
        Task task = tasks.find(sim, 0).orElseThrow();
        assertThat(task.simulatedPrimaries()).isEqualTo(20);
        assertThat(task.requestedPrimaries()).isEqualTo(1000);
        assertThat(task.startTime()).isEqualTo(T0); // set once: the repeated start time is ignored
        assertThat(tasks.updateWithKey(sim, 0, created.updateKey() + "x", running)).isEqualTo(TaskStore.KeyedReport.REFUSED);
    }

    @DatabaseTest
    void anUpdateWithTheSimulationsKeyIsAppliedInOneStatement(TestDatabase db) {
        long user = SimulationSeeds.user(db, "keyed-worker");
        CreatedSimulation created = new SimulationStore(db.database()).create(SimulationSeeds.direct(user, 2));
        long sim = created.simulation().id();
        TaskStore tasks = new TaskStore(db.database());

        assertThat(tasks.updateWithKey(sim, 1, created.updateKey(), progress(250, 40)).accepted()).isTrue();

        Task one = tasks.find(sim, 1).orElseThrow();
        assertThat(one.state()).isEqualTo(JobState.RUNNING);
        assertThat(one.simulatedPrimaries()).isEqualTo(250);
        assertThat(one.estimatedTime()).isEqualTo(40);
        assertThat(tasks.find(sim, 0).orElseThrow().state()).isEqualTo(JobState.PENDING);
    }

    @DatabaseTest
    void aWrongKeyOrAnotherSimulationsKeyChangesNothing(TestDatabase db) {
        long user = SimulationSeeds.user(db, "keyed-intruder");
        SimulationStore sims = new SimulationStore(db.database());
        CreatedSimulation a = sims.create(SimulationSeeds.direct(user, 1));
        CreatedSimulation b = sims.create(SimulationSeeds.direct(user, 1));
        long sim = a.simulation().id();
        TaskStore tasks = new TaskStore(db.database());
        Task before = tasks.find(sim, 0).orElseThrow();

        assertThat(tasks.updateWithKey(sim, 0, a.updateKey() + "x", progress(250, 40)).accepted()).isFalse();
        assertThat(tasks.updateWithKey(sim, 0, b.updateKey(), progress(250, 40)).accepted()).isFalse();
        assertThat(tasks.updateWithKey(sim, 0, "", progress(250, 40)).accepted()).isFalse();
        assertThat(tasks.updateWithKey(sim, 0, null, progress(250, 40)).accepted()).isFalse();

        assertThat(tasks.find(sim, 0).orElseThrow()).isEqualTo(before);
    }

    @DatabaseTest
    void aWrongKeyWithACeleryIdChangesNeitherTheTaskNorItsCeleryId(TestDatabase db) {
        long user = SimulationSeeds.user(db, "keyed-celery");
        CreatedSimulation created = new SimulationStore(db.database()).create(SimulationSeeds.direct(user, 1));
        long sim = created.simulation().id();
        TaskStore tasks = new TaskStore(db.database());
        Task before = tasks.find(sim, 0).orElseThrow();
        TaskUpdate withCelery = new TaskUpdate(JobState.RUNNING, null, 10, 5, null, null, "celery-new");

        assertThat(tasks.updateWithKey(sim, 0, created.updateKey() + "x", withCelery).accepted()).isFalse();
        assertThat(tasks.find(sim, 0).orElseThrow()).isEqualTo(before);

        assertThat(tasks.updateWithKey(sim, 0, created.updateKey(), withCelery).accepted()).isTrue();
        DirectTask after = (DirectTask) tasks.find(sim, 0).orElseThrow();
        assertThat(after.celeryId()).isEqualTo("celery-new");
        assertThat(after.simulatedPrimaries()).isEqualTo(10);
    }

    @DatabaseTest
    void aFinishedOrMissingTaskIsRefusedEvenWithTheRightKey(TestDatabase db) {
        long user = SimulationSeeds.user(db, "keyed-late");
        CreatedSimulation created = new SimulationStore(db.database()).create(SimulationSeeds.direct(user, 1));
        long sim = created.simulation().id();
        TaskStore tasks = new TaskStore(db.database());
        assertThat(tasks.updateWithKey(sim, 0, created.updateKey(),
                new TaskUpdate(JobState.COMPLETED, null, null, null, null, T0.plusSeconds(5), null)).accepted()).isTrue();
        Task finished = tasks.find(sim, 0).orElseThrow();

        assertThat(tasks.updateWithKey(sim, 0, created.updateKey(), progress(1, 1)).accepted()).isFalse();
        assertThat(tasks.updateWithKey(sim, 3, created.updateKey(), progress(1, 1)).accepted()).isFalse();
        assertThat(tasks.updateWithKey(sim + 1000, 0, created.updateKey(), progress(1, 1)).accepted()).isFalse();
        assertThat(tasks.find(sim, 0).orElseThrow()).isEqualTo(finished);
    }

    @DatabaseTest
    void aKeyTheOriginalStoredIsRefusedHereUntilTheSlowCheckUpgradesIt(TestDatabase db) {
        long user = SimulationSeeds.user(db, "keyed-legacy");
        SimulationStore sims = new SimulationStore(db.database());
        long sim = sims.create(SimulationSeeds.direct(user, 1)).simulation().id();
        var original = OriginalCredentials.simulationKeys().get(0);
        String legacyHash = OriginalDatabases.postgresRows("Simulation").stream()
                .filter(r -> r.get("id").equals(String.valueOf(original.simulationId())))
                .findFirst().orElseThrow().get("update_key_hash");
        assertThat(UpdateKey.isLegacy(legacyHash)).isTrue();
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE \"Simulation\" SET update_key_hash = :h WHERE id = :id")
                .bind("h", legacyHash).bind("id", sim).execute());
        TaskStore tasks = new TaskStore(db.database());
        Task before = tasks.find(sim, 0).orElseThrow();

        assertThat(tasks.updateWithKey(sim, 0, original.updateKey(), progress(70, 9)).accepted()).isFalse();
        assertThat(tasks.find(sim, 0).orElseThrow()).isEqualTo(before);

        assertThat(sims.checkUpdateKey(sim, original.updateKey())).isTrue(); // verifies, stores the fast hash
        assertThat(tasks.updateWithKey(sim, 0, original.updateKey(), progress(70, 9)).accepted()).isTrue();
        assertThat(tasks.find(sim, 0).orElseThrow().simulatedPrimaries()).isEqualTo(70);
    }

    // ---- a lost connection ------------------------------------------------------------------------------

    /**
     * A submission's task rows go in as one JDBC batch. When the server ends the connection under it
     * (a failover, a restart), the batch fails as an unavailable database, which the service answers
     * with a 503: pgjdbc before 42.7.14 threw an AssertionError there instead when assertions were
     * on, as in the tests (pgjdbc#1458), and the service answered 500 (FailoverTest saw it).
     */
    @Test
    void aBatchOfTaskRowsOnAConnectionTheServerEndedFailsAsAnUnavailableDatabase() {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            long sim = directSimulation(db, 1);
            Throwable failure = null;
            try {
                db.jdbi().useTransaction(h -> {
                    int pid = h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
                    try (Database admin = Database.openSingleConnection(db.url())) {
                        Handle other = admin.jdbi().open();
                        other.createQuery("SELECT pg_terminate_backend(:pid)").bind("pid", pid).mapTo(Boolean.class).one();
                        while (other.createQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = :pid")
                                .bind("pid", pid).mapTo(Integer.class).one() > 0) {
                            Thread.onSpinWait();
                        }
                        other.close();
                    }
                    TaskStore.insertPending(h, sim, 30, 1000, Platform.DIRECT, T0);
                });
            } catch (Throwable t) {
                failure = t;
            }
            assertThat(failure).as("the batch on the ended connection fails").isInstanceOf(Exception.class);
            assertThat(SqlErrors.classify(failure)).as("%s", failure).isEqualTo(SqlErrors.Kind.UNAVAILABLE);
            assertThat(new TaskStore(db.database()).listBySimulation(sim)).as("nothing of the batch is kept").hasSize(1);
        }
    }
}
