package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.UserStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * list-users and list-simulations without picocli print what picocli's path prints, byte for byte,
 * with the same exit code, for every command line they take; every other command line they leave to
 * picocli.
 */
class QuickAdminTest {

    /** The command lines it takes; DB stands for the database's URL. */
    static final List<List<String>> TAKEN = List.of(
            List.of("list-users", "--db", "DB"),
            List.of("--db", "DB", "list-users"),
            List.of("--db=DB", "list-users", "--json"),
            List.of("-v", "--db", "DB", "-v", "list-users"),
            List.of("--db", "DB", "list-users", "-vv", "--json"),
            List.of("list-users", "--db=DB", "--json", "--verbose", "-v"),
            List.of("--db", "DB", "list-simulations"),
            List.of("--db", "DB", "list-simulations", "--json"),
            List.of("--db", "DB", "list-simulations", "--user", "anna"),
            List.of("list-simulations", "--user=anna", "--json", "--db", "DB"),
            List.of("--db=DB", "list-simulations", "--auth-provider", "YaptideUser", "--user", "anna"),
            List.of("--db=DB", "list-simulations", "--auth-provider=KeycloakUser", "--json"),
            List.of("--db=DB", "list-simulations", "--user", "plg"));

    /** Those that are taken and refused as picocli's path refuses them (exit code and lines). */
    static final List<List<String>> REFUSED = List.of(
            List.of("--db", "DB", "list-simulations", "--user", "nobody"),
            List.of("--db", "DB", "list-simulations", "--user", "nobody", "--json"),
            List.of("-v", "--db", "DB", "list-simulations", "--user", "list-simulations"),
            List.of("--db", "DB", "list-simulations", "--auth-provider", "Foo"));

    /** Those it leaves to picocli: help, mistakes, options twice or out of place, @files, "--". */
    static final List<List<String>> LEFT = List.of(
            List.of("list-users", "--help"),
            List.of("list-users", "-h"),
            List.of("--verbose", "list-users", "--db=DB", "-v"),
            List.of("--db", "DB", "list-users", "extra"),
            List.of("--db", "DB", "--db", "DB", "list-users"),
            List.of("--json", "--db", "DB", "list-users"),
            List.of("--db", "DB", "list-users", "--json", "--json"),
            List.of("--db", "DB", "list-users", "--jsn"),
            List.of("--db", "@args.txt", "list-users"),
            List.of("--db", "DB", "--", "list-users"),
            List.of("--db", "list-users"),
            List.of("--db=", "list-users"),
            List.of("--db", "DB", "list-users", "list-users"),
            List.of("--db", "DB"),
            List.of("list-clusters", "--db", "DB"),
            List.of("--db", "DB", "list-simulations", "--user"),
            List.of("--db", "DB", "list-simulations", "--user", "--json"),
            List.of("--db", "DB", "list-simulations", "--user="),
            List.of("--db", "DB", "list-simulations", "--user", "anna", "--user", "bob"),
            List.of("--db", "DB", "list-simulations", "--user", "anna", "--user=bob"),
            List.of("--db", "DB", "--user", "anna", "list-simulations"),
            List.of("--db", "DB", "list-simulations", "--json=true"),
            List.of("--db", "DB", "list-simulations", "--usr", "anna"),
            List.of("--db", "DB", "list-simulations", "anna"),
            List.of("--db", "DB", "list-users", "--user", "anna"),
            List.of("--db", "DB", "list-simulations", "--help"));

    @DatabaseTest
    void printsWhatPicocliPrintsForEveryCommandLineItTakes(TestDatabase db) {
        long anna = new UserStore(db.database()).createPasswordUser("anna", "secret-1").id();
        long plg = new UserStore(db.database()).createKeycloakUser("plg", "cert", "key").id();
        SeedRows.directSimulation(db.jdbi(), anna, 1);
        SeedRows.directSimulation(db.jdbi(), plg, 1);
        SeedRows.directSimulation(db.jdbi(), anna, 0);
        SeedRows.batchSimulation(db.jdbi(), anna, new ClusterStore(db.database()).create("ares").id(), 1);
        for (List<String> line : TAKEN) {
            String[] args = withUrl(line, db.url().render(true));
            Run quick = quick(args);
            assertThat(quick).as("%s is taken", line).isNotNull();
            assertThat(quick).as("%s", line).isEqualTo(picocli(args));
            assertThat(quick.code()).as("%s", line).isZero();
            if (line.contains("list-users")) {
                assertThat(quick.out()).contains("anna").contains("plg");
            }
        }
        for (List<String> line : REFUSED) {
            String[] args = withUrl(line, db.url().render(true));
            Run quick = quick(args);
            assertThat(quick).as("%s is taken", line).isNotNull();
            assertThat(quick).as("%s", line).isEqualTo(picocli(args));
            assertThat(quick.code()).as("%s", line).isNotZero();
        }
    }

    @EmptyDatabaseTest
    void failsAsPicocliFailsOnADatabaseWithoutTheSchema(TestDatabase db) {
        for (List<String> line : List.of(List.of("list-users", "--db", "DB"), List.of("list-simulations", "--db", "DB", "--user", "anna"))) {
            String[] args = withUrl(line, db.url().render(true));
            Run quick = quick(args);
            assertThat(quick).isEqualTo(picocli(args));
            assertThat(quick.code()).isEqualTo(ExitCode.MIGRATION);
            assertThat(quick.err()).startsWith("Error: the database has no Yaptide schema");
        }
    }

    @DatabaseTest
    void leavesEveryOtherCommandLineToPicocli(TestDatabase db) {
        for (List<String> line : LEFT) {
            assertThat(quick(withUrl(line, db.url().render(true)))).as("%s is left to picocli", line).isNull();
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static String[] withUrl(List<String> line, String url) {
        List<String> args = new ArrayList<>();
        for (String a : line) {
            args.add(a.equals("DB") ? url : a.replace("--db=DB", "--db=" + url));
        }
        return args.toArray(String[]::new);
    }

    private static Run quick(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Integer code = QuickAdmin.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return code == null ? null : new Run(code, out.toString(), err.toString());
    }

    private static Run picocli(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.runWithPicocli(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
