package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.Engine;
import org.junit.jupiter.api.Test;
import io.yaptide.store.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code db backup FILE} in a child process: nothing appears under FILE, the
 * tool it started ({@code pg_dump}) dies with it, and the next run succeeds and names the partial
 * file it removed.
 */
class BackupCrashTest {
    @TempDir
    Path dir;

    @Test
    void aKilledBackupLeavesNothingUnderItsNameAndItsPgDumpDiesWithIt() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            aKilledBackupLeavesNothingUnderItsNameAndItsPgDumpDiesWithItOn(db);
        }
    }

    private void aKilledBackupLeavesNothingUnderItsNameAndItsPgDumpDiesWithItOn(TestDatabase db) throws Exception {
        assertThat(io.yaptide.store.ops.ExternalTool.PG_DUMP.find(System.getenv())).as("pg_dump (.ci/setup-tools installs it)").isPresent();
        Path file = dir.resolve("backup.dump");
        Properties p = new Properties();
        db.url().user().ifPresent(u -> p.setProperty("user", u));
        db.url().password().ifPresent(pw -> p.setProperty("password", pw));
        try (Connection blocker = DriverManager.getConnection(db.url().jdbcUrl(), p)) {
            // pg_dump waits on this lock (a table outside the application's, which the CLI itself does
            // not read): the kill then lands while pg_dump runs
            try (Statement s = blocker.createStatement()) {
                s.execute("CREATE TABLE yt_blocker (id int)");
            }
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("LOCK TABLE yt_blocker IN ACCESS EXCLUSIVE MODE");
            }
            Process backup = UpgradeCrashTest.child(db, "db", "backup", file.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (pgDumpBackends(db) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pgDumpBackends(db)).as("pg_dump started and waits").isPositive();
            List<ProcessHandle> tools = backup.toHandle().descendants().toList();
            backup.destroyForcibly().waitFor();
            for (ProcessHandle tool : tools) {
                tool.onExit().get(10, TimeUnit.SECONDS);
            }
            assertThat(tools).allMatch(t -> !t.isAlive());
            blocker.rollback();
            blocker.setAutoCommit(true);
            try (Statement s = blocker.createStatement()) {
                s.execute("DROP TABLE yt_blocker");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pgDumpBackends(db) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(pgDumpBackends(db)).as("pg_dump's session is gone").isZero();
        assertThat(file).doesNotExist();
        boolean partialLeft;
        try (var files = Files.list(dir)) {
            partialLeft = files.anyMatch(f -> f.getFileName().toString().endsWith(".partial"));
        }

        Cli.Result again = Cli.run(db.url(), "db", "backup", file.toString());
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(file).exists();
        if (partialLeft) {
            assertThat(again.out() + again.err()).contains("a partial backup left by process");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
    }

    private static int pgDumpBackends(TestDatabase db) {
        try (Connection c = DriverManager.getConnection(TestDatabases.adminUrl().jdbcUrl(), adminProperties());
             Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db.url().database()
                     + "' AND application_name = 'pg_dump'")) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties adminProperties() {
        Properties p = new Properties();
        TestDatabases.adminUrl().user().ifPresent(u -> p.setProperty("user", u));
        TestDatabases.adminUrl().password().ifPresent(pw -> p.setProperty("password", pw));
        return p;
    }
}
