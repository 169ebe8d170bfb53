package io.yaptide.store.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code yaptide serve} as its own process, with the JVM options given (a heap bound such as
 * {@code -Xmx256m}), for measurements and tests whose subject is the service's memory: its heap is
 * its own, not shared with the client that loads it. The JVM writes a GC log ({@link #gcLog()}),
 * from which {@link GcLog} reads the heap in use at each collection, and stops at an
 * OutOfMemoryError instead of limping on.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final URI baseUrl;
    private final Path dir;

    private ServiceProcess(Process process, URI baseUrl, Path dir) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.dir = dir;
    }

    /** Starts {@code serve --port 0} on {@code databaseUrl} with the class path of this JVM. */
    public static ServiceProcess start(String databaseUrl, List<String> jvmOptions, Map<String, String> env) throws IOException {
        Path dir = Files.createTempDirectory("yaptide-service");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // extra options for the service's JVM alone (a profiler, say), as BENCH_JAVA_OPTS is for the bench's
        String extra = System.getenv().getOrDefault("BENCH_SERVICE_JAVA_OPTS", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("-XX:+ExitOnOutOfMemoryError");
        if (!extra.matches(".*-XX:\\+Use\\w*GC\\b.*")) {
            command.add("-XX:+UseParallelGC"); // as bin/yaptide serve starts the service, unless another is asked for
        }
        command.add("-Xlog:gc:file=" + dir.resolve("gc.log"));
        command.add("-Dlogback.configurationFile=logback.xml"); // the packaged configuration, not the tests'
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.yaptide.store.cli.Main",
                "--db", databaseUrl, "serve", "--port", "0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = Pattern.compile("on (http://\\S+) ").matcher(String.valueOf(line));
        if (!m.find()) {
            process.destroyForcibly();
            throw new IOException("the service did not start: " + line + "; " + Files.readString(dir.resolve("stderr")));
        }
        return new ServiceProcess(process, URI.create(m.group(1)), dir);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public Path gcLog() {
        return dir.resolve("gc.log");
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** What the service wrote to standard error so far. */
    public String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr"));
    }

    /** Stops it (SIGTERM, then SIGKILL after 30 s) and removes its files. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    /**
     * The heap figures of a unified GC log ({@code -Xlog:gc}): each collection's line says the heap in
     * use before and after it ({@code 150M->20M(256M)}). The highest "before" is the peak the heap
     * reached (live data and garbage), bounded by -Xmx; the highest "after" bounds what stayed live.
     */
    public record GcLog(double peakBeforeMb, double peakAfterMb, double heapMb, int collections, long length) {
        private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

        /** The collections logged after byte {@code from} of the log. */
        public static GcLog read(Path log, long from) throws IOException {
            byte[] all = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
            String text = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
            double before = 0;
            double after = 0;
            double heap = 0;
            int collections = 0;
            Matcher m = HEAP.matcher(text);
            while (m.find()) {
                collections++;
                before = Math.max(before, mb(m.group(1), m.group(2)));
                after = Math.max(after, mb(m.group(3), m.group(4)));
                heap = Math.max(heap, mb(m.group(5), m.group(6)));
            }
            return new GcLog(before, after, heap, collections, all.length);
        }

        private static double mb(String value, String unit) {
            double v = Double.parseDouble(value);
            return switch (unit) {
                case "K" -> v / 1024;
                case "G" -> v * 1024;
                default -> v;
            };
        }
    }
}
