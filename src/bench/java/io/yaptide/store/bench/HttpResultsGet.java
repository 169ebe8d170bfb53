package io.yaptide.store.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.results.EstimatorResult;
import io.yaptide.store.results.Payload;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultSetCodec;
import io.yaptide.store.results.ResultSetCodec.EstimatorPages;
import io.yaptide.store.results.StrictGunzip;
import io.yaptide.store.simulations.CreatedSimulation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code http_results_get}: {@code GET /results} of the fixture's result set (4 estimators, 18
 * pages, 2.5 MB of JSON as posted) over loopback, one client, as MB/s of result JSON delivered.
 * Four ways: the stored deflate data spliced into one gzip member (client accepts gzip: the fast
 * path); pages decompressed and spliced (client does not accept gzip); the same results stored as
 * the original stores them (gzip level 9, which cannot be spliced), recompressed at level 1 when
 * served ({@code http_results_get_original_stored}); and, for comparison, what a server does
 * that decompresses every page, parses it, serialises the response and gzips it at a server's
 * default level (measured in-process, without the database read and without HTTP, so the
 * comparison flatters it).
 */
final class HttpResultsGet implements Workload {
    private static final double SECONDS = 3.0;
    private static final double WARMUP_SECONDS = 1.0;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The gzip level of the comparison: what a server compressing such a response on the fly uses
     * by default. Javalin, which this service runs on, compresses responses at level 6 (its
     * {@code Gzip} default), as do Jetty's GzipHandler and Flask-Compress (zlib's default); nginx
     * uses 1 by default, printed as {@code http_results_reserialize_level1} for comparison.
     */
    static final int SERVER_GZIP_LEVEL = 6;

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        CreatedSimulation sim = ctx.newSimulation(1);
        long simId = sim.simulation().id();
        ctx.results().storeResults(simId, ResultSetCodec.decode(ctx.resultsFixture()));
        List<EstimatorPages> stored = ctx.results().resultSet(simId);
        try (HttpBench bench = new HttpBench(ctx);
             LoopbackClient client = new LoopbackClient(bench.server.baseUrl())) {
            String path = "/results?job_id=" + URLEncoder.encode(sim.simulation().jobId(), StandardCharsets.UTF_8);
            String cookie = "Cookie: " + bench.cookieFor(ctx.user()) + "\r\n";
            String gzipHeaders = cookie + "Accept-Encoding: gzip\r\n";
            LoopbackClient.Response plain = client.send("GET", path, cookie, null);
            if (plain.status() != 200 || plain.header("Content-Encoding") != null) {
                throw new IllegalStateException("GET /results answered " + plain.status() + ": " + plain.text());
            }
            byte[] json = plain.body();
            double jsonMegabytes = json.length / 1e6;
            // the gzip answer is checked in full once: it must decode to exactly the plain answer;
            // the timed requests then must match it in status, encoding and length
            LoopbackClient.Response first = client.send("GET", path, gzipHeaders, null);
            if (first.status() != 200 || !"gzip".equals(first.header("Content-Encoding"))
                    || !Arrays.equals(gunzip(first.body()), json)) {
                throw new IllegalStateException("GET /results with gzip answered " + first.status()
                        + " without a gzip body that decodes to the plain answer");
            }
            int gzipLength = first.body().length;

            Stopwatch.Run passthrough = Stopwatch.repeat(WARMUP_SECONDS, SECONDS, () -> {
                LoopbackClient.Response r = client.send("GET", path, gzipHeaders, null);
                if (r.status() != 200 || !"gzip".equals(r.header("Content-Encoding")) || r.body().length != gzipLength
                        || (r.body()[0] & 0xff) != 0x1f || (r.body()[1] & 0xff) != 0x8b) {
                    throw new IllegalStateException("GET /results with gzip answered " + r.status() + ", "
                            + r.body().length + " bytes (expected " + gzipLength + " of gzip)");
                }
            });
            Stopwatch.Run spliced = Stopwatch.repeat(WARMUP_SECONDS, SECONDS, () -> {
                LoopbackClient.Response r = client.send("GET", path, cookie, null);
                if (r.status() != 200 || r.body().length != json.length) {
                    throw new IllegalStateException("GET /results answered " + r.status() + ", " + r.body().length
                            + " bytes (expected " + json.length + ")");
                }
            });
            // the same results stored as the original stores them (gzip level 9, not spliceable):
            // recompressed at serving time
            CreatedSimulation adopted = ctx.newSimulation(1);
            ctx.results().storeResults(adopted.simulation().id(), asTheOriginalStores(ResultSetCodec.decode(ctx.resultsFixture())));
            String adoptedPath = "/results?job_id=" + URLEncoder.encode(adopted.simulation().jobId(), StandardCharsets.UTF_8);
            LoopbackClient.Response adoptedFirst = client.send("GET", adoptedPath, gzipHeaders, null);
            byte[] adoptedJson = client.send("GET", adoptedPath, cookie, null).body(); // its own job id in the message
            if (adoptedFirst.status() != 200 || !Arrays.equals(gunzip(adoptedFirst.body()), adoptedJson)) {
                throw new IllegalStateException("GET /results of the original's stored form answered " + adoptedFirst.status()
                        + " without one gzip member that decodes to the plain answer");
            }
            int adoptedLength = adoptedFirst.body().length;
            Stopwatch.Run recompressed = Stopwatch.repeat(WARMUP_SECONDS, SECONDS, () -> {
                LoopbackClient.Response r = client.send("GET", adoptedPath, gzipHeaders, null);
                if (r.status() != 200 || r.body().length != adoptedLength) {
                    throw new IllegalStateException("GET /results with gzip answered " + r.status() + ", "
                            + r.body().length + " bytes (expected " + adoptedLength + ")");
                }
            });
            Stopwatch.Run reserialized = Stopwatch.repeat(WARMUP_SECONDS, SECONDS,
                    () -> decompressAndReserialize(stored, SERVER_GZIP_LEVEL));
            Stopwatch.Run reserializedFastest = Stopwatch.repeat(WARMUP_SECONDS, SECONDS,
                    () -> decompressAndReserialize(stored, Deflater.BEST_SPEED));

            double fast = passthrough.perSecond() * jsonMegabytes;
            double naive = reserialized.perSecond() * jsonMegabytes;
            out.print("http_results_get", fast, "MB/s");
            out.print("http_results_get_plain", spliced.perSecond() * jsonMegabytes, "MB/s");
            out.print("http_results_get_original_stored", recompressed.perSecond() * jsonMegabytes, "MB/s");
            out.print("http_results_reserialize", naive, "MB/s");
            out.print("http_results_get_speedup", fast / naive, "x");
            out.print("http_results_reserialize_level1", reserializedFastest.perSecond() * jsonMegabytes, "MB/s");
        }
    }

    /** As a browser decodes it: exactly one gzip member. */
    private static byte[] gunzip(byte[] gzip) {
        return StrictGunzip.decode(gzip);
    }

    /** The same estimators with every document gzipped as the original does it (level 9, plain gzip). */
    private static List<EstimatorResult> asTheOriginalStores(List<EstimatorResult> estimators) throws IOException {
        List<EstimatorResult> original = new ArrayList<>();
        for (EstimatorResult e : estimators) {
            List<EstimatorResult.PageData> pages = new ArrayList<>();
            for (EstimatorResult.PageData page : e.pages()) {
                pages.add(new EstimatorResult.PageData(page.pageNumber(), levelNine(page.data())));
            }
            original.add(new EstimatorResult(e.name(), e.metadata() == null ? null : levelNine(e.metadata()), pages));
        }
        return original;
    }

    private static Payload levelNine(Payload payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(payload.jsonBytes());
        }
        return Payload.ofCompressed(bytes.toByteArray());
    }

    /** The slow way: every stored document decoded to a tree, the response built and gzipped anew. */
    private static byte[] decompressAndReserialize(List<EstimatorPages> stored, int level) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("message", "Results");
        ArrayNode estimators = body.putArray("estimators");
        for (EstimatorPages e : stored) {
            ObjectNode estimator = estimators.addObject();
            Payload metadata = e.estimator().metadata();
            estimator.set("metadata", metadata == null ? null : metadata.json());
            estimator.put("name", e.estimator().name());
            ArrayNode pages = estimator.putArray("pages");
            for (ResultPage page : e.pages()) {
                JsonNode data = page.data().json();
                pages.add(data);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {
            {
                def.setLevel(level);
            }
        }) {
            JSON.writeValue(gz, body);
        }
        return bytes.toByteArray();
    }
}
