package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.simulations.SimulationSeeds;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code db restore --force FILE} in a child process at spread-out moments:
 * afterwards a re-run of the restore succeeds, {@code db check} passes and every row of the backup
 * is back (both engines).
 */
class RestoreCrashTest {
    static final List<Long> KILL_AFTER_MILLIS = List.of(500L, 1200L, 2000L, 3000L, 4500L);

    @TempDir
    Path dir;

    @DatabaseTest
    void aKilledForcedRestoreIsFinishedByTheNextOne(TestDatabase db) throws Exception {
        long user = SimulationSeeds.user(db, "restorer");
        long sim = SeedRows.directSimulation(db.jdbi(), user, 3);
        SeedRows.resultsAndLogs(db.jdbi(), sim, 20);
        Map<String, Long> rows = SeedRows.counts(db.jdbi());
        db.closePool();
        Path file = dir.resolve("before.dump");
        Cli.Result backup = Cli.run(db.url(), "db", "backup", file.toString());
        assertThat(backup.code()).as(backup.out() + backup.err()).isZero();

        int survived = 0;
        for (long delay : KILL_AFTER_MILLIS) {
            Process restore = UpgradeCrashTest.child(db, "db", "restore", file.toString(), "--force");
            restore.waitFor(delay, TimeUnit.MILLISECONDS);
            List<ProcessHandle> tools = restore.toHandle().descendants().toList();
            restore.destroyForcibly().waitFor();
            for (ProcessHandle tool : tools) {
                tool.onExit().get(10, TimeUnit.SECONDS); // the watchdog ends psql / pg_restore / sqlite3 too
            }
            if (db.isPostgres()) {
                io.yaptide.store.testing.TestDatabases.adminExecute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE datname = '" + db.url().database() + "' AND pid <> pg_backend_pid()");
            }
            Cli.Result again = Cli.run(db.url(), "db", "restore", file.toString(), "--force");
            assertThat(again.code()).as("killed after %d ms: %s", delay, again.out() + again.err()).isZero();
            Cli.Result check = Cli.run(db.url(), "db", "check");
            assertThat(check.code()).as(check.out() + check.err()).isZero();
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);
            db.closePool();
            survived++;
        }
        System.out.println("restore crash points (" + db + "): " + KILL_AFTER_MILLIS.size() + " tried, " + survived + " survived");
    }
}
