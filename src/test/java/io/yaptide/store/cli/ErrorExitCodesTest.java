package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.clusters.ClusterExistsException;
import io.yaptide.store.db.DatabaseUnavailableException;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * The CLI's side of the error mapping: a store's refusal ends with the exit code of its kind, and a
 * JDK exception is never taken for the operator's mistake.
 */
class ErrorExitCodesTest {

    @DatabaseTest
    void aValueTheStoreRefusesIsAUsageErrorAndChangesNothing(TestDatabase db) {
        var before = SeedRows.counts(db.jdbi());
        Cli.Result r = Cli.run(db.url(), "add-cluster", " ");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).isEqualTo("Error: cluster name must not be empty\n");
        assertThat(SeedRows.counts(db.jdbi())).isEqualTo(before);
    }

    private static int handled(Exception e, StringWriter err) {
        return Main.handle(e, new PrintWriter(err, true));
    }

    @Test
    void eachKindOfRefusalHasItsExitCode() {
        StringWriter err = new StringWriter();
        assertThat(handled(new StoreException.NotFound("simulation 7 does not exist"), err)).isEqualTo(ExitCode.ABORTED);
        assertThat(handled(new ClusterExistsException("ares"), err)).isEqualTo(ExitCode.ABORTED);
        assertThat(handled(new StoreException.Invalid("user name must not be empty"), err)).isEqualTo(ExitCode.USAGE);
        assertThat(handled(new DatabaseUnavailableException("cannot connect to the database", null), err))
                .isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(err.toString().lines()).containsExactly("Error: simulation 7 does not exist",
                "Error: cluster ares already exists", "Error: user name must not be empty",
                "Error: cannot connect to the database");
    }

    @Test
    void aJdkIllegalArgumentOrNoSuchElementIsAnInternalError() {
        StringWriter err = new StringWriter();
        assertThat(handled(new IllegalArgumentException("bad"), err)).isEqualTo(ExitCode.INTERNAL);
        assertThat(handled(new NoSuchElementException("No value present"), err)).isEqualTo(ExitCode.INTERNAL);
        assertThat(err.toString().lines()).allMatch(l -> l.startsWith("Error: internal error: "));
    }
}
