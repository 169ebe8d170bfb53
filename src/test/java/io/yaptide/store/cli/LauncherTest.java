package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code bin/yaptide} gives the service the full JIT and the default collector, and short admin
 * commands C1 and the serial collector, whichever place the subcommand takes among the options.
 * The launcher runs as a real process from a copy of the checkout's layout, with a {@code java}
 * on the PATH that prints the arguments it was given.
 */
class LauncherTest {

    @TempDir
    Path checkout;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "serve                                  | service",
        "--db sqlite:///x.db serve --port 0     | service",
        "--db=sqlite:///x.db -v serve           | service",
        "-v --db sqlite:///x.db smoke           | service",
        "--db serve list-users                  | admin",
        "list-users --db sqlite:///x.db         | admin",
        "--db sqlite:///x.db db upgrade         | admin",
        "--help                                 | admin"})
    void picksJvmOptionsByTheSubcommandWhereverItStands(String args, String kind) throws Exception {
        List<String> javaArgs = launch(args.trim().split(" +"));
        assertThat(javaArgs).contains("-jar");
        assertThat(javaArgs.subList(javaArgs.indexOf("-jar") + 2, javaArgs.size()))
                .as("the arguments reach the program unchanged").containsExactly(args.trim().split(" +"));
        List<String> jvm = javaArgs.subList(0, javaArgs.indexOf("-jar"));
        if (kind.equals("service")) {
            assertThat(jvm).doesNotContain("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        } else {
            assertThat(jvm).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        }
        assertThat(jvm).contains("-XX:+ExitOnOutOfMemoryError");
    }

    private List<String> launch(String... args) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        Files.copy(Path.of("bin/yaptide"), bin.resolve("yaptide"));
        // a jar newer than every source (there are none here), so the launcher does not build
        Files.createDirectories(checkout.resolve("target"));
        Files.writeString(checkout.resolve("target/yaptide-store.jar"), "");
        Path fakes = Files.createDirectories(checkout.resolve("fake-path"));
        Path printed = checkout.resolve("java-args.txt");
        Path java = fakes.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + printed + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("bash", bin.resolve("yaptide").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", fakes + ":" + System.getenv("PATH"));
        pb.environment().remove("YAPTIDE_JAVA_OPTS");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return Files.readAllLines(printed);
    }
}
