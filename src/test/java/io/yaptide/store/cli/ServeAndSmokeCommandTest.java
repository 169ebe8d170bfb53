package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;

/** {@code serve} refuses a configured database whose schema is behind; {@code smoke} reports an unreachable service. */
class ServeAndSmokeCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @EmptyDatabaseTest
    void serveRefusesAConfiguredDatabaseThatIsNotUpgraded(TestDatabase db) {
        Run r = run("--db", db.url().render(true), "serve", "--port", "0");
        assertThat(r.code()).isEqualTo(ExitCode.MIGRATION);
        assertThat(r.err()).startsWith("Error: the database ").contains(Migrator.revisions().size() + " revision(s) behind head",
                "run 'bin/yaptide db upgrade' on it");
        assertThat(r.out()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void serveRefusesABadConfigurationBeforeTouchingTheDatabase() {
        java.util.Map<String, String> saved = GlobalOptions.environment;
        GlobalOptions.environment = java.util.Map.of("YAPTIDE_CORS_ORIGINS", "localhost:3000");
        try {
            Run r = run("serve", "--port", "0");
            assertThat(r.code()).isEqualTo(ExitCode.CONFIG);
            assertThat(r.err()).startsWith("Error: YAPTIDE_CORS_ORIGINS entry 'localhost:3000' is not an origin");
        } finally {
            GlobalOptions.environment = saved;
        }
    }

    @org.junit.jupiter.api.Test
    void smokeSaysWhenTheServiceCannotBeReached() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free, and closed again: nothing listens there
        }
        Run r = run("smoke", "--url", "http://127.0.0.1:" + port);
        assertThat(r.code()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(r.err()).startsWith("Error: cannot reach the service at http://127.0.0.1:" + port)
                .contains("check that bin/yaptide serve is running there");
        Run bad = run("smoke", "--url", "ftp://x");
        assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
    }
}
