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
}
