package io.yaptide.store.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/original/start} refuses what it cannot serve with one line and exit code 2, before
 * it looks for Python or starts anything: no checkout, a checkout without the original's
 * application, no database URL, a database other than PostgreSQL.
 */
class OriginalStartScriptTest {

    @TempDir
    Path dir;

    @Test
    void withoutACheckoutItSaysHowToCallIt() throws Exception {
        Result r = run(Map.of(), List.of());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.stderr.strip()).isEqualTo("bench/original/start: usage: bench/original/start CHECKOUT [PORT]");
    }

    @Test
    void aDirectoryThatIsNotTheOriginalIsRefused() throws Exception {
        Result r = run(Map.of("YAPTIDE_DATABASE_URL", "postgresql://u:p@127.0.0.1:5432/x"), List.of(dir.toString()));
        assertThat(r.code).isEqualTo(2);
        assertThat(r.stderr.strip()).isEqualTo("bench/original/start: " + dir + " holds no yaptide/application.py");
    }

    @Test
    void withoutADatabaseUrlItSaysWhichVariableToSet() throws Exception {
        Result r = run(Map.of(), List.of(original().toString()));
        assertThat(r.code).isEqualTo(2);
        assertThat(r.stderr.strip()).isEqualTo("bench/original/start: set YAPTIDE_DATABASE_URL to the database the original should serve");
    }

    @Test
    void aSqliteDatabaseIsRefused() throws Exception {
        Result r = run(Map.of("YAPTIDE_DATABASE_URL", "sqlite:///x.db"), List.of(original().toString()));
        assertThat(r.code).isEqualTo(2);
        assertThat(r.stderr.strip()).isEqualTo("bench/original/start: a PostgreSQL URL is needed (postgresql://...)");
    }

    /** A directory shaped like the original's checkout (only the file the script looks for). */
    private Path original() throws IOException {
        Path app = Files.createDirectories(dir.resolve("original/yaptide")).resolve("application.py");
        Files.writeString(app, "");
        return dir.resolve("original");
    }

    private record Result(int code, String stderr) {
    }

    private static Result run(Map<String, String> env, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "bench/original/start"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("YAPTIDE_DATABASE_URL");
        pb.environment().putAll(env);
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), stderr);
    }
}
