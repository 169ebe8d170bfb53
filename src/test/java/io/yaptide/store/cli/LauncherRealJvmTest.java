package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/yaptide} with the real JVMs of this machine, on a jar holding {@link LauncherProbe}:
 * making the class cache, using it, finding it stale after a rebuild, and two first runs at once,
 * print nothing but the program's own output, on either path (the newest JDK 25 or later under
 * /usr/lib/jvm with its AOT cache, or the PATH's java with a CDS archive; with YAPTIDE_AOT=off, or on
 * a machine without a JDK 25, both runs take the second).
 */
class LauncherRealJvmTest {

    @TempDir
    Path checkout;

    private Path jar;

    @BeforeEach
    void layOutTheCheckoutWithAProbeJar() throws IOException {
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        Files.copy(Path.of("bin/yaptide"), bin.resolve("yaptide"));
        jar = Files.createDirectories(checkout.resolve("target")).resolve("yaptide-store.jar");
        writeProbeJar();
    }

    @ParameterizedTest(name = "YAPTIDE_AOT={0}")
    @ValueSource(strings = {"on", "off"})
    void cachesAreMadeUsedAndRenewedWithoutAWordOnStdoutOrStderr(String aot) throws Exception {
        boolean jdk25 = aot.equals("on") && hasJdk25();
        String suffix = jdk25 ? ".aot" : ".jsa";

        assertThat(launch(aot, "list-users", "--json")).isEqualTo(new Run(0, "probe ran: list-users --json\n", ""));
        List<Path> caches = caches();
        assertThat(caches).as("one cache, complete, no temporary file").hasSize(1)
                .allMatch(c -> c.getFileName().toString().endsWith(suffix));
        long size = Files.size(caches.get(0));
        assertThat(size).isGreaterThan(100_000);

        assertThat(launch(aot, "exit-6", "x")).as("with the cache: same output, exit code kept")
                .isEqualTo(new Run(6, "probe ran: exit-6 x\n", ""));
        assertThat(caches()).containsExactlyElementsOf(caches);

        // a rebuild: the jar is newer than the cache, which the next run replaces
        Files.setLastModifiedTime(caches.get(0), FileTime.from(Instant.now().minusSeconds(120)));
        writeProbeJar();
        assertThat(launch(aot, "list-clusters")).isEqualTo(new Run(0, "probe ran: list-clusters\n", ""));
        assertThat(caches()).hasSize(1);
        assertThat(Files.getLastModifiedTime(caches().get(0)).toInstant()).isAfter(Instant.now().minusSeconds(60));
    }

    @ParameterizedTest(name = "YAPTIDE_AOT={0}")
    @ValueSource(strings = {"on", "off"})
    void twoFirstRunsAtOnceBothSucceedAndLeaveOneCompleteCache(String aot) throws Exception {
        Process a = start(aot, "list-users", "first");
        Process b = start(aot, "list-users", "second");
        assertThat(finish(a)).isEqualTo(new Run(0, "probe ran: list-users first\n", ""));
        assertThat(finish(b)).isEqualTo(new Run(0, "probe ran: list-users second\n", ""));
        assertThat(caches()).hasSize(1);
        assertThat(launch(aot, "list-users", "third")).as("the cache that won is usable")
                .isEqualTo(new Run(0, "probe ran: list-users third\n", ""));
    }

    private static boolean hasJdk25() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return false;
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.map(d -> d.resolve("release")).filter(Files::isRegularFile).anyMatch(release -> {
                try {
                    String v = Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION=\""))
                            .findFirst().orElse("JAVA_VERSION=\"0\"").replaceAll("^JAVA_VERSION=\"([0-9]+).*", "$1");
                    return Integer.parseInt(v) >= 25 && Files.isExecutable(release.resolveSibling("bin/java"));
                } catch (IOException | NumberFormatException e) {
                    return false;
                }
            });
        }
    }

    private List<Path> caches() throws IOException {
        try (Stream<Path> files = Files.list(checkout.resolve("target"))) {
            return files.filter(f -> !f.equals(jar)).sorted().toList();
        }
    }

    private void writeProbeJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    private record Run(int exitCode, String stdout, String stderr) {
    }

    private Process start(String aot, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", checkout.resolve("bin/yaptide").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.remove("YAPTIDE_JAVA_OPTS");
        env.remove("YAPTIDE_JVM_DIR");
        env.put("YAPTIDE_AOT", aot);
        return pb.start();
    }

    private static Run finish(Process p) throws IOException, InterruptedException {
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private Run launch(String aot, String... args) throws IOException, InterruptedException {
        return finish(start(aot, args));
    }
}
