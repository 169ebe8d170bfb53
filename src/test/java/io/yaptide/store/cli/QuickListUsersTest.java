package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.UserStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * list-users without picocli prints what picocli's path prints, byte for byte, with the same exit
 * code, for every command line it takes; every other command line it leaves to picocli.
 */
class QuickListUsersTest {

    /** The command lines it takes; DB stands for the database's URL. */
    static final List<List<String>> TAKEN = List.of(
            List.of("list-users", "--db", "DB"),
            List.of("--db", "DB", "list-users"),
            List.of("--db=DB", "list-users", "--json"),
            List.of("-v", "--db", "DB", "-v", "list-users"),
            List.of("--db", "DB", "list-users", "-vv", "--json"),
            List.of("list-users", "--db=DB", "--json", "--verbose", "-v"));

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
            List.of("list-clusters", "--db", "DB"));

    @DatabaseTest
    void printsWhatPicocliPrintsForEveryCommandLineItTakes(TestDatabase db) {
        new UserStore(db.database()).createPasswordUser("anna", "secret-1");
        new UserStore(db.database()).createKeycloakUser("plg", "cert", "key");
        for (List<String> line : TAKEN) {
            String[] args = withUrl(line, db.url().render(true));
            Run quick = quick(args);
            assertThat(quick).as("%s is taken", line).isNotNull();
            assertThat(quick).as("%s", line).isEqualTo(picocli(args));
            assertThat(quick.out()).contains("anna").contains("plg");
        }
    }

    @EmptyDatabaseTest
    void failsAsPicocliFailsOnADatabaseWithoutTheSchema(TestDatabase db) {
        String[] args = withUrl(List.of("list-users", "--db", "DB"), db.url().render(true));
        Run quick = quick(args);
        assertThat(quick).isEqualTo(picocli(args));
        assertThat(quick.code()).isEqualTo(ExitCode.MIGRATION);
        assertThat(quick.err()).startsWith("Error: the database has no Yaptide schema");
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
        Integer code = QuickListUsers.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return code == null ? null : new Run(code, out.toString(), err.toString());
    }

    private static Run picocli(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.runWithPicocli(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
