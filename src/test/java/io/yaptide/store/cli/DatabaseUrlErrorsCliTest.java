package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.Settings;
import io.yaptide.store.testing.TestDatabases;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad, unreachable and refused database URLs through the real command line, in-process. */
class DatabaseUrlErrorsCliTest {

    private final Map<String, String> savedEnvironment = GlobalOptions.environment;

    @TempDir
    Path dir;

    @AfterEach
    void restoreEnvironment() {
        GlobalOptions.environment = savedEnvironment;
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aMalformedUrlExitsWith3AndOneLineNamingTheUrlWithThePasswordMasked() {
        GlobalOptions.environment = Map.of();
        Result r = run("--db", "postgresql://yaptide:hunter2@localhost:notaport/yaptide", "db", "current");
        assertThat(r.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("postgresql://yaptide:***@localhost:notaport/yaptide")
                .contains("port 'notaport'").doesNotContain("hunter2").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anUnreachableServerExitsWith4SayingWhatToCheck() throws IOException {
        GlobalOptions.environment = Map.of();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Result r = run("--db", "postgresql://yaptide:hunter2@127.0.0.1:" + closedPort + "/yaptide", "db", "current");
        assertThat(r.code()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("127.0.0.1:" + closedPort).contains("yaptide:***@")
                .contains("check that the server is running").doesNotContain("hunter2").doesNotContain("\tat ");
    }

    @Test
    void aWrongPasswordExitsWith4NamingTheUser() {
        GlobalOptions.environment = Map.of();
        var admin = TestDatabases.adminUrl();
        String url = "postgresql://" + admin.user().orElseThrow() + ":definitely-wrong@" + admin.host() + ":" + admin.port()
                + "/" + admin.database();
        assertThat(serverAccepts(url))
                .as("PostgreSQL at %s accepts any password for role %s (trust authentication); run .ci/setup-postgres,"
                        + " which makes it check passwords on 127.0.0.1", admin, admin.user().orElseThrow())
                .isFalse();
        Result r = run("--db", url, "db", "current");
        assertThat(r.code()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("refused the login for user '" + admin.user().orElseThrow() + "'")
                .contains("check the user name and password").doesNotContain("definitely-wrong").doesNotContain("\tat ");
    }

    private static boolean serverAccepts(String url) {
        var parsed = io.yaptide.store.config.DatabaseUrl.parse(url);
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", parsed.user().orElseThrow());
        p.setProperty("password", parsed.password().orElseThrow());
        try (var c = java.sql.DriverManager.getConnection(parsed.jdbcUrl(), p)) {
            return true;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Test
    void yaptideDatabaseUrlWinsOverTheFlaskVariable() {
        Path file = dir.resolve("from-yaptide.db");
        GlobalOptions.environment = Map.of(Settings.ENV_DATABASE_URL, "sqlite:///" + file,
                Settings.ENV_FLASK_DATABASE_URI, "mysql://nobody:x@nowhere/none");
        Result r = run("db", "upgrade");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains(file.toString()).contains("(head)");
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void theFlaskVariableIsUsedWhenItIsTheOnlyOne() {
        Path file = dir.resolve("from-flask.db");
        GlobalOptions.environment = Map.of(Settings.ENV_FLASK_DATABASE_URI, "sqlite:///" + file);
        Result r = run("db", "upgrade");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void theDbOptionWinsOverBothVariables() {
        Path file = dir.resolve("from-option.db");
        GlobalOptions.environment = Map.of(Settings.ENV_DATABASE_URL, "mysql://a:b@c/d",
                Settings.ENV_FLASK_DATABASE_URI, "mysql://a:b@c/d");
        Result r = run("--db", "sqlite:///" + file, "db", "current");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("base");
    }

    @Test
    void aBadUrlInTheEnvironmentIsReportedLikeABadOption() {
        GlobalOptions.environment = Map.of(Settings.ENV_FLASK_DATABASE_URI, "postgresql+psycopg://u:hunter2@h:99999/db");
        Result r = run("db", "current");
        assertThat(r.code()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("postgresql+psycopg://u:***@h:99999/db").doesNotContain("hunter2");
    }
}
