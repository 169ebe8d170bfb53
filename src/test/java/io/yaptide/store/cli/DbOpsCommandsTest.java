package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Catalog;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.ops.BackupManifest;
import io.yaptide.store.ops.TableStats;
import io.yaptide.store.results.Payload;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.OriginalDatabases;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import io.yaptide.store.users.UserStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;

/** The db operations on both databases: url, shell, inspect, backup/restore, upgrade's backup, rehearse, revision, clean. */
class DbOpsCommandsTest {

    /** Two users, a direct simulation with input, results and logs, a batch simulation on a cluster. */
    static void seed(TestDatabase db) {
        long anna = new UserStore(db.database()).createPasswordUser("anna", "pw-1").id();
        new UserStore(db.database()).createKeycloakUser("plg", "cert", "key");
        long cluster = new io.yaptide.store.clusters.ClusterStore(db.database()).create("ares").id();
        long direct = SeedRows.directSimulation(db.jdbi(), anna, 3);
        SeedRows.input(db.jdbi(), direct, Payload.ofJson(Map.of("input_type", "editor", "n", 42)));
        SeedRows.resultsAndLogs(db.jdbi(), direct, 4);
        SeedRows.batchSimulation(db.jdbi(), anna, cluster, 2);
    }

    static Map<String, TableStats.TableDigest> digests(DatabaseUrl url) {
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS)) {
            return TableStats.digests(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static DatabaseUrl emptyTarget(TestDatabase db, Path dir) {
        return db.isPostgres() ? TestDatabases.scratchPostgres("restore") : DatabaseUrl.parse("sqlite:///" + dir.resolve("target.db"));
    }

    static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("yaptide-ops-test-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- url, inspect, shell --------------------------------------------------------------------

    @DatabaseTest
    void urlIsMaskedUnlessAskedAndHasAJdbcForm(TestDatabase db) {
        Cli.Result masked = Cli.run(db.url(), "db", "url");
        assertThat(masked.code()).isZero();
        assertThat(masked.out().strip()).isEqualTo(db.url().render(false));
        assertThat(Cli.run(db.url(), "db", "url", "--show-password").out().strip()).isEqualTo(db.url().render(true));
        String jdbc = Cli.run(db.url(), "db", "url", "--jdbc").out().strip();
        assertThat(jdbc).startsWith("jdbc:" + (db.isPostgres() ? "postgresql:" : "sqlite:"));
        if (db.isPostgres()) {
            assertThat(masked.out()).contains(":***@").doesNotContain(":yaptide@");
            assertThat(jdbc).contains("password=***");
        }
    }

    @DatabaseTest
    void inspectShowsTheRevisionNothingPendingAndEveryTablesRows(TestDatabase db) {
        seed(db);
        Cli.Result r = Cli.run(db.url(), "db", "inspect");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Revision  " + Migrator.headId() + " (head)").contains("Pending   none");
        assertThat(r.outLines()).anyMatch(l -> l.matches("User\\s+2\\s+.*"))
                .anyMatch(l -> l.matches("Task\\s+5\\s+.*"))
                .anyMatch(l -> l.matches("Page\\s+4\\s+.*"));
    }

    @Test
    void inspectOfADatabaseTheOriginalMadeShowsItsAlembicRevisionAndRows() {
        Cli.Result r = Cli.run(OriginalDatabases.loadSqlite(), "db", "inspect");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Revision  3f9d1f1bec46 (the original's alembic_version)");
        assertThat(r.outLines()).anyMatch(l -> l.matches("Simulation\\s+30\\s+.*"))
                .anyMatch(l -> l.matches("Task\\s+633\\s+.*"))
                .anyMatch(l -> l.matches("total\\s+1822\\s+.*"));
    }

    @DatabaseTest
    void shellWithoutTheClientInstalledNamesThePackageToInstall(TestDatabase db) {
        Map<String, String> before = GlobalOptions.environment;
        GlobalOptions.environment = Map.of("PATH", "/nonexistent");
        try {
            Cli.Result r = Cli.run(db.url(), "db", "shell");
            assertThat(r.code()).isEqualTo(ExitCode.UNAVAILABLE);
            assertThat(r.err()).contains(db.isPostgres() ? "psql is not installed" : "sqlite3 is not installed")
                    .contains("apt-get install " + (db.isPostgres() ? "postgresql-client" : "sqlite3"));
        } finally {
            GlobalOptions.environment = before;
        }
    }

    @DatabaseTest
    void shellRunsTheClientWithThePasswordOnlyInItsEnvironment(TestDatabase db) {
        DbOpsCommands.Shell.Invocation inv = DbOpsCommands.Shell.invocation(db.url(), System.getenv(), List.of());
        assertThat(inv.command().get(0)).endsWith(db.isPostgres() ? "psql" : "sqlite3");
        db.url().password().ifPresent(pw -> {
            assertThat(inv.command()).noneMatch(arg -> arg.contains(db.url().render(true)) || arg.contains("password")
                    || arg.contains(":" + pw + "@"));
            assertThat(inv.environment()).containsEntry("PGPASSWORD", pw);
        });
        String query = "SELECT COUNT(*) FROM \"User\"";
        List<String> ok = db.isPostgres() ? List.of("-c", query) : List.of(query);
        assertThat(Cli.run(db.url(), concat(List.of("db", "shell", "--"), ok)).code()).isZero();
        List<String> bad = db.isPostgres() ? List.of("-v", "ON_ERROR_STOP=1", "-c", "SELECT * FROM no_such_table")
                : List.of("SELECT * FROM no_such_table");
        assertThat(Cli.run(db.url(), concat(List.of("db", "shell", "--"), bad)).code()).isNotZero();
    }

    static String[] concat(List<String> a, List<String> b) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }

    // ---- backup and restore ---------------------------------------------------------------------

    @DatabaseTest
    void backupThenRestoreIntoAnEmptyDatabaseGivesBackEveryRow(TestDatabase db) {
        seed(db);
        Path dir = tempDir();
        Path file = dir.resolve(db.isPostgres() ? "b.dump" : "b.db");
        Cli.Result backup = Cli.run(db.url(), "db", "backup", file.toString());
        assertThat(backup.code()).as(backup.err()).isZero();
        assertThat(backup.out()).startsWith("Backup written to " + file).contains("verified");
        BackupManifest manifest = BackupManifest.readFor(file).orElseThrow();
        assertThat(manifest.verified()).isTrue();
        assertThat(manifest.revision()).isEqualTo(Migrator.headId());
        assertThat(manifest.rows()).containsEntry("User", 2L).containsEntry("Task", 5L).containsEntry("Page", 4L);

        DatabaseUrl target = emptyTarget(db, dir);
        Cli.Result restore = Cli.run(target, "db", "restore", file.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("matching the backup's manifest");
        assertThat(digests(target)).isEqualTo(digests(db.url()));
        assertThat(new Migrator(target).current()).contains(Migrator.headId());
    }

    @DatabaseTest
    void aBackupTakenWhileWritesGoOnIsConsistentAndVerified(TestDatabase db) throws Exception {
        seed(db);
        io.yaptide.store.clusters.ClusterStore clusters = new io.yaptide.store.clusters.ClusterStore(db.database());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                clusters.create("c" + written.incrementAndGet());
            }
        });
        writer.start();
        Path dir = tempDir();
        Path file = dir.resolve("live.backup");
        Cli.Result r;
        try {
            while (written.get() < 20) {
                Thread.sleep(5);
            }
            r = Cli.run(db.url(), "db", "backup", file.toString());
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(r.code()).as(r.err()).isZero();
        long recorded = BackupManifest.readFor(file).orElseThrow().rows().get("Cluster");
        assertThat(recorded).isBetween(21L, written.get() + 1L);
        DatabaseUrl target = emptyTarget(db, dir);
        assertThat(Cli.run(target, "db", "restore", file.toString()).code()).isZero();
        assertThat(digests(target).get("Cluster").rows()).isEqualTo(recorded);
    }

    @DatabaseTest
    void portableBackupRestoresWithTheSameContentAndWorkingIdSequences(TestDatabase db) {
        seed(db);
        Path dir = tempDir();
        Path file = dir.resolve("p.ydump.gz");
        Cli.Result backup = Cli.run(db.url(), "db", "backup", "--portable", file.toString());
        assertThat(backup.code()).as(backup.err()).isZero();
        DatabaseUrl target = emptyTarget(db, dir);
        Cli.Result restore = Cli.run(target, "db", "restore", file.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(digests(target)).isEqualTo(digests(db.url()));
        // new rows get fresh ids after the restored ones
        assertThat(Cli.run(target, "add-user", "new.user", "--password", "pw-2").code()).isZero();
        assertThat(Cli.run(target, "list-users").outLines()).hasSize(4);
        // and a forced restore over it puts back exactly the backup
        Cli.Result again = Cli.run(target, "db", "restore", file.toString(), "--force");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(digests(target)).isEqualTo(digests(db.url()));
    }

    @DatabaseTest
    void aForcedRestoreOfADumpFromAnUnknownRevisionIsRefusedBeforeAnythingIsDropped(TestDatabase db) throws Exception {
        seed(db);
        Path file = tempDir().resolve("future.ydump.gz");
        assertThat(Cli.run(db.url(), "db", "backup", "--portable", file.toString()).code()).isZero();
        // the same dump, as a newer version (at a revision this one does not know) would have written it
        java.util.List<String> lines;
        try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file))) {
            lines = new java.util.ArrayList<>(java.util.List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")));
        }
        lines.set(0, lines.get(0).replaceAll("\"revision\":\"[0-9a-f]+\"", "\"revision\":\"ffffffffffff\""));
        assertThat(lines.get(0)).contains("ffffffffffff");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Map<String, TableStats.TableDigest> before = digests(db.url());

        Cli.Result restore = Cli.run(db.url(), "db", "restore", file.toString(), "--force");

        assertThat(restore.code()).isEqualTo(ExitCode.ABORTED);
        assertThat(restore.err()).contains("cannot create").contains("ffffffffffff").doesNotContain("\tat ");
        assertThat(digests(db.url())).isEqualTo(before);
    }

    @DatabaseTest
    void restoreRefusesANonEmptyDatabaseUnlessForced(TestDatabase db) {
        seed(db);
        Path file = tempDir().resolve("b.backup");
        assertThat(Cli.run(db.url(), "db", "backup", file.toString()).code()).isZero();
        assertThat(Cli.run(db.url(), "add-cluster", "after-backup").code()).isZero();
        Map<String, TableStats.TableDigest> before = digests(db.url());

        Cli.Result refused = Cli.run(db.url(), "db", "restore", file.toString());
        assertThat(refused.code()).isEqualTo(ExitCode.ABORTED);
        assertThat(refused.err()).contains("is not empty").contains("--force");
        assertThat(digests(db.url())).isEqualTo(before);

        Cli.Result forced = Cli.run(db.url(), "db", "restore", file.toString(), "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Cli.run(db.url(), "list-clusters").outLines()).containsExactly("1 clusters in DB:",
                Cli.run(db.url(), "list-clusters").outLines().get(1)).noneMatch(l -> l.contains("after-backup"));
    }

    @DatabaseTest
    void backupNeverOverwritesAFileAndRestoreNamesAMissingOne(TestDatabase db) throws IOException {
        Path file = tempDir().resolve("exists.dump");
        Files.writeString(file, "precious");
        Cli.Result r = Cli.run(db.url(), "db", "backup", file.toString());
        assertThat(r.code()).isEqualTo(ExitCode.ABORTED);
        assertThat(r.err()).contains("exists already");
        assertThat(Files.readString(file)).isEqualTo("precious");

        Cli.Result missing = Cli.run(db.url(), "db", "restore", file.resolveSibling("nope.dump").toString());
        assertThat(missing.code()).isEqualTo(ExitCode.ABORTED);
        assertThat(missing.err()).contains("no backup file");
        Cli.Result garbage = Cli.run(db.url(), "db", "restore", file.toString(), "--force");
        assertThat(garbage.code()).isEqualTo(ExitCode.ABORTED);
        assertThat(garbage.err()).contains("is not a backup");
    }

    @Test
    void theOriginalsRealDataSurvivesBackupAndRestoreOnPostgres() {
        DatabaseUrl fixture = OriginalDatabases.loadPostgres();
        Path dir = tempDir();
        Path file = dir.resolve("fixture.dump");
        Cli.Result backup = Cli.run(fixture, "db", "backup", file.toString());
        assertThat(backup.code()).as(backup.err()).isZero();
        BackupManifest manifest = BackupManifest.readFor(file).orElseThrow();
        assertThat(manifest.rows()).containsEntry("Simulation", 30L).containsEntry("Task", 633L)
                .containsEntry("Estimator", 72L).containsEntry("Page", 378L);
        assertThat(manifest.revision()).isEqualTo("3f9d1f1bec46");

        DatabaseUrl target = TestDatabases.scratchPostgres("fixture_restore");
        Cli.Result restore = Cli.run(target, "db", "restore", file.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(digests(target)).isEqualTo(digests(fixture));
        assertThat(Cli.run(target, "list-simulations").outLines()).isEqualTo(Cli.run(fixture, "list-simulations").outLines());

        // and through the portable format, into SQLite: every row arrives
        Path portable = dir.resolve("fixture.ydump.gz");
        assertThat(Cli.run(fixture, "db", "backup", "--portable", portable.toString()).code()).isZero();
        DatabaseUrl sqlite = DatabaseUrl.parse("sqlite:///" + dir.resolve("from-postgres.db"));
        Cli.Result toSqlite = Cli.run(sqlite, "db", "restore", portable.toString());
        assertThat(toSqlite.code()).as(toSqlite.err()).isZero();
        Map<String, Long> rows = new HashMap<>();
        digests(sqlite).forEach((t, d) -> rows.put(t, d.rows()));
        assertThat(rows).isEqualTo(manifest.rows());
        assertThat(Cli.run(sqlite, "list-simulations").outLines())
                .isEqualTo(Cli.run(fixture, "list-simulations").outLines().stream().map(l -> l.replace("+00:00", "")).toList());
    }

    // ---- upgrade with a backup ------------------------------------------------------------------

    @DatabaseTest
    void upgradeOnPostgresTakesAVerifiedBackupFirstAndSaysWhere(TestDatabase db) {
        seed(db);
        db.closePool();
        new Migrator(db.url()).downgrade("3f9d1f1bec46");
        Path file = tempDir().resolve("before-upgrade.dump");
        Cli.Result r = Cli.run(db.url(), "db", "upgrade", "--backup-file", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("is now at " + Migrator.headId());
        if (db.isPostgres()) {
            assertThat(r.outLines().get(0)).startsWith("Backup before upgrading: " + file).contains("db restore " + file + " --force");
            assertThat(BackupManifest.readFor(file).orElseThrow().revision()).isEqualTo("3f9d1f1bec46");
        } else {
            assertThat(r.out()).doesNotContain("Backup");
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void aFailedUpgradeReportsTheRevisionItIsStillAtAndTheExactRestoreCommand() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            seed(db);
            db.closePool();
            new Migrator(db.url()).downgrade("5003b9acb1f4");
            // an index of the same name as the next revision's makes that revision fail
            db.jdbi().useHandle(h -> h.execute("CREATE INDEX \"ix_Input_simulation_id\" ON \"Input\" (id)"));
            db.closePool();
            Path file = tempDir().resolve("pre.dump");
            Cli.Result r = Cli.run(db.url(), "db", "upgrade", "--backup-file", file.toString());
            assertThat(r.code()).isEqualTo(ExitCode.MIGRATION);
            assertThat(r.err()).contains("still at revision 5003b9acb1f4")
                    .contains("bin/yaptide db restore " + file + " --force --db '" + db.url() + "'");
            assertThat(new Migrator(db.url()).current()).contains("5003b9acb1f4");
            assertThat(r.err()).doesNotContain("\tat ");

            Cli.Result restored = Cli.run(db.url(), "db", "restore", file.toString(), "--force");
            assertThat(restored.code()).as(restored.err()).isZero();
            assertThat(new Migrator(db.url()).current()).contains("5003b9acb1f4");
        }
    }

    @Test
    void whenTheBackupFailsTheUpgradeIsNotRun() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            seed(db);
            db.closePool();
            new Migrator(db.url()).downgrade("3f9d1f1bec46");
            Path taken = tempDir().resolve("taken.dump");
            Files.writeString(taken, "someone else's file");
            Cli.Result r = Cli.run(db.url(), "db", "upgrade", "--backup-file", taken.toString());
            assertThat(r.code()).isEqualTo(ExitCode.ABORTED);
            assertThat(r.err()).contains("exists already").contains("The upgrade was not run").contains("--no-backup");
            assertThat(new Migrator(db.url()).current()).contains("3f9d1f1bec46");
            assertThat(Files.readString(taken)).isEqualTo("someone else's file");
        }
    }

    @DatabaseTest
    void noBackupSkipsTheBackup(TestDatabase db) {
        db.closePool();
        new Migrator(db.url()).downgrade("-1");
        Cli.Result r = Cli.run(db.url(), "db", "upgrade", "--no-backup");
        assertThat(r.code()).isZero();
        assertThat(r.out()).doesNotContain("Backup");
    }

    // ---- rehearse -------------------------------------------------------------------------------

    @DatabaseTest
    void rehearsalFromAnOlderRevisionPassesAndLeavesTheDatabaseAsItWas(TestDatabase db) {
        seed(db);
        db.closePool();
        new Migrator(db.url()).downgrade("3f9d1f1bec46");
        Map<String, TableStats.TableDigest> before = digests(db.url());
        Cli.Result r = Cli.run(db.url(), "db", "rehearse");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("start revision 3f9d1f1bec46, head " + Migrator.headId())
                .contains("round trip back to 3f9d1f1bec46: same rows and content")
                .contains("round trip up to head: same rows and content")
                .contains("read checks: 2 users, 2 simulations with 5 tasks, 7 payloads decompressed")
                .contains("Rehearsal passed");
        assertThat(new Migrator(db.url()).current()).contains("3f9d1f1bec46");
        assertThat(digests(db.url())).isEqualTo(before);
        if (db.isPostgres()) {
            assertThat(rehearsalDatabasesLeft()).isZero();
        }
    }

    @DatabaseTest
    void rehearsalAtHeadExercisesTheNewestRevisionsRollback(TestDatabase db) {
        seed(db);
        Cli.Result r = Cli.run(db.url(), "db", "rehearse");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("rehearsing the newest revision").contains("Rehearsal passed");
    }

    @DatabaseTest
    void rehearsalFailsWithExitSixWhenAPayloadDoesNotDecompress(TestDatabase db) {
        seed(db);
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        SeedRows.input(db.jdbi(), sim, Payload.ofCompressed("not gzip".getBytes()));
        db.closePool();
        Cli.Result r = Cli.run(db.url(), "db", "rehearse");
        assertThat(r.code()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(r.out()).contains("DIFFERENCE: read check: input of simulation " + sim + " does not decompress")
                .contains("Rehearsal FAILED");
    }

    @Test
    void rehearsalOnTheOriginalsDatabasesPassesAndReadsEveryRow() {
        for (DatabaseUrl original : List.of(OriginalDatabases.loadPostgres(), OriginalDatabases.loadSqlite())) {
            Map<String, TableStats.TableDigest> before = digests(original);
            Cli.Result r = Cli.run(original, "db", "rehearse");
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("read checks: 5 users, 30 simulations with 633 tasks").contains("Rehearsal passed");
            assertThat(digests(original)).isEqualTo(before); // the database itself was only read
        }
    }

    static long rehearsalDatabasesLeft() {
        try (Connection c = Connections.open(TestDatabases.adminUrl(), ConnectionPurpose.OPERATIONS);
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM pg_database WHERE datname LIKE 'yaptide_rehearse_"
                     + ProcessHandle.current().pid() + "\\_%'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- revision -------------------------------------------------------------------------------

    @EmptyDatabaseTest
    void revisionScaffoldsANamedUpgradeAndRollbackThatRunBothWays(TestDatabase db) throws Exception {
        Path dir = tempDir().resolve("changelog");
        Files.createDirectories(dir);
        try (var files = Files.list(Path.of("src/main/resources/db/changelog"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Cli.Result r = Cli.run(null, "db", "revision", "-m", "add simulation priority", "--dir", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String id = r.outLines().get(0).replaceAll("^Created revision ([0-9a-f]{12}) .*$", "$1");
        assertThat(id).matches("[0-9a-f]{12}");
        assertThat(r.outLines().get(0)).contains("(after " + Migrator.headId() + ")");
        String text = Files.readString(dir.resolve(id + ".xml"));
        assertThat(text).contains("<comment>add simulation priority</comment>").contains("<rollback>")
                .contains("dbms=\"postgresql\"").contains("dbms=\"sqlite\"");
        // every constraint in the template is named
        assertThat(text.lines().filter(l -> l.matches(".*(PRIMARY KEY|FOREIGN KEY|UNIQUE|CHECK) \\(.*")))
                .hasSizeGreaterThanOrEqualTo(5).allMatch(l -> l.matches(".*CONSTRAINT \"[^\"]+\" .*"));
        assertThat(text.lines().filter(l -> l.contains("CREATE INDEX")))
                .isNotEmpty().allMatch(l -> l.matches(".*CREATE INDEX \"ix_[^\"]+\" ON .*"));
        assertThat(Files.readString(dir.resolve("master.xml")).strip())
                .contains("<include file=\"" + id + ".xml\" relativeToChangelogFile=\"true\"/>\n</databaseChangeLog>");

        try (Connection c = Connections.open(db.url(), ConnectionPurpose.OPERATIONS)) {
            var database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            Liquibase lb = new Liquibase("master.xml", new DirectoryResourceAccessor(dir), database);
            lb.update("");
            assertThat(Catalog.tableExists(c, "Example_" + id)).isTrue();
            lb.rollback(1, "");
            assertThat(Catalog.tableExists(c, "Example_" + id)).isFalse();
        }
    }

    @Test
    void revisionWithoutAMessageOrOutsideTheProjectIsAUsageError() {
        Cli.Result blank = Cli.run(null, "db", "revision", "-m", " ", "--dir", tempDir().toString());
        assertThat(blank.code()).isEqualTo(ExitCode.USAGE);
        assertThat(blank.err()).contains("needs a message");
        Cli.Result nowhere = Cli.run(null, "db", "revision", "-m", "x", "--dir", tempDir().toString());
        assertThat(nowhere.code()).isEqualTo(ExitCode.USAGE);
        assertThat(nowhere.err()).contains("master.xml");
    }

    // ---- clean ----------------------------------------------------------------------------------

    @DatabaseTest
    void cleanRemovesOnlyFinishedSimulationsOlderThanTheDateWithAllTheirData(TestDatabase db) {
        long anna = new UserStore(db.database()).createPasswordUser("anna", "pw-1").id();
        long oldDone = SeedRows.directSimulation(db.jdbi(), anna, 2);
        SeedRows.resultsAndLogs(db.jdbi(), oldDone, 3);
        long oldRunning = SeedRows.directSimulation(db.jdbi(), anna, 1);
        long newDone = SeedRows.directSimulation(db.jdbi(), anna, 1);
        long oldCanceled = SeedRows.directSimulation(db.jdbi(), anna, 1);
        setState(db, oldDone, "COMPLETED", Instant.parse("2023-01-05T10:00:00Z"));
        setState(db, oldRunning, "RUNNING", null);
        setState(db, newDone, "FAILED", Instant.parse("2024-06-01T00:00:00Z"));
        setState(db, oldCanceled, "CANCELED", null);
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE \"Simulation\" SET start_time = :t").bind("t", Instant.parse("2023-01-01T00:00:00Z")).execute());

        Cli.Result dry = Cli.run(db.url(), "db", "clean", "--before", "2024-01-01", "--dry-run");
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).startsWith("Would remove 2 simulations, 3 tasks, 0 inputs, 1 estimators, 3 result pages, 1 log files");
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("Simulation", 4L);

        Cli.Result run = Cli.run(db.url(), "db", "clean", "--before", "2024-01-01", "--batch-size", "1");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("Removed 2 simulations, 3 tasks, 0 inputs, 1 estimators, 3 result pages, 1 log files");
        assertThat(run.err().lines().filter(l -> l.startsWith("  removed 1 simulations"))).hasSize(2);
        io.yaptide.store.simulations.SimulationStore sims = new io.yaptide.store.simulations.SimulationStore(db.database());
        assertThat(sims.findById(oldDone)).isEmpty();
        assertThat(sims.findById(oldCanceled)).isEmpty();
        assertThat(sims.findById(oldRunning)).isPresent();
        assertThat(sims.findById(newDone)).isPresent();
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("Page", 0L).containsEntry("Task", 2L);
    }

    static void setState(TestDatabase db, long sim, String state, Instant end) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE \"Simulation\" SET job_state = :s, end_time = :e WHERE id = :id")
                .bind("s", state).bind("e", end).bind("id", sim).execute());
    }

    @DatabaseTest
    void cleanRejectsADateItCannotRead(TestDatabase db) {
        Cli.Result r = Cli.run(db.url(), "db", "clean", "--before", "last tuesday");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("is not a date").contains("YYYY-MM-DD");
    }
}
