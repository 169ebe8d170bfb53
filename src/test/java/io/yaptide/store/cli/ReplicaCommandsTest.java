package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.config.ReplicaConfig;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.LocalStandby;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's view of a primary and its standby (5432 and 5433 of .ci/setup-replica): db replicas,
 * db url / db inspect / config with both URLs masked, db upgrade refused on a standby, db backup from it.
 */
class ReplicaCommandsTest {
    private final Map<String, String> before = GlobalOptions.environment;

    @BeforeAll
    static void standbyStreams() {
        LocalStandby.require();
    }

    @AfterEach
    void restoreEnvironment() {
        GlobalOptions.environment = before;
    }

    private static void withReplica(DatabaseUrl replica) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("YAPTIDE_DATABASE_URL");
        env.put(ReplicaConfig.ENV_REPLICA_URL, replica.render(true));
        GlobalOptions.environment = env;
    }

    @Test
    void dbReplicasShowsEachServersRoleLagAndUse() {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            LocalStandby.waitForReplay(db.url());
            withReplica(LocalStandby.on(db.url()));
            Cli.Result r = Cli.run(db.url(), "db", "replicas");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.outLines()).hasSize(3);
            assertThat(r.outLines().get(1)).matches("127\\.0\\.0\\.1:5432 +primary +- +- +yes: writes.*");
            assertThat(r.outLines().get(2)).matches("127\\.0\\.0\\.1:5433 +standby +\\d+ +\\d+\\.\\d{3} +(yes: users' reads|no: lags more than .*)");

            Cli.Result multi = Cli.run(LocalStandby.multiHost(db.url()), "db", "replicas");
            assertThat(multi.outLines()).anyMatch(l -> l.startsWith("127.0.0.1:5433") && l.contains("standby"));
        }
    }

    @Test
    void dbUrlInspectAndConfigShowBothUrlsWithPasswordsMasked() {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            withReplica(LocalStandby.on(db.url()));
            LocalStandby.waitForReplay(db.url()); // the standby shows "down" until it has the new database
            Cli.Result url = Cli.run(db.url(), "db", "url");
            assertThat(url.outLines()).containsExactly(db.url().toString(),
                    "replica postgresql://yaptide:***@127.0.0.1:5433/" + db.url().database());
            Cli.Result inspect = Cli.run(db.url(), "db", "inspect");
            assertThat(inspect.out()).contains("Replica   postgresql://yaptide:***@127.0.0.1:5433/" + db.url().database())
                    .contains("127.0.0.1:5432 primary, 127.0.0.1:5433 standby").doesNotContain(":yaptide@");
            Cli.Result config = Cli.run(db.url(), "config");
            assertThat(config.out()).contains("postgresql://yaptide:***@127.0.0.1:5433/" + db.url().database())
                    .contains("127.0.0.1:5432, 127.0.0.1:5433").doesNotContain(":yaptide@");
        }
    }

    @Test
    void dbUpgradeRefusesAStandbyWithOneLine() {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            LocalStandby.waitForReplay(db.url());
            Cli.Result r = Cli.run(LocalStandby.on(db.url()), "db", "upgrade", "--no-backup");
            assertThat(r.code()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err().strip().lines()).hasSize(1).first().asString()
                    .contains("is a standby (pg_is_in_recovery() is true, read-only)").doesNotContain(":yaptide@");
            // the multi-host URL connects to the primary: nothing to do, and no refusal
            Cli.Result multi = Cli.run(LocalStandby.multiHost(db.url()), "db", "upgrade", "--no-backup");
            assertThat(multi.code()).as(multi.err()).isZero();
            assertThat(multi.out()).contains("Nothing to upgrade");
        }
    }

    @Test
    void dbBackupFromStandbyDumpsTheStandby(@TempDir Path dir) {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            LocalStandby.waitForReplay(db.url());
            withReplica(LocalStandby.on(db.url()));
            Path file = dir.resolve("from-standby.dump");
            Cli.Result r = Cli.run(db.url(), "db", "backup", "--from-standby", file.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).contains("taking the backup from the standby 127.0.0.1:5433");
            assertThat(r.out()).contains("Backup written to " + file).contains("verified");
            assertThat(Files.exists(file)).isTrue();
        }
    }

    @Test
    void dbReplicasOnSqliteIsOneLineAndExit2() {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE)) {
            Cli.Result r = Cli.run(db.url(), "db", "replicas");
            assertThat(r.code()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).contains("is SQLite");
        }
    }
}
