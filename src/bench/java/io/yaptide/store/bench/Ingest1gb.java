package io.yaptide.store.bench;

import io.yaptide.store.http.Tokens;
import io.yaptide.store.simulations.Simulation;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code ingest_1gb}: a worker's {@code POST /results} of about 1 GB of JSON (the fixture's
 * estimators repeated, each copy under its own name: 390 copies, 1,560 estimators, 7,020 pages of
 * up to 300 KB) to the service running as its own process with {@code -Xmx256m}, then the set read
 * back with {@code GET /results}, plain and gzip, over one keep-alive connection from this JVM.
 *
 * <p>The service is warmed up first, as one that workers report to is: {@value #WARMUP_POSTS} posts of
 * about 150 MB, each read back; {@code ingest_1gb_first_post_MBps} is the first of them, into the
 * freshly started JVM while its JIT compiles.
 *
 * <p>Figures: {@code ingest_1gb_MBps} (MB of JSON per second, from the first byte sent to the
 * answer), the service's heap from its GC log ({@code ingest_1gb_peak_heap_mb}: the highest heap in
 * use at any collection while storing; {@code _after_gc}: the highest left after one, an upper bound
 * of what stayed live), and for each read MB/s of JSON and the heap peak while reading. Every answer
 * is checked: 202 for the post; the gzip answer decoded as a browser does (one member, nothing
 * after it) to the same length and CRC-32 as the plain one; the service alive at the end, with no
 * OutOfMemoryError (it runs with {@code -XX:+ExitOnOutOfMemoryError}). {@code -Dbench.scale}
 * scales the size (tests).
 */
final class Ingest1gb implements Workload {
    static final long BODY_BYTES = 1_000_000_000L;
    static final String HEAP = "-Xmx256m";
    /** Warm-up posts before the timed one, each of about this many bytes, each read back plain and gzip. */
    static final int WARMUP_POSTS = 3;
    static final long WARMUP_BYTES = 150_000_000L;

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        RepeatedResultSet set = new RepeatedResultSet(ctx.resultsFixture());
        Simulation sim = ctx.newSimulation(1).simulation();
        String key = ctx.simulations().rotateUpdateKey(sim.id());
        int repetitions = set.repetitionsFor((long) (BODY_BYTES * Stopwatch.scale()));
        long length = set.length(sim.id(), key, repetitions);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String secretText = HexFormat.of().formatHex(secret);
        String cookie = "Cookie: access_token=" + new Tokens(secretText.getBytes(StandardCharsets.UTF_8), Duration.ofHours(1),
                Duration.ofHours(2), Clock.systemUTC()).issue(ctx.user(), Tokens.Kind.ACCESS).token() + "\r\n";
        System.err.printf("bench: ingest_1gb posts %d MB (%d estimators) to a service at %s%n",
                length / 1_000_000, repetitions * set.estimatorsPerRepetition(), HEAP);

        double compressReference = compressOneCore(ctx.resultsFixture());

        try (ServiceProcess service = ServiceProcess.start(ctx.db().url().render(true), List.of(HEAP),
                Map.of("YAPTIDE_JWT_SECRET", secretText, "YAPTIDE_MAX_RESULTS_BODY_BYTES", Long.toString(4 * BODY_BYTES)));
             StreamingHttp http = new StreamingHttp(service.baseUrl())) {
            // untimed warm-up: a service that workers report to has stored and served results before,
            // and in a JVM started for this run the JIT spent a third of the machine's CPU compiling
            // the parser and the pipeline during the gigabyte itself (perf, 2026-12-02)
            double firstPost = 0;
            for (int i = 0; i < WARMUP_POSTS; i++) {
                Simulation warm = ctx.newSimulation(1).simulation();
                String warmKey = ctx.simulations().rotateUpdateKey(warm.id());
                int warmRepetitions = set.repetitionsFor((long) (WARMUP_BYTES * Stopwatch.scale()));
                long warmLength = set.length(warm.id(), warmKey, warmRepetitions);
                long t0 = System.nanoTime();
                postResults(http, set, warm.id(), warmKey, warmRepetitions, warmLength, "warm-up POST /results");
                if (i == 0) {
                    firstPost = warmLength / ((System.nanoTime() - t0) / 1e9) / 1e6;
                }
                String warmPath = "/results?job_id=" + warm.jobId();
                http.send("GET", warmPath, cookie, 0, null);
                StreamingHttp.lengthAndCrc(http.body());
                http.send("GET", warmPath, cookie + "Accept-Encoding: gzip\r\n", 0, null);
                StreamingHttp.lengthAndCrc(http.body());
                System.err.printf("bench: ingest_1gb warm-up %d of %d: %d MB posted and read back%n", i + 1, WARMUP_POSTS,
                        warmLength / 1_000_000);
            }
            long startLog = ServiceProcess.GcLog.read(service.gcLog(), 0).length();
            long start = System.nanoTime();
            postResults(http, set, sim.id(), key, repetitions, length, "POST /results");
            double seconds = (System.nanoTime() - start) / 1e9;
            ServiceProcess.GcLog storing = ServiceProcess.GcLog.read(service.gcLog(), startLog);

            String path = "/results?job_id=" + sim.jobId();
            long plainStart = System.nanoTime();
            StreamingHttp.Head plain = http.send("GET", path, cookie, 0, null);
            long[] plainText = StreamingHttp.lengthAndCrc(http.body());
            double plainSeconds = (System.nanoTime() - plainStart) / 1e9;
            check(plain, plainText[0] > length - 1_000_000, "GET /results", plainText[0]);

            long gzipStart = System.nanoTime();
            StreamingHttp.Head gzip = http.send("GET", path, cookie + "Accept-Encoding: gzip\r\n", 0, null);
            long gzipBytes = StreamingHttp.lengthAndCrc(http.body())[0];
            double gzipSeconds = (System.nanoTime() - gzipStart) / 1e9;
            check(gzip, "gzip".equals(gzip.header("Content-Encoding")), "GET /results with gzip", gzipBytes);
            ServiceProcess.GcLog reading = ServiceProcess.GcLog.read(service.gcLog(), storing.length());

            // untimed: the gzip answer decodes, as one member, to the plain answer
            http.send("GET", path, cookie + "Accept-Encoding: gzip\r\n", 0, null);
            long[] decoded = StreamingHttp.gunzipOneMember(http.body(), OutputStream.nullOutputStream());
            if (decoded[0] != plainText[0] || decoded[1] != plainText[1]) {
                throw new IllegalStateException("the gzip answer does not decode to the plain answer");
            }
            if (!service.alive() || service.stderr().contains("OutOfMemoryError")) {
                throw new IllegalStateException("the service ran out of memory: " + service.stderr());
            }
            out.print("ingest_1gb_MBps", length / seconds / 1e6, "MB/s");
            out.print("ingest_1gb_first_post_MBps", firstPost, "MB/s");
            out.print("ingest_1gb_peak_heap_mb", storing.peakBeforeMb(), "MB");
            out.print("ingest_1gb_peak_heap_after_gc_mb", storing.peakAfterMb(), "MB");
            out.print("ingest_1gb_get_plain_MBps", plainText[0] / plainSeconds / 1e6, "MB/s");
            out.print("ingest_1gb_get_gzip_MBps", plainText[0] / gzipSeconds / 1e6, "MB/s");
            out.print("ingest_1gb_get_peak_heap_mb", reading.peakBeforeMb(), "MB");
            out.print("ingest_1gb_gzip_ratio", (double) plainText[0] / gzipBytes, "x");
            out.print("ingest_1gb_compress_1core_MBps", compressReference, "MB/s");
            out.print("ingest_1gb_vs_compress_1core", length / seconds / 1e6 / compressReference, "x");
        }
    }

    /**
     * The reference taken in the same run: MB/s at which this JVM compresses the fixture's pages as
     * the service stores them (gzip level 1, one thread), for about two seconds after a warm-up. On a
     * loaded machine both figures fall; their ratio says how much of one core's compression speed
     * the whole path (parse, compress on all cores, insert, commit) achieved.
     */
    private static double compressOneCore(byte[] fixture) throws Exception {
        List<io.yaptide.store.results.EstimatorResult> set = io.yaptide.store.results.ResultSetCodec.decode(fixture);
        List<byte[]> pages = new java.util.ArrayList<>();
        for (var e : set) {
            for (var p : e.pages()) {
                pages.add(p.data().jsonBytes());
            }
        }
        long bytes = pages.stream().mapToLong(b -> b.length).sum();
        Stopwatch.Run run = Stopwatch.repeat(1.0, 2.0, () -> {
            for (byte[] page : pages) {
                io.yaptide.store.results.Payload.ofJsonBytes(page);
            }
        });
        return run.perSecond() * bytes / 1e6;
    }

    /** Posts {@code repetitions} of the set for one simulation and reads the answer, which must be 202. */
    private static void postResults(StreamingHttp http, RepeatedResultSet set, long simulationId, String key, int repetitions,
                                    long length, String what) throws IOException {
        StreamingHttp.Head head = http.send("POST", "/results", "", length, body -> {
            OutputStream buffered = new BufferedOutputStream(body, 1 << 16);
            set.writeTo(buffered, simulationId, key, repetitions);
            buffered.flush();
        });
        String answer = new String(http.body().readAllBytes(), StandardCharsets.UTF_8);
        if (head.status() != 202) {
            throw new IllegalStateException(what + " answered " + head.status() + ": " + answer);
        }
    }

    private static void check(StreamingHttp.Head head, boolean ok, String what, long bytes) throws IOException {
        if (head.status() != 200 || !ok) {
            throw new IllegalStateException(what + " answered " + head.status() + " with " + bytes + " bytes");
        }
    }
}
