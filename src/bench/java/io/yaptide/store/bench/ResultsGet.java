package io.yaptide.store.bench;

import io.yaptide.store.http.Tokens;
import io.yaptide.store.results.ResultSetCodec;
import io.yaptide.store.simulations.CreatedSimulation;
import io.yaptide.store.simulations.InputType;
import io.yaptide.store.simulations.NewSimulation;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.simulations.SimulatorType;
import io.yaptide.store.users.PasswordUser;
import io.yaptide.store.users.UserStore;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code results_get}: {@code GET /results} of the fixture's result set (2.56 MB of JSON), plain
 * and with gzip, from the service as its own process, one keep-alive client, as MB/s of JSON:
 * {@code results_get_plain_MBps}, {@code results_get_gzip_MBps}.
 *
 * <p>With {@code BENCH_ORIGINAL_URL} set to the address of the original (github:yaptide/yaptide)
 * serving the same database, the same set is read from it in the same run, by a user made for it
 * with a password (the original's login), and its figures are printed beside ours with the ratios
 * ({@code _original}, {@code _vs_original}). The original is not part of this project: without the
 * variable only our figures are printed. See docs/benchmarks.md for how to run it.
 */
final class ResultsGet implements Workload {
    static final String ORIGINAL_URL = "BENCH_ORIGINAL_URL";
    private static final double SECONDS = 3.0;
    private static final double WARMUP_SECONDS = 1.0;

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        CreatedSimulation sim = ctx.newSimulation(1);
        ctx.results().storeResults(sim.simulation().id(), ResultSetCodec.decode(ctx.resultsFixture()));
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String secretText = HexFormat.of().formatHex(secret);
        String cookie = "Cookie: access_token=" + new Tokens(secretText.getBytes(StandardCharsets.UTF_8), Duration.ofHours(1),
                Duration.ofHours(2), Clock.systemUTC()).issue(ctx.user(), Tokens.Kind.ACCESS).token() + "\r\n";
        double[] ours;
        try (ServiceProcess service = ServiceProcess.start(ctx.db().url().render(true), List.of(),
                Map.of("YAPTIDE_JWT_SECRET", secretText))) {
            ours = measure(service.baseUrl(), "/results?job_id=" + sim.simulation().jobId(), cookie);
        }
        out.print("results_get_plain_MBps", ours[0], "MB/s");
        out.print("results_get_gzip_MBps", ours[1], "MB/s");

        String original = System.getenv(ORIGINAL_URL);
        if (original == null || original.isBlank()) {
            System.err.println("bench: results_get: " + ORIGINAL_URL + " is not set, so the original is not measured"
                    + " (docs/benchmarks.md says how to run it)");
            return;
        }
        // the original logs users in with a password: a user of its own, removed with its data at the end
        String password = UUID.randomUUID().toString();
        UserStore users = new UserStore(ctx.db());
        PasswordUser owner = users.createPasswordUser("bench-original-" + UUID.randomUUID(), password);
        try {
            CreatedSimulation theirs = ctx.simulations().create(new NewSimulation("bench-" + UUID.randomUUID() + "DIRECT",
                    owner.id(), "benchmark", Platform.DIRECT, InputType.EDITOR, SimulatorType.SHIELDHIT, null, 1, 1_000_000,
                    io.yaptide.store.results.Payload.ofJson(Map.of("input_type", "editor")), Instant.now()));
            ctx.results().storeResults(theirs.simulation().id(), ResultSetCodec.decode(ctx.resultsFixture()));
            URI url = URI.create(original.strip());
            String originalCookie = login(url, owner.username(), password);
            double[] theirsFigures = measure(url, "/results?job_id=" + theirs.simulation().jobId(), originalCookie);
            out.print("results_get_plain_MBps_original", theirsFigures[0], "MB/s");
            out.print("results_get_plain_vs_original", ours[0] / theirsFigures[0], "x");
            if (theirsFigures[1] > 0) {
                out.print("results_get_gzip_MBps_original", theirsFigures[1], "MB/s");
                out.print("results_get_gzip_vs_original", ours[1] / theirsFigures[1], "x");
            } else {
                System.err.println("bench: results_get: the original answers without gzip when asked for it; no gzip figure");
            }
        } finally {
            users.delete(owner.id(), true);
        }
    }

    /** MB/s of JSON for the plain answer and for the gzip one (0 when the server does not compress). */
    private static double[] measure(URI base, String path, String cookie) throws Exception {
        try (StreamingHttp http = new StreamingHttp(base)) {
            StreamingHttp.Head first = http.send("GET", path, cookie, 0, null);
            long json = StreamingHttp.lengthAndCrc(http.body())[0];
            if (first.status() != 200) {
                throw new IllegalStateException("GET " + base + path + " answered " + first.status());
            }
            Stopwatch.Run plain = Stopwatch.repeat(WARMUP_SECONDS, SECONDS, () -> read(http, path, cookie, json, false));
            String gzipHeaders = cookie + "Accept-Encoding: gzip\r\n";
            StreamingHttp.Head compressed = http.send("GET", path, gzipHeaders, 0, null);
            StreamingHttp.lengthAndCrc(http.body());
            if (!"gzip".equals(compressed.header("Content-Encoding"))) {
                return new double[] {plain.perSecond() * json / 1e6, 0};
            }
            Stopwatch.Run gzip = Stopwatch.repeat(WARMUP_SECONDS, SECONDS, () -> read(http, path, gzipHeaders, json, true));
            return new double[] {plain.perSecond() * json / 1e6, gzip.perSecond() * json / 1e6};
        }
    }

    private static void read(StreamingHttp http, String path, String headers, long json, boolean gzip) throws IOException {
        StreamingHttp.Head r = http.send("GET", path, headers, 0, null);
        long[] text = gzip ? StreamingHttp.gunzipOneMember(http.body(), java.io.OutputStream.nullOutputStream())
                : StreamingHttp.lengthAndCrc(http.body());
        if (r.status() != 200 || text[0] != json) {
            throw new IllegalStateException("GET " + path + " answered " + r.status() + " with " + text[0] + " bytes of JSON");
        }
    }

    /** Logs in to the original ({@code POST /auth/login}) and returns the Cookie header its answer sets. */
    private static String login(URI base, String username, String password) throws IOException {
        byte[] body = ("{\"username\": \"" + username + "\", \"password\": \"" + password + "\"}").getBytes(StandardCharsets.UTF_8);
        try (StreamingHttp http = new StreamingHttp(base)) {
            StreamingHttp.Head head = http.send("POST", "/auth/login", "", body.length, o -> o.write(body));
            String answer = new String(http.body().readAllBytes(), StandardCharsets.UTF_8);
            String cookies = head.header("Set-Cookie");
            if (head.status() != 202 && head.status() != 200 || cookies == null) {
                throw new IllegalStateException("the original's login answered " + head.status() + ": " + answer);
            }
            StringBuilder cookie = new StringBuilder("Cookie: ");
            for (String c : cookies.split("\n")) {
                cookie.append(cookie.length() > 8 ? "; " : "").append(c.split(";", 2)[0].strip());
            }
            return cookie.append("\r\n").toString();
        }
    }
}
