package io.yaptide.store.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.results.Payload;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultSetCodec;
import io.yaptide.store.results.ResultSetCodec.EstimatorPages;
import io.yaptide.store.simulations.CreatedSimulation;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code http_results_get}: {@code GET /results} of the fixture's result set (4 estimators, 18
 * pages, 2.5 MB of JSON as posted) over loopback, one client, as MB/s of result JSON delivered.
 * Three ways: the stored gzip members passed through (client accepts gzip: the fast path); pages
 * decompressed and spliced (client does not accept gzip); and, for comparison, what a server does
 * that decompresses every page, parses it, serialises the response and gzips it (measured
 * in-process, without HTTP, so the comparison flatters it).
 */
final class HttpResultsGet implements Workload {
    private static final double SECONDS = 3.0;
    private static final double WARMUP_SECONDS = 1.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        CreatedSimulation sim = ctx.newSimulation(1);
        long simId = sim.simulation().id();
        ctx.results().storeResults(simId, ResultSetCodec.decode(ctx.resultsFixture()));
        List<EstimatorPages> stored = ctx.results().resultSet(simId);
        try (HttpBench bench = new HttpBench(ctx)) {
            String cookie = bench.cookieFor(ctx.user().id());
            HttpRequest.Builder request = HttpRequest.newBuilder(bench.server.baseUrl().resolve("/results?job_id="
                            + URLEncoder.encode(sim.simulation().jobId(), StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(30)).header("Cookie", cookie);
            HttpResponse<byte[]> plain = bench.client.send(request.copy().GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (plain.statusCode() != 200) {
                throw new IllegalStateException("GET /results answered " + plain.statusCode());
            }
            double jsonMegabytes = plain.body().length / 1e6;

            HttpRequest gzip = request.copy().header("Accept-Encoding", "gzip").GET().build();
            Stopwatch.Run passthrough = Stopwatch.repeat(WARMUP_SECONDS, SECONDS, () -> {
                HttpResponse<byte[]> r = bench.client.send(gzip, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200 || !"gzip".equals(r.headers().firstValue("Content-Encoding").orElse(""))) {
                    throw new IllegalStateException("GET /results with gzip answered " + r.statusCode());
                }
            });
            HttpRequest identity = request.copy().GET().build();
            Stopwatch.Run spliced = Stopwatch.repeat(WARMUP_SECONDS, SECONDS, () ->
                    bench.client.send(identity, HttpResponse.BodyHandlers.ofByteArray()));
            Stopwatch.Run reserialized = Stopwatch.repeat(WARMUP_SECONDS, SECONDS, () -> decompressAndReserialize(stored));

            double fast = passthrough.perSecond() * jsonMegabytes;
            double naive = reserialized.perSecond() * jsonMegabytes;
            out.print("http_results_get", fast, "MB/s");
            out.print("http_results_get_plain", spliced.perSecond() * jsonMegabytes, "MB/s");
            out.print("http_results_reserialize", naive, "MB/s");
            out.print("http_results_get_speedup", fast / naive, "x");
        }
    }

    /** The slow way: every stored document decoded to a tree, the response built and gzipped anew. */
    private static byte[] decompressAndReserialize(List<EstimatorPages> stored) throws Exception {
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
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            JSON.writeValue(gz, body);
        }
        return bytes.toByteArray();
    }
}
