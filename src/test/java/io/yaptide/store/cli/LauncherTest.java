package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code bin/yaptide} gives the service the full JIT and the default collector, and short admin
 * commands C1, the serial collector and a class cache made by their first run: a JDK 25's
 * ahead-of-time cache when one is installed, else the PATH java's class-data sharing archive.
 * The launcher runs as a real process from a copy of the checkout's layout, with fake JDKs whose
 * {@code java} logs the arguments it was given and writes the files the real one would.
 */
class LauncherTest {

    @TempDir
    Path checkout;

    private Path log;
    private Path jvmDir;
    private Path jar;

    @BeforeEach
    void layOutTheCheckout() throws IOException {
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        Files.copy(Path.of("bin/yaptide"), bin.resolve("yaptide"));
        // a jar newer than every source (there are none here), so the launcher does not build
        jar = Files.createDirectories(checkout.resolve("target")).resolve("yaptide-store.jar");
        Files.writeString(jar, "");
        log = checkout.resolve("java-calls.txt");
        fakeJava(checkout.resolve("path-jdk-17"), "17.0.15");
        jvmDir = Files.createDirectories(checkout.resolve("jvm"));
    }

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
        fakeJava(jvmDir.resolve("temurin-25"), "25.0.3");
        Run run = launch(Map.of(), args.trim().split(" +"));
        List<String> javaArgs = run.calls().get(0);
        assertThat(javaArgs).contains("-jar");
        assertThat(javaArgs.subList(javaArgs.indexOf("-jar") + 2, javaArgs.size()))
                .as("the arguments reach the program unchanged").containsExactly(args.trim().split(" +"));
        List<String> jvm = javaArgs.subList(1, javaArgs.indexOf("-jar"));
        if (kind.equals("service")) {
            assertThat(javaArgs.get(0)).as("the service runs on the PATH's java").endsWith("path-jdk-17/bin/java");
            assertThat(jvm).doesNotContain("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                    .contains("-XX:+UseParallelGC")
                    .noneMatch(a -> a.contains("AOT") || a.contains("Archive"));
            assertThat(run.calls()).hasSize(1);
        } else {
            assertThat(jvm).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        }
        assertThat(jvm).contains("-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void aCollectorNamedInTheOperatorsOptionsReplacesTheServicesDefault() throws Exception {
        fakeJava(jvmDir.resolve("temurin-25"), "25.0.3");
        List<String> jvm = launch(Map.of("YAPTIDE_JAVA_OPTS", "-Xmx2g -XX:+UseG1GC"), "serve").calls().get(0);
        assertThat(jvm).contains("-XX:+UseG1GC", "-Xmx2g").doesNotContain("-XX:+UseParallelGC");
        List<String> other = launch(Map.of("YAPTIDE_JAVA_OPTS", "-Xmx2g"), "serve").calls().get(0);
        assertThat(other).contains("-XX:+UseParallelGC", "-Xmx2g");
    }

    @Test
    void anAdminCommandRunsOnTheNewestJdk25OrLaterAndItsFirstRunMakesTheAheadOfTimeCache() throws Exception {
        fakeJava(jvmDir.resolve("jdk-21"), "21.0.2");
        fakeJava(jvmDir.resolve("temurin-25"), "25.0.3");
        Path cache = checkout.resolve("target/yaptide-store.temurin-25.aot");

        Run first = launch(Map.of(), "list-users");
        assertThat(first.stdout()).as("only the program's output on stdout, not the assembly's")
                .isEqualTo("program ran\n");
        assertThat(first.calls()).hasSize(2);
        assertThat(first.calls().get(0).get(0)).endsWith("jvm/temurin-25/bin/java");
        assertThat(first.calls().get(0)).contains("-XX:AOTMode=record", "-Xlog:disable", "-XX:+DisplayVMOutputToStderr")
                .anyMatch(a -> a.startsWith("-XX:AOTConfiguration=" + cache + "."));
        assertThat(first.calls().get(1)).contains("-XX:AOTMode=create")
                .anyMatch(a -> a.startsWith("-XX:AOTCache=" + cache + ".") && a.endsWith(".partial"));
        assertThat(cache).hasContent("aot cache");
        assertThat(leftovers()).as("no temporary file is left").isEmpty();

        Run second = launch(Map.of(), "list-users");
        assertThat(second.calls()).hasSize(1);
        assertThat(second.calls().get(0)).contains("-XX:AOTCache=" + cache).doesNotContain("-XX:AOTMode=record");
        assertThat(second.stdout()).isEqualTo("program ran\n");
    }

    @Test
    void withoutAJdk25TheJavaOnPathRunsWithAClassDataSharingArchive() throws Exception {
        fakeJava(jvmDir.resolve("jdk-21"), "21.0.2");
        Path archive = checkout.resolve("target/yaptide-store.path-jdk-17.jsa");

        Run first = launch(Map.of(), "list-users");
        assertThat(first.calls()).hasSize(1);
        assertThat(first.calls().get(0).get(0)).endsWith("path-jdk-17/bin/java");
        assertThat(first.calls().get(0)).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=" + archive + "."));
        assertThat(archive).hasContent("cds archive");
        assertThat(leftovers()).isEmpty();

        Run second = launch(Map.of(), "list-users");
        assertThat(second.calls().get(0)).contains("-XX:SharedArchiveFile=" + archive, "-Xshare:auto")
                .noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit"));
    }

    @Test
    void onlyTheOriginalsAdminCommandsMakeTheCacheTheOthersUseIt() throws Exception {
        fakeJava(jvmDir.resolve("temurin-25"), "25.0.3");
        Path cache = checkout.resolve("target/yaptide-store.temurin-25.aot");
        for (String[] args : List.of(new String[] {"--db", "sqlite:///x.db", "db", "upgrade"}, new String[] {"--help"})) {
            Run run = launch(Map.of(), args);
            assertThat(run.calls()).hasSize(1);
            assertThat(run.calls().get(0)).contains("-XX:TieredStopAtLevel=1")
                    .noneMatch(a -> a.startsWith("-XX:AOT"));
            assertThat(cache).doesNotExist();
        }
        launch(Map.of(), "-v", "list-clusters");
        assertThat(cache).exists();
        assertThat(launch(Map.of(), "db", "upgrade").calls().get(0)).contains("-XX:AOTCache=" + cache);
    }

    @Test
    void yaptideAotOffKeepsTheJavaOnPathEvenWithAJdk25Installed() throws Exception {
        fakeJava(jvmDir.resolve("temurin-25"), "25.0.3");
        Run run = launch(Map.of("YAPTIDE_AOT", "off"), "list-users");
        assertThat(run.calls().get(0).get(0)).endsWith("path-jdk-17/bin/java");
    }

    @Test
    void aCacheOlderThanTheJarIsStaleAndTheNextRunMakesANewOne() throws Exception {
        fakeJava(jvmDir.resolve("temurin-25"), "25.0.3");
        Path cache = checkout.resolve("target/yaptide-store.temurin-25.aot");
        Files.writeString(cache, "from before the rebuild");
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(60)));

        Run run = launch(Map.of(), "list-users");
        assertThat(run.calls().get(0)).contains("-XX:AOTMode=record").noneMatch(a -> a.equals("-XX:AOTCache=" + cache));
        assertThat(cache).hasContent("aot cache");
    }

    @Test
    void theCommandsExitCodeSurvivesTheCacheBeingMadeAndAFailedAssemblyLeavesNoCache() throws Exception {
        fakeJava(jvmDir.resolve("temurin-25"), "25.0.3");
        Run run = launch(Map.of("FAKE_JAVA_EXIT", "5", "FAKE_JAVA_CREATE_FAILS", "yes"), "list-users");
        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.stdout()).isEqualTo("program ran\n");
        assertThat(checkout.resolve("target/yaptide-store.temurin-25.aot")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(checkout.resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().contains(".partial")).toList();
        }
    }

    /**
     * A JDK whose java appends "---", then itself and its arguments one per line, to the log; writes
     * what the real one writes for the cache options; prints "program ran" when it runs a program.
     */
    private void fakeJava(Path home, String version) throws IOException {
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        Files.writeString(java, """
                #!/bin/sh
                { echo ---; echo "$0"; for a in "$@"; do printf '%%s\\n' "$a"; done; } >> '%s'
                create=no
                for a in "$@"; do
                  case "$a" in
                    -XX:AOTMode=create) create=yes ;;
                  esac
                done
                for a in "$@"; do
                  case "$a" in
                    -XX:AOTConfiguration=*) [ $create = no ] && echo "aot configuration" > "${a#*=}" ;;
                    -XX:AOTCache=*) if [ $create = yes ] && [ -z "${FAKE_JAVA_CREATE_FAILS:-}" ]; then echo "aot cache" > "${a#*=}"; fi ;;
                    -XX:ArchiveClassesAtExit=*) echo "cds archive" > "${a#*=}" ;;
                  esac
                done
                if [ $create = yes ]; then
                  echo "Reading AOTConfiguration and writing AOTCache"
                  [ -n "${FAKE_JAVA_CREATE_FAILS:-}" ] && exit 1
                  exit 0
                fi
                echo "program ran"
                exit "${FAKE_JAVA_EXIT:-0}"
                """.formatted(log));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exitCode, String stdout, List<List<String>> calls) {
    }

    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of("bash", checkout.resolve("bin/yaptide").toString()));
        command.addAll(List.of(args));
        Path stderr = checkout.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
        pb.environment().put("PATH", checkout.resolve("path-jdk-17/bin") + ":" + System.getenv("PATH"));
        pb.environment().put("YAPTIDE_JVM_DIR", jvmDir.toString());
        pb.environment().remove("YAPTIDE_JAVA_OPTS");
        pb.environment().remove("YAPTIDE_AOT");
        pb.environment().putAll(env);
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(stderr)).as("the launcher says nothing on stderr").isEmpty();
        List<List<String>> calls = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.equals("---")) {
                calls.add(new ArrayList<>());
            } else {
                calls.get(calls.size() - 1).add(line);
            }
        }
        return new Run(p.exitValue(), stdout, calls);
    }
}
