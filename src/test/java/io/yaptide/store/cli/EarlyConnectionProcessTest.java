package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.UserStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The admin commands as real processes ({@code Main.main}, where the connection to PostgreSQL opens
 * while the command line is read): the same lines and exit codes as in-process, where it does not,
 * for a command that takes the connection, a refused login, an unreachable server and a usage error
 * (whose early connection nobody takes).
 */
class EarlyConnectionProcessTest {

    @DatabaseTest
    void aCommandPrintsTheSameAsInProcess(TestDatabase db) throws Exception {
        new UserStore(db.database()).createPasswordUser("anna", "secret-1");
        String url = db.url().render(true);
        for (List<String> args : List.of(List.of("--db", url, "list-users"), List.of("list-clusters", "--db", url),
                List.of("--db", url, "list-users", "--json"), List.of("--db", url, "list-users", "--no-such-option"))) {
            assertThat(process(args)).as("%s", args).isEqualTo(inProcess(args));
        }
    }

    @Test
    void aRefusedLoginAndAnUnreachableServerFailAsInProcess() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        for (String url : List.of("postgresql://yaptide:not-the-password@127.0.0.1:5432/postgres",
                "postgresql://yaptide:x@127.0.0.1:" + closedPort + "/yaptide")) {
            List<String> args = List.of("list-users", "--db", url);
            Run inProcess = inProcess(args);
            assertThat(inProcess.code()).isEqualTo(ExitCode.UNAVAILABLE);
            assertThat(process(args)).isEqualTo(inProcess);
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run inProcess(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static Run process(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("YAPTIDE_DATABASE_URL");
        pb.environment().remove("FLASK_SQLALCHEMY_DATABASE_URI");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }
}
