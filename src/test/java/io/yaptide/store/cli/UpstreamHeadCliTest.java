package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.UpstreamHead;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operator's commands on a database made by the original at its current revision (upstream-head fixture). */
class UpstreamHeadCliTest {

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rehearsalFromTheOriginalsHeadPassesAndOnlyReadsTheDatabase(Engine engine) {
        DatabaseUrl url = UpstreamHead.database(engine);
        Cli.Result r = Cli.run(url, "db", "rehearse");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("start revision 5003b9acb1f4")
                .contains("read checks: 7 users, 16 simulations with 63 tasks")
                .contains("Rehearsal passed");
        assertThat(new Migrator(url).current()).isEmpty(); // only read: not adopted
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void upgradeAdoptsItAndCurrentSaysHead(Engine engine) {
        DatabaseUrl url = UpstreamHead.database(engine);
        Cli.Result up = Cli.run(url, "db", "upgrade", "--no-backup");
        assertThat(up.code()).as(up.out() + up.err()).isZero();
        assertThat(up.out()).contains("Recognised a database made by the original Yaptide (alembic_version 5003b9acb1f4)");
        Cli.Result current = Cli.run(url, "db", "current");
        assertThat(current.out().strip()).isEqualTo(Migrator.headId() + " (head)");
        Cli.Result check = Cli.run(url, "db", "check");
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        Cli.Result down = Cli.run(url, "db", "downgrade", "5003b9acb1f4");
        assertThat(down.code()).as(down.out() + down.err()).isZero();
        assertThat(Cli.run(url, "db", "check").code()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void rotateUpdateKeyBeforeTheUpgradeSaysToUpgradeAndAfterItGivesAKeyForAnAdoptedRunningJob(Engine engine) {
        DatabaseUrl url = UpstreamHead.database(engine);
        String running = "20261202-000111-89ef755f-fc3d-45f6-abca-e1b1b643e2f4DIRECT";
        Cli.Result before = Cli.run(url, "rotate-update-key", running);
        assertThat(before.code()).as(before.err()).isEqualTo(ExitCode.MIGRATION);
        assertThat(before.err().lines()).hasSize(1);
        assertThat(before.err()).contains("update_key_hash").contains("bin/yaptide db upgrade").doesNotContain("internal error");

        assertThat(Cli.run(url, "db", "upgrade", "--no-backup").code()).isZero();
        Cli.Result after = Cli.run(url, "rotate-update-key", running);
        assertThat(after.code()).as(after.err()).isZero();
        assertThat(after.outLines().get(after.outLines().size() - 1)).matches("[A-Za-z0-9_-]{20,}");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void listTasksPrintsTheOriginalsCurrentFormat(Engine engine) {
        DatabaseUrl url = UpstreamHead.database(engine);
        Cli.Result all = Cli.run(url, "list-tasks", "--sim_id", "10");
        assertThat(all.outLines()).containsExactly("3 tasks in DB:",
                "Simulation id 10; Task id ...0; task_state RUNNING;  username maria.zielinska",
                "Simulation id 10; Task id ...1; task_state RUNNING;  username maria.zielinska",
                "Simulation id 10; Task id ...2; task_state RUNNING;  username maria.zielinska");
        Cli.Result byUser = Cli.run(url, "list-tasks", "--user", "maria.zielinska", "--sim_id", "10");
        assertThat(byUser.outLines().get(1)).isEqualTo("Simulation id 10; Task id ...0; task_state RUNNING; ");
    }

    /** The original's middle revisions, as our revisions make them and the original stamps them. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void rehearsalWorksFromTheOriginalsMiddleRevisions(Engine engine) throws Exception {
        for (String revision : java.util.List.of("4027fc5cbcb1", "41149fa64bd2")) {
            try (io.yaptide.store.testing.TestDatabase db = io.yaptide.store.testing.TestDatabases.empty(engine)) {
                new Migrator(db.url()).upgrade(revision);
                db.jdbi().useHandle(h -> {
                    h.execute("DROP TABLE databasechangelog");
                    h.execute("DROP TABLE databasechangeloglock");
                    h.execute("DROP TABLE IF EXISTS yaptide_update_key_carry");
                    h.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))");
                    h.execute("INSERT INTO alembic_version (version_num) VALUES ('" + revision + "')");
                    h.execute("INSERT INTO \"User\" (id, username, auth_provider) VALUES (1, 'ann', 'YaptideUser')");
                    h.execute("INSERT INTO \"YaptideUser\" (id, password_hash) VALUES (1, 'scrypt:32768:8:1$s$00')");
                });
                db.closePool();
                Cli.Result r = Cli.run(db.url(), "db", "rehearse");
                assertThat(r.code()).as(revision + "\n" + r.out() + r.err()).isZero();
                assertThat(r.out()).contains("start revision " + revision).contains("Rehearsal passed");
            }
        }
    }
}
