package io.yaptide.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.cli.Main;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Foreign keys, concurrent upgrades, stale locks and a revision failing half-way, on both engines. */
class MigrationSafetyTest {

    @DatabaseTest
    void deletingASimulationRemovesItsTasksEstimatorsPagesInputsAndLogFiles(TestDatabase db) {
        MigrationRoundTripTest.insertOneOfEverything(db);
        db.jdbi().useHandle(h -> {
            assertThat(h.execute("DELETE FROM \"Simulation\" WHERE id = 1")).isEqualTo(1);
            assertThat(h.createQuery("SELECT COUNT(*) FROM \"Task\" WHERE simulation_id = 1").mapTo(Integer.class).one()).isZero();
            for (String table : List.of("CeleryTask", "CelerySimulation", "Estimator", "Page", "Input", "Logfiles")) {
                assertThat(MigrationRoundTripTest.count(h, table)).as(table).isZero();
            }
            // the other simulation keeps what it owns
            assertThat(MigrationRoundTripTest.count(h, "Task")).isEqualTo(1);
            assertThat(MigrationRoundTripTest.count(h, "BatchTask")).isEqualTo(1);
            assertThat(MigrationRoundTripTest.count(h, "BatchSimulation")).isEqualTo(1);
        });
    }

    @DatabaseTest
    void aRowReferringToAMissingSimulationIsRefused(TestDatabase db) {
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute(
                "INSERT INTO \"Task\" (simulation_id, task_id, requested_primaries, simulated_primaries, task_state, platform)"
                        + " VALUES (999, 0, 1, 0, 'PENDING', 'DIRECT')")))
                .hasMessageContaining("oreign key"); // "FOREIGN KEY constraint failed" and "violates foreign key constraint"
    }

    @EmptyDatabaseTest
    void twoConcurrentUpgradesInOneJvmApplyEachRevisionOnce(TestDatabase db) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Callable<Migrator.Outcome> upgrade = () -> {
            Migrator m = new Migrator(db.url());
            start.await();
            return m.upgrade("head");
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Migrator.Outcome> a = pool.submit(upgrade);
            Future<Migrator.Outcome> b = pool.submit(upgrade);
            List<String> applied = new ArrayList<>(a.get(120, TimeUnit.SECONDS).applied());
            applied.addAll(b.get(120, TimeUnit.SECONDS).applied());
            assertThat(applied).containsExactly("06c32cf470e7", "3f9d1f1bec46", "4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
        } finally {
            pool.shutdownNow();
        }
        assertThat(new Migrator(db.url()).applied()).extracting(Migrator.AppliedRevision::id)
                .containsExactly("06c32cf470e7", "3f9d1f1bec46", "4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
    }

    @EmptyDatabaseTest
    void twoConcurrentUpgradeProcessesApplyEachRevisionOnce(TestDatabase db) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "--db", db.url().render(true), "db", "upgrade", "--no-backup")
                    .redirectErrorStream(true).start());
        }
        List<String> outputs = new ArrayList<>();
        for (Process p : processes) {
            outputs.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(outputs.get(outputs.size() - 1)).isZero();
        }
        String all = String.join("\n", outputs);
        for (String id : List.of("06c32cf470e7", "3f9d1f1bec46", "4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07")) {
            assertThat(all.split("Applied " + id, -1)).as(all).hasSize(2); // applied exactly once
        }
        assertThat(new Migrator(db.url()).applied()).hasSize(Migrator.revisions().size());
    }

    @EmptyDatabaseTest
    void aStaleLiquibaseLockRowLeftByACrashDoesNotBlockAnUpgrade(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        m.upgrade("06c32cf470e7");
        db.jdbi().useHandle(h -> h.execute("UPDATE databasechangeloglock SET locked = " + (db.isPostgres() ? "TRUE" : "1")
                + ", lockedby = 'crashed-host (10.0.0.9)', lockgranted = CURRENT_TIMESTAMP"));
        db.closePool();

        Migrator.Outcome o = m.upgrade("head");

        assertThat(o.applied()).containsExactly("3f9d1f1bec46", "4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
        boolean locked = db.jdbi().withHandle(h -> h.createQuery("SELECT locked FROM databasechangeloglock").mapTo(Boolean.class).one());
        db.closePool();
        assertThat(locked).isFalse();
    }

    @EmptyDatabaseTest
    void aRevisionFailingHalfWayLeavesTheDatabaseAtThePreviousRevision(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        m.upgrade("5003b9acb1f4");
        // the third statement of b7e4c1a9d2f0 will collide with this index
        db.jdbi().useHandle(h -> h.execute("CREATE INDEX \"ix_Input_simulation_id\" ON \"Input\" (id)"));
        db.closePool();

        assertThatThrownBy(() -> m.upgrade("head"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("ix_Input_simulation_id")
                .hasMessageContaining("already exists");

        assertThat(m.current()).contains("5003b9acb1f4");
        List<String> indexes = db.jdbi().withHandle(h -> h.createQuery(db.isPostgres()
                ? "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix%'"
                : "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix%'").mapTo(String.class).list());
        db.closePool();
        assertThat(indexes).containsExactly("ix_Input_simulation_id");
    }

    @EmptyDatabaseTest
    void aFailedUpgradeReachesTheOperatorAsOneLineWithoutAStackTrace(TestDatabase db) throws Exception {
        new Migrator(db.url()).upgrade("3f9d1f1bec46");
        db.jdbi().useHandle(h -> h.execute("CREATE INDEX \"ix_Input_simulation_id\" ON \"Input\" (id)"));
        db.closePool();
        Process p = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--db", db.url().render(true), "db", "upgrade", "--no-backup").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(5);
        assertThat(err.lines()).as(err).hasSize(1);
        assertThat(err).startsWith("Error: migration on").contains("ix_Input_simulation_id").doesNotContain("\tat ");
        assertThat(out).doesNotContain("\tat ");
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
