package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.outbox.CeleryOutbox;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.simulations.SimulationSeeds;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.util.List;

/** The operator's view of the Celery dispatch: list-dispatch and the Dispatch line of db inspect. */
class ListDispatchCommandTest {

    @DatabaseTest
    void listsQueuedJobsWithTheirAgeAndDbInspectCountsThem(TestDatabase db) {
        long user = SimulationSeeds.user(db, "anna");
        long ninetySecondsAgo = System.currentTimeMillis() - 90_500;
        var created = new SimulationStore(db.database()).create(SimulationSeeds.direct(user, 2),
                (h, made) -> CeleryOutbox.record(h, made.simulation().id(), List.of("c0", "c1"), "merge-1", "group-1",
                        "{}", ninetySecondsAgo));
        long id = created.simulation().id();
        db.closePool();

        Cli.Result list = Cli.run(db.url(), "list-dispatch");
        assertThat(list.code()).as(list.err()).isZero();
        // the age is 1m30s when the command runs at once; a loaded machine may take a few seconds more
        assertThat(list.out().lines().skip(1)).singleElement().satisfies(line -> {
            String[] f = line.split("\\s+");
            assertThat(f).startsWith(Long.toString(id), "queued", "PENDING");
            assertThat(f[3]).matches("1m3[0-4]s");
            assertThat(f[4]).isEqualTo("0");
            assertThat(f[5]).isEqualTo(created.simulation().jobId());
        });
        assertThat(Cli.run(db.url(), "list-dispatch", "--state", "running").out().lines()).hasSize(1); // the header only

        Cli.Result inspect = Cli.run(db.url(), "db", "inspect");
        assertThat(inspect.out()).containsPattern("Dispatch  queued 1 \\(oldest 1m3[0-4]s\\), sent 0, running 0, merging 0");

        Cli.Result bad = Cli.run(db.url(), "list-dispatch", "--state", "lost");
        assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err().strip()).hasLineCount(1).contains("--state must be one of");
    }
}
