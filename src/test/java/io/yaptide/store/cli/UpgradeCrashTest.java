package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.Engine;
import org.junit.jupiter.api.Test;
import io.yaptide.store.testing.TestDatabases;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kill -9} of {@code db upgrade} in a child process: at the exact window where a revision's
 * change is committed and its record is not (held open with a sleeping trigger on PostgreSQL), and
 * at spread-out moments of a whole upgrade on both engines. After each kill the next
 * {@code db upgrade} succeeds, {@code db check} passes and the database is at head.
 */
class UpgradeCrashTest {
    /** The revision whose record the window test holds back: ours that adds the indexes. */
    static final String LAST = "b7e4c1a9d2f0";
    /** The revision before it in the chain: what the database records while that record is missing. */
    static final String BEFORE_LAST = Migrator.revisions().get(Migrator.indexOf(LAST) - 1).id();
    /** Kill delays after the child's start, spread over JVM start-up, Liquibase's start and each revision. */
    static final List<Long> KILL_AFTER_MILLIS = List.of(300L, 900L, 1500L, 2000L, 2500L, 3000L, 3600L, 4500L, 6000L);

    @Test
    void aKillBetweenARevisionsChangeAndItsRecordIsFinishedByTheNextUpgrade() throws Exception {
        try (TestDatabase db = TestDatabases.empty(Engine.POSTGRES)) {
            aKillBetweenARevisionsChangeAndItsRecordIsFinishedByTheNextUpgradeOn(db);
        }
    }

    private void aKillBetweenARevisionsChangeAndItsRecordIsFinishedByTheNextUpgradeOn(TestDatabase db) throws Exception {
        new Migrator(db.url()).upgrade(BEFORE_LAST);
        // the record of the index revision waits, its indexes committed already, until the kill
        db.jdbi().useHandle(h -> {
            h.execute("CREATE FUNCTION yt_hold() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$ LANGUAGE plpgsql");
            h.execute("CREATE TRIGGER yt_hold_record BEFORE INSERT ON databasechangelog FOR EACH ROW"
                    + " WHEN (NEW.id = '" + LAST + "') EXECUTE FUNCTION yt_hold()");
        });
        Process upgrade = child(db, "db", "upgrade", "--no-backup");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sleepingInTrigger(db) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sleepingInTrigger(db)).as("the upgrade reached the record of " + LAST).isTrue();
        upgrade.destroyForcibly().waitFor(); // SIGKILL
        // the server notices a dead client only when it next writes to it: end the orphaned backend
        TestDatabases.adminExecute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + db.url().database() + "' AND application_name = 'yaptide-store-migrate'");
        db.jdbi().useHandle(h -> h.execute("DROP TRIGGER yt_hold_record ON databasechangelog"));
        assertThat(indexExists(db, "ix_Estimator_simulation_id_name")).as("the window: change committed").isTrue();
        assertThat(new Migrator(db.url()).current()).as("the window: record missing").contains(BEFORE_LAST);
        db.closePool();

        Cli.Result again = Cli.run(db.url(), "db", "upgrade", "--no-backup");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(again.out() + again.err()).contains(LAST + " had been applied but not recorded");
        assertConsistentAtHead(db);
    }

    @Test
    void aHalfRecordedRevisionOnSqliteIsFinishedByTheNextUpgrade() {
        try (TestDatabase db = TestDatabases.empty(Engine.SQLITE)) {
            aHalfRecordedRevisionOnSqliteIsFinishedByTheNextUpgradeOn(db);
        }
    }

    private void aHalfRecordedRevisionOnSqliteIsFinishedByTheNextUpgradeOn(TestDatabase db) {
        // the state the kill leaves, made directly: every change of head applied, the last record missing
        new Migrator(db.url()).upgrade("head");
        db.jdbi().useHandle(h -> h.execute("DELETE FROM DATABASECHANGELOG WHERE id = '" + LAST + "'"));
        db.closePool();
        Cli.Result again = Cli.run(db.url(), "db", "upgrade", "--no-backup");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertConsistentAtHead(db);
    }

    /**
     * The state a kill between the first revision's change and its record leaves, made directly: the
     * original's tables at that revision and no record of ours. It cannot be told from an original's
     * database, so the next upgrade adopts it and finishes; what it will not do is take those tables for
     * its own (a downgrade to base would drop them).
     */
    @EmptyDatabaseTest
    void tablesOfTheFirstRevisionWithoutItsRecordAreAdoptedByTheNextUpgrade(TestDatabase db) {
        String first = Migrator.revisions().get(0).id();
        new Migrator(db.url()).upgrade(first);
        db.jdbi().useHandle(h -> h.execute("DELETE FROM databasechangelog"));
        db.closePool();
        Cli.Result again = Cli.run(db.url(), "db", "upgrade", "--no-backup");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(again.out() + again.err()).contains("Recognised a database made by the original Yaptide", first);
        assertConsistentAtHead(db);
        Cli.Result down = Cli.run(db.url(), "db", "downgrade", "base");
        assertThat(down.code()).isEqualTo(ExitCode.MIGRATION);
        assertThat(down.err()).contains("was recorded (adopted or stamped), not applied by us");
    }

    @EmptyDatabaseTest
    void killsAtSpreadOutMomentsOfAnUpgradeLeaveADatabaseTheNextUpgradeFinishes(TestDatabase db) throws Exception {
        int survived = 0;
        for (long delay : KILL_AFTER_MILLIS) {
            db.closePool();
            Process upgrade = child(db, "db", "upgrade", "--no-backup");
            boolean finished = upgrade.waitFor(delay, TimeUnit.MILLISECONDS);
            upgrade.destroyForcibly().waitFor();
            if (db.isPostgres()) {
                TestDatabases.adminExecute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + db.url().database() + "' AND application_name = 'yaptide-store-migrate'");
            }
            String reached = new Migrator(db.url()).current().orElse("base");
            Cli.Result again = Cli.run(db.url(), "db", "upgrade", "--no-backup");
            assertThat(again.code()).as("killed after %d ms (%s) at %s: %s", delay, finished ? "had finished" : "running",
                    reached, again.out() + again.err()).isZero();
            assertConsistentAtHead(db);
            survived++;
            // back to base for the next kill: the empty database
            Cli.Result down = Cli.run(db.url(), "db", "downgrade", "base");
            if (down.code() != 0 && (down.out() + down.err()).contains("was recorded (adopted or stamped), not applied by us")) {
                // Killed between the first revision's change and its record: its tables, with no record of
                // ours, cannot be told from an original's database at that revision, so the next upgrade
                // adopted them (it never takes tables it cannot prove it made for its own, which a downgrade
                // would drop). This test made them: it owns the record to go back to base for the next kill.
                assertThat(reached).as("only a kill inside the first revision leaves tables without a record").isEqualTo("base");
                assertThat(again.out() + again.err()).contains("Recognised a database made by the original Yaptide");
                db.jdbi().useHandle(h -> h.execute("UPDATE databasechangelog SET exectype = 'EXECUTED' WHERE id = '"
                        + Migrator.revisions().get(0).id() + "'"));
                db.closePool();
                down = Cli.run(db.url(), "db", "downgrade", "base");
            }
            assertThat(down.code()).as(down.out() + down.err()).isZero();
        }
        System.out.println("upgrade crash points (" + db + "): " + KILL_AFTER_MILLIS.size() + " tried, " + survived + " survived");
    }

    static void assertConsistentAtHead(TestDatabase db) {
        assertThat(new Migrator(db.url()).current()).contains(Migrator.headId());
        Cli.Result check = Cli.run(db.url(), "db", "check");
        assertThat(check.code()).as(check.out() + check.err()).isZero();
    }

    static Process child(TestDatabase db, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--db", db.url().render(true)));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static boolean sleepingInTrigger(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event = 'PgSleep'").mapTo(Integer.class).one()) > 0;
    }

    private static boolean indexExists(TestDatabase db, String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_indexes WHERE indexname = :n")
                .bind("n", name).mapTo(Integer.class).one()) > 0;
    }
}
