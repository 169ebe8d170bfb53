package io.yaptide.store.simulations;

import static io.yaptide.store.simulations.SimulationSeeds.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.db.StoreException;
import io.yaptide.store.results.Payload;
import io.yaptide.store.tasks.BatchTask;
import io.yaptide.store.tasks.DirectTask;
import io.yaptide.store.tasks.Task;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

class SimulationStoreTest {

    private static int count(TestDatabase db, String sql, long id) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(Integer.class).one());
    }

    private static String keyHash(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT update_key_hash FROM \"Simulation\" WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
    }

    // ---- who may delete what ------------------------------------------------------------------------

    @DatabaseTest
    void aUserDeletesOnlyTheirOwnSimulationAndOnlyOnceItsTasksHaveEnded(TestDatabase db) {
        long anna = SimulationSeeds.user(db, "anna");
        long ben = SimulationSeeds.user(db, "ben");
        SimulationStore store = new SimulationStore(db.database());
        Simulation running = store.create(SimulationSeeds.direct(anna, 2)).simulation();
        Simulation merging = store.create(SimulationSeeds.direct(anna, 1)).simulation();
        store.update(merging.id(), new SimulationUpdate(JobState.MERGING_QUEUED, null, null, null, null, null));

        assertThat(store.deleteOwn(running.jobId(), anna)).isEqualTo(SimulationStore.Deletion.STILL_RUNNING);
        assertThat(store.deleteOwn(running.jobId(), ben)).isEqualTo(SimulationStore.Deletion.NOT_THE_OWNER);
        assertThat(store.deleteOwn("no-such-job", anna)).isEqualTo(SimulationStore.Deletion.NO_SUCH_SIMULATION);
        assertThat(store.findById(running.id())).isPresent();
        assertThat(count(db, "SELECT COUNT(*) FROM \"Task\" WHERE simulation_id = :id", running.id())).isEqualTo(2);

        assertThat(store.deleteOwn(merging.jobId(), anna)).isEqualTo(SimulationStore.Deletion.DELETED);
        assertThat(store.cancel(running.id())).isTrue();
        assertThat(store.deleteOwn(running.jobId(), ben)).isEqualTo(SimulationStore.Deletion.NOT_THE_OWNER);
        assertThat(store.deleteOwn(running.jobId(), anna)).isEqualTo(SimulationStore.Deletion.DELETED);
        assertThat(store.findById(running.id())).isEmpty();
        assertThat(count(db, "SELECT COUNT(*) FROM \"Task\" WHERE simulation_id = :id", running.id())).isZero();
        assertThat(store.deleteOwn(running.jobId(), anna)).isEqualTo(SimulationStore.Deletion.NO_SUCH_SIMULATION);
    }

    @org.junit.jupiter.api.Test
    void theStateListsTheStatementsUseAreTheEnumsOwn() {
        assertThat(JobState.TERMINAL_SQL).isEqualTo("('CANCELED', 'COMPLETED', 'FAILED')");
        assertThat(JobState.SETTLED_SQL).isEqualTo("('UNKNOWN', 'CANCELED', 'COMPLETED', 'FAILED')");
        assertThat(JobState.DELETABLE_SQL).isEqualTo("('MERGING_QUEUED', 'MERGING_RUNNING', 'CANCELED', 'COMPLETED', 'FAILED')");
        for (JobState s : JobState.values()) {
            assertThat(s.isTerminal()).as(s.name()).isEqualTo(s == JobState.COMPLETED || s == JobState.FAILED || s == JobState.CANCELED);
            assertThat(s.isSettled()).as(s.name()).isEqualTo(s.isTerminal() || s == JobState.UNKNOWN);
        }
    }

    // ---- create and polymorphic reads ---------------------------------------------------------------

    @DatabaseTest
    void createsADirectSimulationWithItsVariantRowTasksAndInput(TestDatabase db) {
        long user = SimulationSeeds.user(db, "anna");
        SimulationStore store = new SimulationStore(db.database());
        Payload input = SimulationSeeds.editorInput();
        NewSimulation request = new NewSimulation("job-direct-1", user, "Eye plan", Platform.DIRECT, InputType.EDITOR,
                SimulatorType.SHIELDHIT, null, 3, 2000, input, T0);

        CreatedSimulation created = store.create(request);

        Simulation loaded = store.findById(created.simulation().id()).orElseThrow();
        assertThat(loaded).isInstanceOf(DirectSimulation.class).isEqualTo(created.simulation());
        assertThat(loaded).isEqualTo(new DirectSimulation(created.simulation().id(), "job-direct-1", user, T0, null,
                "Eye plan", InputType.EDITOR, SimulatorType.SHIELDHIT, JobState.PENDING, null));
        List<Task> tasks = new TaskStore(db.database()).listBySimulation(loaded.id());
        assertThat(tasks).extracting(Task::taskId).containsExactly(0, 1, 2);
        assertThat(tasks).allSatisfy(t -> {
            assertThat(t).isInstanceOf(DirectTask.class);
            assertThat(((DirectTask) t).celeryId()).isEmpty();
            assertThat(t.state()).isEqualTo(JobState.PENDING);
            assertThat(t.requestedPrimaries()).isEqualTo(2000);
            assertThat(t.simulatedPrimaries()).isZero();
            assertThat(t.startTime()).isNull();
            assertThat(t.endTime()).isNull();
        });
        byte[] stored = db.jdbi().withHandle(h -> h.createQuery("SELECT compressed_data FROM \"Input\" WHERE simulation_id = :id")
                .bind("id", loaded.id()).mapTo(byte[].class).one());
        assertThat(Payload.ofCompressed(stored).json()).isEqualTo(input.json());
        assertThat(count(db, "SELECT COUNT(*) FROM \"CelerySimulation\" WHERE id = :id", loaded.id())).isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM \"BatchSimulation\" WHERE id = :id", loaded.id())).isZero();
    }

    @DatabaseTest
    void createsABatchSimulationOnItsClusterWithBatchTasks(TestDatabase db) {
        long user = SimulationSeeds.user(db, "ben");
        long cluster = SimulationSeeds.cluster(db, "ares");
        SimulationStore store = new SimulationStore(db.database());

        CreatedSimulation created = store.create(SimulationSeeds.batch(user, cluster, 2));

        Simulation loaded = store.findByJobId(created.simulation().jobId()).orElseThrow();
        assertThat(loaded).isInstanceOf(BatchSimulation.class).isEqualTo(created.simulation());
        BatchSimulation batch = (BatchSimulation) loaded;
        assertThat(batch.clusterId()).isEqualTo(cluster);
        assertThat(batch.platform()).isEqualTo(Platform.BATCH);
        assertThat(batch.simType()).isEqualTo(SimulatorType.FLUKA);
        assertThat(batch.inputType()).isEqualTo(InputType.FILES);
        assertThat(batch.jobDir()).isNull();
        assertThat(new TaskStore(db.database()).listBySimulation(loaded.id()))
                .hasSize(2).allSatisfy(t -> assertThat(t).isInstanceOf(BatchTask.class));
        assertThat(count(db, "SELECT COUNT(*) FROM \"CeleryTask\" c JOIN \"Task\" t ON t.id = c.id WHERE t.simulation_id = :id",
                loaded.id())).isZero();
    }

    @DatabaseTest
    void createsThousandsOfTasksInOneCall(TestDatabase db) {
        long user = SimulationSeeds.user(db, "carl");
        SimulationStore store = new SimulationStore(db.database());

        long id = store.create(SimulationSeeds.direct(user, 1500)).simulation().id();

        assertThat(count(db, "SELECT COUNT(*) FROM \"Task\" WHERE simulation_id = :id", id)).isEqualTo(1500);
        assertThat(count(db, "SELECT MAX(task_id) FROM \"Task\" WHERE simulation_id = :id", id)).isEqualTo(1499);
        assertThat(count(db, "SELECT COUNT(DISTINCT task_id) FROM \"Task\" WHERE simulation_id = :id", id)).isEqualTo(1500);
        assertThat(count(db, "SELECT COUNT(*) FROM \"CeleryTask\" c JOIN \"Task\" t ON t.id = c.id WHERE t.simulation_id = :id",
                id)).isEqualTo(1500);
    }

    @DatabaseTest
    void theUpdateKeyIsReturnedOnceAndStoredOnlyAsAFastHash(TestDatabase db) {
        long user = SimulationSeeds.user(db, "dora");
        SimulationStore store = new SimulationStore(db.database());

        CreatedSimulation created = store.create(SimulationSeeds.direct(user, 1));

        String hash = keyHash(db, created.simulation().id());
        assertThat(hash).startsWith(UpdateKey.FAST_PREFIX).doesNotContain(created.updateKey());
        assertThat(created.toString()).doesNotContain(created.updateKey());
        assertThat(store.checkUpdateKey(created.simulation().id(), created.updateKey())).isTrue();
        assertThat(store.checkUpdateKey(created.simulation().id(), created.updateKey() + "x")).isFalse();
    }

    @DatabaseTest
    void creationIsRefusedWithAClearMessageAndWritesNothing(TestDatabase db) {
        long user = SimulationSeeds.user(db, "emil");
        SimulationStore store = new SimulationStore(db.database());
        NewSimulation taken = SimulationSeeds.direct(user, 2);
        store.create(taken);

        assertThatThrownBy(() -> store.create(SimulationSeeds.direct(user + 100, 2)))
                .isInstanceOf(StoreException.Invalid.class).hasMessage("user " + (user + 100) + " does not exist");
        assertThatThrownBy(() -> store.create(SimulationSeeds.batch(user, 999, 2)))
                .isInstanceOf(StoreException.Invalid.class).hasMessage("cluster 999 does not exist");
        assertThatThrownBy(() -> store.create(new NewSimulation(taken.jobId(), user, "again", Platform.DIRECT,
                InputType.EDITOR, SimulatorType.DUMMY, null, 1, 10, taken.input(), T0)))
                .isInstanceOf(StoreException.Invalid.class).hasMessageContaining("already taken");
        assertThatThrownBy(() -> store.create(new NewSimulation("job-zero", user, "none", Platform.DIRECT,
                InputType.EDITOR, SimulatorType.DUMMY, null, 0, 10, taken.input(), T0)))
                .isInstanceOf(StoreException.Invalid.class).hasMessageContaining("at least 1 task");
        assertThatThrownBy(() -> store.create(new NewSimulation("job-nocluster", user, "b", Platform.BATCH,
                InputType.FILES, SimulatorType.DUMMY, null, 1, 10, taken.input(), T0)))
                .isInstanceOf(StoreException.Invalid.class).hasMessageContaining("needs a cluster");

        assertThat(store.list(Optional.empty())).hasSize(1);
        assertThat(count(db, "SELECT COUNT(*) FROM \"Task\" WHERE id > :id", -1)).isEqualTo(2);
        assertThat(count(db, "SELECT COUNT(*) FROM \"Input\" WHERE id > :id", -1)).isEqualTo(1);
    }

    @DatabaseTest
    void unknownIdsAndJobIdsFindNothing(TestDatabase db) {
        SimulationStore store = new SimulationStore(db.database());
        assertThat(store.findById(4242)).isEmpty();
        assertThat(store.findByJobId("no-such-job")).isEmpty();
    }

    @DatabaseTest
    void aBatchSimulationWithoutItsVariantRowIsReportedNotGuessed(TestDatabase db) {
        long user = SimulationSeeds.user(db, "fay");
        SimulationStore store = new SimulationStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        db.jdbi().useHandle(h -> h.execute("UPDATE \"Simulation\" SET platform = 'BATCH' WHERE id = ?", id));

        assertThatThrownBy(() -> store.findById(id)).hasMessageContaining("no BatchSimulation row");
    }

    // ---- listing ------------------------------------------------------------------------------------

    @DatabaseTest
    void listsAUsersSimulationsInPagesWithTheTotal(TestDatabase db) {
        long user = SimulationSeeds.user(db, "gus");
        long other = SimulationSeeds.user(db, "hal");
        SimulationStore store = new SimulationStore(db.database());
        List<Long> ids = IntStream.range(0, 5)
                .mapToObj(i -> store.create(SimulationSeeds.direct(user, 1, T0.plusSeconds(60L * i))).simulation().id())
                .toList();
        store.create(SimulationSeeds.direct(other, 1, T0.plusSeconds(30)));

        SimulationPage first = store.listByUser(user, 0, 2, SimulationOrder.NEWEST_FIRST);
        SimulationPage last = store.listByUser(user, 2, 2, SimulationOrder.NEWEST_FIRST);
        SimulationPage beyond = store.listByUser(user, 3, 2, SimulationOrder.NEWEST_FIRST);
        SimulationPage oldestFirst = store.listByUser(user, 0, 10, new SimulationOrder(SimulationOrder.Field.START_TIME, false));

        assertThat(first.simulations()).extracting(Simulation::id).containsExactly(ids.get(4), ids.get(3));
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.pageCount()).isEqualTo(3);
        assertThat(last.simulations()).extracting(Simulation::id).containsExactly(ids.get(0));
        assertThat(beyond.simulations()).isEmpty();
        assertThat(beyond.total()).isEqualTo(5);
        assertThat(oldestFirst.simulations()).extracting(Simulation::id).containsExactlyElementsOf(ids);
    }

    @DatabaseTest
    void ordersByEndTimeWithUnfinishedSimulationsAsTheLatestOnBothEngines(TestDatabase db) {
        long user = SimulationSeeds.user(db, "ida");
        SimulationStore store = new SimulationStore(db.database());
        long a = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        long running = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        long b = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        store.update(a, new SimulationUpdate(JobState.COMPLETED, T0.plusSeconds(500), null, null, null, null));
        store.update(b, new SimulationUpdate(JobState.COMPLETED, T0.plusSeconds(100), null, null, null, null));

        SimulationPage descending = store.listByUser(user, 0, 10, new SimulationOrder(SimulationOrder.Field.END_TIME, true));
        SimulationPage ascending = store.listByUser(user, 0, 10, new SimulationOrder(SimulationOrder.Field.END_TIME, false));

        assertThat(descending.simulations()).extracting(Simulation::id).containsExactly(running, a, b);
        assertThat(ascending.simulations()).extracting(Simulation::id).containsExactly(b, a, running);
    }

    @DatabaseTest
    void pagingArgumentsAreChecked(TestDatabase db) {
        SimulationStore store = new SimulationStore(db.database());
        assertThatThrownBy(() -> store.listByUser(1, -1, 10, SimulationOrder.NEWEST_FIRST))
                .isInstanceOf(StoreException.Invalid.class).hasMessageContaining("page index");
        assertThatThrownBy(() -> store.listByUser(1, 0, 0, SimulationOrder.NEWEST_FIRST))
                .isInstanceOf(StoreException.Invalid.class).hasMessageContaining("page size");
    }

    @DatabaseTest
    void listsAllSimulationsOrOneUsersByIdWithTheirVariants(TestDatabase db) {
        long user = SimulationSeeds.user(db, "jan");
        long other = SimulationSeeds.user(db, "kim");
        long cluster = SimulationSeeds.cluster(db, "prometheus");
        SimulationStore store = new SimulationStore(db.database());
        long d = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        long b = store.create(SimulationSeeds.batch(other, cluster, 1)).simulation().id();
        long d2 = store.create(SimulationSeeds.direct(user, 1)).simulation().id();

        assertThat(store.list(Optional.empty())).extracting(Simulation::id).containsExactly(d, b, d2);
        assertThat(store.list(Optional.empty())).extracting(Simulation::platform)
                .containsExactly(Platform.DIRECT, Platform.BATCH, Platform.DIRECT);
        assertThat(store.list(Optional.of(user))).extracting(Simulation::id).containsExactly(d, d2);
        assertThat(store.list(Optional.of(other))).singleElement().isInstanceOf(BatchSimulation.class);
    }

    @DatabaseTest
    void aListingHasTheRowsAndColumnsOfListAndRefusesWhatListRefuses(TestDatabase db) {
        long user = SimulationSeeds.user(db, "jan");
        long other = SimulationSeeds.user(db, "kim");
        long cluster = SimulationSeeds.cluster(db, "prometheus");
        SimulationStore store = new SimulationStore(db.database());
        store.create(SimulationSeeds.direct(user, 1));
        store.create(SimulationSeeds.batch(other, cluster, 1));
        long ended = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        store.update(ended, new SimulationUpdate(JobState.COMPLETED, T0.plusSeconds(90), null, null, null, null));
        for (Optional<Long> who : List.of(Optional.<Long>empty(), Optional.of(user), Optional.of(other))) {
            assertThat(store.listing(who)).isEqualTo(store.list(who).stream().map(s -> new SimulationListing(s.id(), s.jobId(),
                    s.userId(), s.startTime(), s.endTime(), s.title(), s.platform(), s.state())).toList());
        }

        // a BATCH simulation without its BatchSimulation row, an unknown state: the same refusals as list's
        long orphan = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        db.jdbi().useHandle(h -> h.execute("UPDATE \"Simulation\" SET platform = 'BATCH' WHERE id = ?", orphan));
        assertThatThrownBy(() -> store.listing(Optional.of(user))).isInstanceOf(IllegalStateException.class)
                .hasMessage("simulation " + orphan + " is BATCH but has no BatchSimulation row");
        assertThatThrownBy(() -> store.list(Optional.of(user))).hasMessage("simulation " + orphan + " is BATCH but has no BatchSimulation row");
        db.jdbi().useHandle(h -> h.execute("UPDATE \"Simulation\" SET platform = 'DIRECT', job_state = 'LOST' WHERE id = ?", orphan));
        assertThatThrownBy(() -> store.listing(Optional.empty()))
                .hasMessage("simulation " + orphan + " has an unknown job_state in the database: LOST");
        assertThatThrownBy(() -> store.list(Optional.empty()))
                .hasMessage("simulation " + orphan + " has an unknown job_state in the database: LOST");
    }

    // ---- delete -------------------------------------------------------------------------------------

    @DatabaseTest
    void deletingASimulationRemovesEverythingItOwns(TestDatabase db) {
        long user = SimulationSeeds.user(db, "lea");
        long cluster = SimulationSeeds.cluster(db, "ares");
        SimulationStore store = new SimulationStore(db.database());
        long doomed = store.create(SimulationSeeds.batch(user, cluster, 3)).simulation().id();
        long kept = store.create(SimulationSeeds.direct(user, 2)).simulation().id();
        for (long id : new long[] {doomed, kept}) {
            db.jdbi().useHandle(h -> {
                long estimator = h.createUpdate("INSERT INTO \"Estimator\" (simulation_id, name, compressed_data) VALUES (:id, 'dose', :d)")
                        .bind("id", id).bind("d", Payload.ofJson(List.of(1)).compressed())
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                h.createUpdate("INSERT INTO \"Page\" (estimator_id, page_number, compressed_data) VALUES (:e, 0, :d)")
                        .bind("e", estimator).bind("d", Payload.ofJson(List.of(2)).compressed()).execute();
                h.createUpdate("INSERT INTO \"Logfiles\" (simulation_id, compressed_data) VALUES (:id, :d)")
                        .bind("id", id).bind("d", Payload.ofJson(List.of(3)).compressed()).execute();
            });
        }

        assertThat(store.delete(doomed)).isTrue();
        assertThat(store.delete(doomed)).isFalse();

        assertThat(store.findById(doomed)).isEmpty();
        for (String table : List.of("Task", "Estimator", "Input", "Logfiles")) {
            assertThat(count(db, "SELECT COUNT(*) FROM \"" + table + "\" WHERE simulation_id = :id", doomed)).as(table).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM \"" + table + "\" WHERE simulation_id = :id", kept)).as(table).isPositive();
        }
        assertThat(count(db, "SELECT COUNT(*) FROM \"BatchSimulation\" WHERE id = :id", doomed)).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM \"BatchTask\" WHERE id > :id", -1)).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM \"Page\" WHERE id > :id", -1)).isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM \"CeleryTask\" WHERE id > :id", -1)).isEqualTo(2);
        assertThat(count(db, "SELECT COUNT(*) FROM \"Cluster\" WHERE id = :id", cluster)).isEqualTo(1);
    }

    // ---- state rules --------------------------------------------------------------------------------

    @DatabaseTest
    void aFinishedSimulationNeverChangesState(TestDatabase db) {
        long user = SimulationSeeds.user(db, "max");
        SimulationStore store = new SimulationStore(db.database());
        for (JobState terminal : List.of(JobState.COMPLETED, JobState.FAILED, JobState.CANCELED)) {
            long id = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
            assertThat(store.update(id, SimulationUpdate.state(terminal))).isTrue();

            assertThat(store.update(id, SimulationUpdate.state(JobState.RUNNING))).as(terminal.name()).isFalse();
            assertThat(store.update(id, new SimulationUpdate(null, T0, "merge-1", null, null, null))).isFalse();

            DirectSimulation after = (DirectSimulation) store.findById(id).orElseThrow();
            assertThat(after.state()).isEqualTo(terminal);
            assertThat(after.endTime()).isNull();
            assertThat(after.mergeId()).isNull();
        }
    }

    @DatabaseTest
    void aFinishedSimulationCannotBecomeCanceled(TestDatabase db) {
        long user = SimulationSeeds.user(db, "nia");
        SimulationStore store = new SimulationStore(db.database());
        for (JobState finished : List.of(JobState.COMPLETED, JobState.FAILED)) {
            long id = store.create(SimulationSeeds.direct(user, 2)).simulation().id();
            store.update(id, SimulationUpdate.state(finished));

            assertThat(store.cancel(id)).isFalse();
            assertThat(store.update(id, SimulationUpdate.state(JobState.CANCELED))).isFalse();

            assertThat(store.findById(id).orElseThrow().state()).isEqualTo(finished);
            assertThat(new TaskStore(db.database()).listBySimulation(id)).extracting(Task::state)
                    .containsOnly(JobState.PENDING);
        }
    }

    @DatabaseTest
    void theEndTimeOfASimulationIsSetOnce(TestDatabase db) {
        long user = SimulationSeeds.user(db, "ola");
        SimulationStore store = new SimulationStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        Instant first = T0.plusSeconds(100);

        assertThat(store.update(id, new SimulationUpdate(JobState.MERGING_QUEUED, first, null, null, null, null))).isTrue();
        assertThat(store.update(id, new SimulationUpdate(JobState.COMPLETED, T0.plusSeconds(200), null, null, null, null))).isTrue();

        Simulation after = store.findById(id).orElseThrow();
        assertThat(after.endTime()).isEqualTo(first);
        assertThat(after.state()).isEqualTo(JobState.COMPLETED);
    }

    @DatabaseTest
    void mergeIdUpdatesWhenGivenEvenWithTheUpdateThatFinishesTheSimulation(TestDatabase db) {
        long user = SimulationSeeds.user(db, "pia");
        SimulationStore store = new SimulationStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 1)).simulation().id();

        assertThat(store.update(id, new SimulationUpdate(null, null, "merge-a", null, null, null))).isTrue();
        assertThat(((DirectSimulation) store.findById(id).orElseThrow()).mergeId()).isEqualTo("merge-a");
        assertThat(store.update(id, new SimulationUpdate(JobState.COMPLETED, T0, "merge-b", null, null, null))).isTrue();

        DirectSimulation after = (DirectSimulation) store.findById(id).orElseThrow();
        assertThat(after.mergeId()).isEqualTo("merge-b");
        assertThat(after.state()).isEqualTo(JobState.COMPLETED);
        assertThat(after.endTime()).isEqualTo(T0);
    }

    @DatabaseTest
    void batchFieldsUpdateWhenChangedAndNumbersOnlyToNonZero(TestDatabase db) {
        long user = SimulationSeeds.user(db, "quin");
        long cluster = SimulationSeeds.cluster(db, "ares");
        SimulationStore store = new SimulationStore(db.database());
        long id = store.create(SimulationSeeds.batch(user, cluster, 1)).simulation().id();

        store.update(id, new SimulationUpdate(null, null, null, "/scratch/job-1", 101, 102));
        store.update(id, new SimulationUpdate(null, null, null, null, 0, 0));
        BatchSimulation kept = (BatchSimulation) store.findById(id).orElseThrow();
        store.update(id, new SimulationUpdate(null, null, null, "/scratch/job-2", 201, null));
        BatchSimulation changed = (BatchSimulation) store.findById(id).orElseThrow();

        assertThat(kept.jobDir()).isEqualTo("/scratch/job-1");
        assertThat(kept.arrayId()).isEqualTo(101);
        assertThat(kept.collectId()).isEqualTo(102);
        assertThat(changed.jobDir()).isEqualTo("/scratch/job-2");
        assertThat(changed.arrayId()).isEqualTo(201);
        assertThat(changed.collectId()).isEqualTo(102);
    }

    @DatabaseTest
    void updatingAMissingSimulationIsRefused(TestDatabase db) {
        SimulationStore store = new SimulationStore(db.database());
        assertThat(store.update(777, SimulationUpdate.state(JobState.RUNNING))).isFalse();
        assertThat(store.update(777, new SimulationUpdate(null, null, "m", null, null, null))).isFalse();
        assertThat(store.cancel(777)).isFalse();
    }

    // ---- cancel -------------------------------------------------------------------------------------

    @DatabaseTest
    void cancelEndsTheSimulationAndItsUnfinishedTasksTogether(TestDatabase db) {
        long user = SimulationSeeds.user(db, "rob");
        SimulationStore store = new SimulationStore(db.database());
        TaskStore tasks = new TaskStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 3)).simulation().id();
        Instant doneAt = T0.plusSeconds(5);
        tasks.update(id, 0, new io.yaptide.store.tasks.TaskUpdate(JobState.COMPLETED, null, null, null, T0, doneAt, null));
        tasks.update(id, 1, new io.yaptide.store.tasks.TaskUpdate(JobState.RUNNING, null, 10, 300, T0, null, null));
        Instant before = Instant.now().minusSeconds(1);

        assertThat(store.cancel(id)).isTrue();
        assertThat(store.cancel(id)).isFalse();

        Simulation sim = store.findById(id).orElseThrow();
        assertThat(sim.state()).isEqualTo(JobState.CANCELED);
        assertThat(sim.endTime()).isAfter(before);
        List<Task> after = tasks.listBySimulation(id);
        assertThat(after.get(0).state()).isEqualTo(JobState.COMPLETED);
        assertThat(after.get(0).endTime()).isEqualTo(doneAt);
        assertThat(after.subList(1, 3)).allSatisfy(t -> {
            assertThat(t.state()).isEqualTo(JobState.CANCELED);
            assertThat(t.endTime()).isAfter(before);
            assertThat(t.estimatedTime()).isNull();
        });
    }

    @DatabaseTest
    void whenCompletionAndCancelRaceExactlyOneWins(TestDatabase db) throws Exception {
        long user = SimulationSeeds.user(db, "racer");
        SimulationStore store = new SimulationStore(db.database());
        TaskStore tasks = new TaskStore(db.database());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 12; round++) {
                long id = store.create(SimulationSeeds.direct(user, 3)).simulation().id();
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                var completed = pool.submit(() -> {
                    go.await();
                    return store.update(id, new SimulationUpdate(JobState.COMPLETED, T0, null, null, null, null));
                });
                var canceled = pool.submit(() -> {
                    go.await();
                    return store.cancel(id);
                });
                go.countDown();
                boolean completedWon = completed.get(30, java.util.concurrent.TimeUnit.SECONDS);
                boolean cancelWon = canceled.get(30, java.util.concurrent.TimeUnit.SECONDS);

                assertThat(completedWon ^ cancelWon).as("round " + round + ": exactly one wins").isTrue();
                Simulation after = store.findById(id).orElseThrow();
                assertThat(after.state()).isEqualTo(completedWon ? JobState.COMPLETED : JobState.CANCELED);
                assertThat(tasks.listBySimulation(id)).extracting(Task::state)
                        .containsOnly(completedWon ? JobState.PENDING : JobState.CANCELED);
                if (completedWon) {
                    assertThat(after.endTime()).isEqualTo(T0);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @DatabaseTest
    void aSimulationNeverSubmittedCannotBeCanceled(TestDatabase db) {
        long user = SimulationSeeds.user(db, "sam");
        SimulationStore store = new SimulationStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        db.jdbi().useHandle(h -> h.execute("UPDATE \"Simulation\" SET job_state = 'UNKNOWN' WHERE id = ?", id));

        assertThat(store.cancel(id)).isFalse();
        assertThat(store.findById(id).orElseThrow().state()).isEqualTo(JobState.UNKNOWN);
    }

    // ---- the simulation follows its tasks --------------------------------------------------------------

    @DatabaseTest
    void theSimulationRunsWhenATaskRunsAndFailsWhenAllTasksFail(TestDatabase db) {
        long user = SimulationSeeds.user(db, "tom");
        SimulationStore store = new SimulationStore(db.database());
        TaskStore tasks = new TaskStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 2)).simulation().id();

        assertThat(store.followTasks(id)).isFalse(); // all PENDING: stays PENDING
        tasks.update(id, 0, io.yaptide.store.tasks.TaskUpdate.state(JobState.RUNNING));
        assertThat(store.followTasks(id)).isTrue();
        assertThat(store.findById(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);

        tasks.update(id, 0, io.yaptide.store.tasks.TaskUpdate.state(JobState.FAILED));
        tasks.update(id, 1, io.yaptide.store.tasks.TaskUpdate.state(JobState.FAILED));
        assertThat(store.followTasks(id)).isTrue();
        assertThat(store.findById(id).orElseThrow().state()).isEqualTo(JobState.FAILED);
    }

    @DatabaseTest
    void aSimulationWhoseTasksAllFailedEndsWhenItsLastTaskEnded(TestDatabase db) {
        long user = SimulationSeeds.user(db, "tess");
        SimulationStore store = new SimulationStore(db.database());
        TaskStore tasks = new TaskStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 2)).simulation().id();
        java.time.Instant first = java.time.Instant.parse("2024-10-29T22:23:14Z");
        java.time.Instant last = java.time.Instant.parse("2024-10-29T22:25:01Z");
        tasks.update(id, 0, new io.yaptide.store.tasks.TaskUpdate(JobState.FAILED, null, null, null, null, first, null));
        tasks.update(id, 1, new io.yaptide.store.tasks.TaskUpdate(JobState.FAILED, null, null, null, null, last, null));
        assertThat(store.findById(id).orElseThrow().endTime()).isNull();

        assertThat(store.followTasks(id)).isTrue();
        Simulation failed = store.findById(id).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.endTime()).isEqualTo(last);
    }

    @DatabaseTest
    void aSimulationWhoseTasksFailedWithoutEndTimesEndsNow(TestDatabase db) {
        long user = SimulationSeeds.user(db, "theo");
        SimulationStore store = new SimulationStore(db.database());
        TaskStore tasks = new TaskStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        db.jdbi().useHandle(h -> h.execute("UPDATE \"Task\" SET task_state = 'FAILED' WHERE simulation_id = ?", id));
        java.time.Instant before = java.time.Instant.now().minusSeconds(5);

        assertThat(store.followTasks(id)).isTrue();
        assertThat(store.findById(id).orElseThrow().endTime()).isAfter(before);
        assertThat(tasks.find(id, 0).orElseThrow().state()).isEqualTo(JobState.FAILED);
    }

    @DatabaseTest
    void aFinishedSimulationDoesNotFollowItsTasks(TestDatabase db) {
        long user = SimulationSeeds.user(db, "uma");
        SimulationStore store = new SimulationStore(db.database());
        TaskStore tasks = new TaskStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        store.update(id, SimulationUpdate.state(JobState.COMPLETED));
        db.jdbi().useHandle(h -> h.execute("UPDATE \"Task\" SET task_state = 'RUNNING' WHERE simulation_id = ?", id));

        assertThat(store.followTasks(id)).isFalse();
        assertThat(store.findById(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(tasks.find(id, 0).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    }

    // ---- update keys --------------------------------------------------------------------------------

    @DatabaseTest
    void rotatingTheUpdateKeyRetiresTheOldOne(TestDatabase db) {
        long user = SimulationSeeds.user(db, "vic");
        SimulationStore store = new SimulationStore(db.database());
        CreatedSimulation created = store.create(SimulationSeeds.direct(user, 1));
        long id = created.simulation().id();

        String rotated = store.rotateUpdateKey(id);

        assertThat(rotated).isNotEqualTo(created.updateKey()).hasSizeGreaterThanOrEqualTo(22);
        assertThat(store.checkUpdateKey(id, rotated)).isTrue();
        assertThat(store.checkUpdateKey(id, created.updateKey())).isFalse();
        assertThat(keyHash(db, id)).isEqualTo(UpdateKey.hash(rotated));
        assertThatThrownBy(() -> store.rotateUpdateKey(id + 1000))
                .isInstanceOf(StoreException.NotFound.class).hasMessageContaining("does not exist");
    }

    @DatabaseTest
    void aKeyIsCheckedOnlyAgainstItsOwnSimulation(TestDatabase db) {
        long user = SimulationSeeds.user(db, "wes");
        SimulationStore store = new SimulationStore(db.database());
        CreatedSimulation a = store.create(SimulationSeeds.direct(user, 1));
        CreatedSimulation b = store.create(SimulationSeeds.direct(user, 1));

        assertThat(store.checkUpdateKey(b.simulation().id(), a.updateKey())).isFalse();
        assertThat(store.checkUpdateKey(9999, a.updateKey())).isFalse();
        assertThat(store.checkUpdateKey(a.simulation().id(), "")).isFalse();
        assertThat(store.checkUpdateKey(a.simulation().id(), null)).isFalse();
    }

    @DatabaseTest
    void aKeyStoredByTheOriginalVerifiesOnceThenIsStoredInTheFastFormat(TestDatabase db) {
        long user = SimulationSeeds.user(db, "xia");
        SimulationStore store = new SimulationStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        var original = io.yaptide.store.testing.OriginalCredentials.simulationKeys().get(0);
        String legacyHash = io.yaptide.store.testing.OriginalDatabases.postgresRows("Simulation").stream()
                .filter(r -> r.get("id").equals(String.valueOf(original.simulationId())))
                .findFirst().orElseThrow().get("update_key_hash");
        assertThat(UpdateKey.isLegacy(legacyHash)).isTrue();
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE \"Simulation\" SET update_key_hash = :h WHERE id = :id")
                .bind("h", legacyHash).bind("id", id).execute());

        assertThat(store.checkUpdateKey(id, original.updateKey() + "-wrong")).isFalse();
        assertThat(keyHash(db, id)).isEqualTo(legacyHash);
        assertThat(store.checkUpdateKey(id, original.updateKey())).isTrue();

        assertThat(keyHash(db, id)).isEqualTo(UpdateKey.hash(original.updateKey()));
        assertThat(store.checkUpdateKey(id, original.updateKey())).isTrue();
        assertThat(store.checkUpdateKey(id, original.updateKey() + "-wrong")).isFalse();
    }

    @DatabaseTest
    void aSimulationWithoutAKeyAcceptsNoKey(TestDatabase db) {
        long user = SimulationSeeds.user(db, "yan");
        SimulationStore store = new SimulationStore(db.database());
        long id = store.create(SimulationSeeds.direct(user, 1)).simulation().id();
        db.jdbi().useHandle(h -> h.execute("UPDATE \"Simulation\" SET update_key_hash = NULL WHERE id = ?", id));

        assertThat(store.checkUpdateKey(id, "anything")).isFalse();
    }
}
