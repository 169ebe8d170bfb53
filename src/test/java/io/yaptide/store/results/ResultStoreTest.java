package io.yaptide.store.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.results.ResultSetCodec.EstimatorPages;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Map;
import java.util.Set;

class ResultStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @DatabaseTest
    void storesTheFixtureResultSetAndReadsItBackAsTheOriginalServedIt(TestDatabase db) throws IOException {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        byte[] file = Fixtures.readBytes("json_with_results.json");

        results.storeResults(sim, ResultSetCodec.decode(file));

        JsonNode expected = JSON.readTree(file);
        assertThat(results.estimators(sim)).extracting(Estimator::name)
                .containsExactly("yz_profile_", "entrance_", "z_profile_", "peak_");
        assertThat(StoredEstimators.asJson(results.resultSet(sim))).isEqualTo(expected.get("estimators"));
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("Estimator", 4L).containsEntry("Page", (long) pageCount(expected));
    }

    @DatabaseTest
    void findsEstimatorsAndPagesByNameNumberAndSetOfNumbers(TestDatabase db) {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        results.storeResults(sim, List.of(estimator("dose", 0, 1, 2, 5), estimator("fluence", 0)));

        Estimator dose = results.estimator(sim, "dose").orElseThrow();
        assertThat(dose.metadata().json().get("name").asText()).isEqualTo("dose");
        assertThat(results.estimator(sim, "nope")).isEmpty();
        assertThat(results.estimator(sim + 1, "dose")).isEmpty();

        assertThat(results.pageNumbers(dose.id())).containsExactly(0, 1, 2, 5);
        assertThat(results.pages(dose.id())).extracting(ResultPage::pageNumber).containsExactly(0, 1, 2, 5);
        assertThat(results.page(dose.id(), 5)).get().satisfies(p -> {
            assertThat(p.estimatorId()).isEqualTo(dose.id());
            assertThat(p.data().json().get("page").asInt()).isEqualTo(5);
        });
        assertThat(results.page(dose.id(), 3)).isEmpty();
        assertThat(results.pages(dose.id(), Set.of(5, 0, 3))).extracting(ResultPage::pageNumber).containsExactly(0, 5);
        assertThat(results.pages(dose.id(), List.of(2, 2))).extracting(ResultPage::pageNumber).containsExactly(2);
        assertThat(results.pages(dose.id(), List.of())).isEmpty();
    }

    @DatabaseTest
    void readsHandOutTheStoredBytesWithoutRecompressing(TestDatabase db) {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        EstimatorResult dose = estimator("dose", 0);
        results.storeResults(sim, List.of(dose));

        ResultPage page = results.page(results.estimator(sim, "dose").orElseThrow().id(), 0).orElseThrow();

        assertThat(page.data().compressed()).isEqualTo(dose.pages().get(0).data().compressed());
    }

    @DatabaseTest
    void storingAnEstimatorAgainReplacesItAndAllItsPagesButKeepsTheOthers(TestDatabase db) {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        long other = SeedRows.directSimulation(db.jdbi(), null, 1);
        results.storeResults(sim, List.of(estimator("dose", 0, 1, 2), estimator("fluence", 0, 1)));
        results.storeResults(other, List.of(estimator("dose", 0, 1, 2, 3)));
        long oldDose = results.estimator(sim, "dose").orElseThrow().id();

        results.storeResults(sim, List.of(estimator("dose", 7)));

        Estimator newDose = results.estimator(sim, "dose").orElseThrow();
        assertThat(newDose.id()).isNotEqualTo(oldDose);
        assertThat(results.pageNumbers(newDose.id())).containsExactly(7);
        assertThat(results.pages(oldDose)).isEmpty();
        assertThat(results.estimators(sim)).extracting(Estimator::name).containsExactly("fluence", "dose");
        assertThat(results.pageNumbers(results.estimator(sim, "fluence").orElseThrow().id())).containsExactly(0, 1);
        assertThat(results.pageNumbers(results.estimator(other, "dose").orElseThrow().id())).containsExactly(0, 1, 2, 3);
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("Estimator", 3L).containsEntry("Page", 1L + 2 + 4);
    }

    @DatabaseTest
    void aLaterEstimatorOfTheSameNameInOneSetWins(TestDatabase db) {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);

        results.storeResults(sim, List.of(estimator("dose", 0, 1), estimator("dose", 4)));

        assertThat(results.estimators(sim)).singleElement().satisfies(e ->
                assertThat(results.pageNumbers(e.id())).containsExactly(4));
    }

    @DatabaseTest
    void aFailedStoreLeavesTheEarlierResultsUntouched(TestDatabase db) {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        results.storeResults(sim, List.of(estimator("dose", 0, 1)));
        Map<String, Long> before = SeedRows.counts(db.jdbi());

        EstimatorResult broken = new EstimatorResult("dose", null, List.of(
                new EstimatorResult.PageData(0, Payload.ofJson(Map.of())), new EstimatorResult.PageData(0, Payload.ofJson(Map.of()))));
        assertThatThrownBy(() -> results.storeResults(sim, List.of(broken)))
                .isInstanceOf(StoreException.Invalid.class).hasMessage("estimator dose has page 0 twice");
        assertThatThrownBy(() -> results.storeResults(sim + 100, List.of(estimator("dose", 0))))
                .isInstanceOf(StoreException.NotFound.class).hasMessage("no simulation with id " + (sim + 100));

        assertThat(SeedRows.counts(db.jdbi())).isEqualTo(before);
        assertThat(results.pageNumbers(results.estimator(sim, "dose").orElseThrow().id())).containsExactly(0, 1);
    }

    @DatabaseTest
    void aNullEstimatorMetadataIsStoredAsNull(TestDatabase db) {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        results.storeResults(sim, List.of(new EstimatorResult("bare", null, List.of())));

        assertThat(results.estimator(sim, "bare")).get().extracting(Estimator::metadata).isNull();
        assertThat(results.resultSet(sim)).singleElement().extracting(EstimatorPages::pages).asList().isEmpty();
    }

    @DatabaseTest
    void anEmptySimulationHasAnEmptyResultSet(TestDatabase db) {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        assertThat(results.resultSet(sim)).isEmpty();
        assertThat(results.estimators(sim)).isEmpty();
    }

    /** The input as SimulationStore.create writes it (the seeded simulations have none). */
    private static void insertInput(TestDatabase db, long sim, Payload input) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO \"Input\" (simulation_id, compressed_data) VALUES (:sim, :data)")
                .bind("sim", sim).bind("data", input.compressed()).execute());
    }

    @DatabaseTest
    void readsTheInputAndStoresAndReplacesLogfiles(TestDatabase db) {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        assertThat(results.input(sim)).isEmpty();
        assertThat(results.logfiles(sim)).isEmpty();

        insertInput(db, sim, Payload.ofJson(Map.of("input_type", "files")));
        results.storeLogfiles(sim, Payload.ofJson(Map.of("run.log", "first")));
        results.storeLogfiles(sim, Payload.ofJson(Map.of("run.log", "second")));

        assertThat(results.input(sim)).get().satisfies(i -> {
            assertThat(i.simulationId()).isEqualTo(sim);
            assertThat(i.data().json().get("input_type").asText()).isEqualTo("files");
        });
        assertThat(results.logfiles(sim)).get().satisfies(l ->
                assertThat(l.data().json().get("run.log").asText()).isEqualTo("second"));
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("Input", 1L).containsEntry("Logfiles", 1L);
        assertThatThrownBy(() -> results.storeLogfiles(sim + 100, Payload.ofJson(Map.of())))
                .isInstanceOf(StoreException.NotFound.class);
    }

    @DatabaseTest
    void deletingASimulationCascadesToItsEstimatorsPagesInputAndLogfiles(TestDatabase db) {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 2);
        long kept = SeedRows.directSimulation(db.jdbi(), null, 1);
        results.storeResults(sim, List.of(estimator("dose", 0, 1), estimator("fluence", 0)));
        insertInput(db, sim, Payload.ofJson(Map.of("a", 1)));
        results.storeLogfiles(sim, Payload.ofJson(Map.of("b", 2)));
        results.storeResults(kept, List.of(estimator("dose", 0)));

        db.jdbi().useHandle(h -> h.execute("DELETE FROM \"Simulation\" WHERE id = ?", sim));

        assertThat(SeedRows.counts(db.jdbi())).containsEntry("Estimator", 1L).containsEntry("Page", 1L)
                .containsEntry("Input", 0L).containsEntry("Logfiles", 0L).containsEntry("Task", 1L);
        assertThat(results.estimators(kept)).hasSize(1);
    }

    @DatabaseTest
    void concurrentStoresOfOneEstimatorLeaveExactlyOneWholeSetAndReadersNeverSeeAMixture(TestDatabase db) throws Exception {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> mixtures = new CopyOnWriteArrayList<>();
        try {
            Future<Integer> reader = pool.submit(() -> {
                start.await();
                int reads = 0;
                while (writing.get()) {
                    for (EstimatorPages e : results.resultSet(sim)) {
                        Set<Integer> writersSeen = new java.util.HashSet<>();
                        e.pages().forEach(p -> writersSeen.add(p.data().json().get("writer").asInt()));
                        if (writersSeen.size() > 1 || (!e.pages().isEmpty() && e.pages().size() != writersSeen.iterator().next() + 1)) {
                            mixtures.add(e.estimator().name() + " " + writersSeen + " " + e.pages().size());
                        }
                    }
                    reads++;
                }
                return reads;
            });
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 5; round++) {
                        results.storeResults(sim, List.of(writtenBy(writer, "dose"), writtenBy(writer, "fluence")));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
        } finally {
            pool.shutdownNow();
        }

        assertThat(mixtures).isEmpty();
        assertThat(results.estimators(sim)).extracting(Estimator::name).containsExactlyInAnyOrder("dose", "fluence");
        for (Estimator e : results.estimators(sim)) {
            List<ResultPage> pages = results.pages(e.id());
            int writer = pages.get(0).data().json().get("writer").asInt();
            assertThat(pages).hasSize(writer + 1)
                    .allSatisfy(p -> assertThat(p.data().json().get("writer").asInt()).isEqualTo(writer));
        }
    }

    /** An estimator whose pages (writer + 1 of them) all say which writer stored them. */
    private static EstimatorResult writtenBy(int writer, String name) {
        List<EstimatorResult.PageData> pages = new ArrayList<>();
        for (int n = 0; n <= writer; n++) {
            pages.add(new EstimatorResult.PageData(n, Payload.ofJson(Map.of("writer", writer, "page", n))));
        }
        return new EstimatorResult(name, Payload.ofJson(Map.of("writer", writer)), pages);
    }

    /** An estimator with pages of the given numbers; each page's JSON names its number. */
    static EstimatorResult estimator(String name, int... pageNumbers) {
        List<EstimatorResult.PageData> pages = java.util.Arrays.stream(pageNumbers)
                .mapToObj(n -> new EstimatorResult.PageData(n, Payload.ofJson(Map.of("page", n, "metadata", Map.of("page_number", String.valueOf(n))))))
                .toList();
        return new EstimatorResult(name, Payload.ofJson(Map.of("name", name)), pages);
    }

    private static int pageCount(JsonNode resultSet) {
        int n = 0;
        for (JsonNode e : resultSet.get("estimators")) {
            n += e.get("pages").size();
        }
        return n;
    }
}
