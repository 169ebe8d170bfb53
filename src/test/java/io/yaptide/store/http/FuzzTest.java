package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.dispatch.ExternalWorkers;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Seeded fuzzing of every endpoint, on both engines: requests made of hostile pieces (NUL and
 * control characters, unpaired surrogates and invalid UTF-8 in query strings, huge and negative
 * numbers, deep nesting, long names, wrong types, bodies that are not JSON, forged cookies, wrong
 * update keys) sent over a real socket to the real service. No answer may be 5xx, and a refused
 * request (4xx) writes no row. The service's dispatcher runs nothing, so rows change only by
 * requests. The CI profile sends {@code jqwik.tries.default} requests per engine
 * (junit-platform.properties); the seed is fixed, so a failure is reproduced by running it again.
 */
class FuzzTest {
    static final String SEED = "20261202";

    /** One running service per engine, made on first use, with a user, a cookie and a job with its key. */
    record Target(TestDatabase db, YaptideServer server, String cookie, String jobId, long simId, String key,
                  HttpClient http, AtomicInteger requests, Map<Integer, AtomicInteger> statuses) {
    }

    private static final Map<Engine, Target> TARGETS = new EnumMap<>(Engine.class);

    static synchronized Target target(Engine engine) throws Exception {
        Target t = TARGETS.get(engine);
        if (t == null) {
            TestDatabase db = TestDatabases.migrated(engine);
            HttpConfig config = new HttpConfig("127.0.0.1", 0, TestServer.SECRET, false, List.of("http://localhost:3000"),
                    TestServer.MAX_BODY, Duration.ofMinutes(10), Duration.ofHours(2),
                    new HttpConfig.DummyConfig(1, Duration.ofMillis(20), 3, Fixtures.file("json_with_results.json").toString()));
            YaptideServer server = YaptideServer.start(db.database(), config, url -> new ExternalWorkers());
            ApiClient user = new ApiClient(server.baseUrl()).signedUp("fuzzer");
            String cookie = user.cookies.getCookieStore().getCookies().stream()
                    .map(c -> c.getName() + "=" + c.getValue()).reduce((a, b) -> a + "; " + b).orElseThrow();
            String jobId = user.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit"))
                    .json().path("job_id").asText();
            SimulationStore sims = new SimulationStore(db.database());
            long simId = sims.findByJobId(jobId).orElseThrow().id();
            String key = sims.rotateUpdateKey(simId);
            t = new Target(db, server, cookie, jobId, simId, key,
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), new AtomicInteger(),
                    new java.util.concurrent.ConcurrentHashMap<>());
            TARGETS.put(engine, t);
        }
        return t;
    }

    @AfterContainer
    static synchronized void stop() {
        TARGETS.forEach((engine, t) -> {
            System.out.println("fuzz (" + engine.name().toLowerCase(java.util.Locale.ROOT) + "): " + t.requests() + " requests, statuses "
                    + new java.util.TreeMap<>(t.statuses()));
            t.server().close();
            t.db().close();
        });
        TARGETS.clear();
    }

    // ---- the requests ---------------------------------------------------------------------------

    record Endpoint(String method, String path) {
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/"), new Endpoint("GET", "/openapi.json"),
            new Endpoint("PUT", "/auth/register"), new Endpoint("POST", "/auth/login"), new Endpoint("GET", "/auth/refresh"),
            new Endpoint("GET", "/auth/status"), new Endpoint("DELETE", "/auth/logout"),
            new Endpoint("GET", "/jobs"), new Endpoint("GET", "/jobs/direct"), new Endpoint("POST", "/jobs/direct"),
            new Endpoint("DELETE", "/jobs/direct"), new Endpoint("GET", "/jobs/batch"), new Endpoint("POST", "/jobs/batch"),
            new Endpoint("DELETE", "/jobs/batch"), new Endpoint("POST", "/tasks"), new Endpoint("POST", "/results"),
            new Endpoint("GET", "/results"), new Endpoint("GET", "/inputs"), new Endpoint("POST", "/logfiles"),
            new Endpoint("GET", "/logfiles"), new Endpoint("GET", "/user/simulations"), new Endpoint("DELETE", "/user/simulations"),
            new Endpoint("GET", "/user/clusters"), new Endpoint("GET", "/clusters"),
            new Endpoint("GET", "/no/such/route"));

    enum Auth { NONE, USER, FORGED }

    /** A hostile piece of text, already as it goes into JSON (escaped) or a query (percent-encoded). */
    static Arbitrary<String> hostileText() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "a\\u0000b", "\\u0000", "sur\\udfff", "\\ud800\\ud800", "\\udbff", "x\\n00:00:00.000 INFO  forged",
                        "' OR 1=1 --", "\\\"; DROP TABLE \\\"User\\\"; --", "%s%n", "${jndi:ldap://x}", "\\u202e", "dummy", "shieldhit",
                        "editor", "files", "COMPLETED", "1-3,5", "9999999999", "-1", "0", "head"),
                Arbitraries.strings().ofMaxLength(40).map(FuzzTest::jsonEscape),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1000).ofMaxLength(70_000));
    }

    static Arbitrary<String> queryValue() {
        return Arbitraries.oneOf(
                Arbitraries.of("%00", "a%00b", "%ED%A0%80", "%FF%FE", "%0A%0D", "%C0%AF", "nope", "", "1", "-5", "0-99999",
                        "3-1", "99999999999999999999", "%25", "z_profile_"),
                Arbitraries.strings().ofMaxLength(30).map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8)));
    }

    static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                hostileText().map(s -> "\"" + s + "\""),
                Arbitraries.longs().map(Object::toString),
                Arbitraries.of("null", "true", "false", "1e400", "-0.0", "1.5", "9".repeat(1100), "99999999999999",
                        "2147483648", "-2147483649", "[" .repeat(1001) + "]".repeat(1001)));
        if (depth <= 0) {
            return scalar;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, scalar),
                net.jqwik.api.Tuple.of(2, jsonValue(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]")),
                net.jqwik.api.Tuple.of(2, Combinators.combine(fieldName(), jsonValue(depth - 1)).as((k, v) -> "\"" + k + "\": " + v)
                        .list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}")));
    }

    static Arbitrary<String> fieldName() {
        return Arbitraries.oneOf(
                Arbitraries.of("username", "password", "sim_type", "ntasks", "input_type", "input_files", "input_json", "title",
                        "simulation_id", "task_id", "update_key", "update_dict", "estimators", "logfiles", "name", "pages",
                        "metadata", "page_number", "task_state", "simulated_primaries", "beam", "numberOfParticles", "beam.dat",
                        "job_id", "cluster", "a\\u0000", "\\udfff"),
                Arbitraries.strings().withCharRange('a', 'z').ofLength(60_000));
    }

    /** Bodies: none, random JSON, a valid-looking shape with one hostile value, or not JSON at all. */
    static Arbitrary<String> body(Target t) {
        String worker = "\"simulation_id\": " + t.simId() + ", \"update_key\": \"" + t.key() + "\"";
        Arbitrary<String> field = fieldName();
        Arbitrary<String> value = jsonValue(2);
        Arbitrary<String> shaped = Combinators.combine(Arbitraries.of(
                        "{\"username\": %s, \"password\": \"x\"}",
                        "{\"sim_type\": \"shieldhit\", \"ntasks\": 1, \"input_type\": \"files\", \"input_files\": {\"beam.dat\": %s}}",
                        "{\"sim_type\": \"shieldhit\", \"ntasks\": %s, \"input_type\": \"editor\", \"input_json\": {}}",
                        "{\"sim_type\": \"shieldhit\", \"ntasks\": 1, \"input_type\": \"editor\", \"input_json\": {\"beam\": "
                                + "{\"numberOfParticles\": %s}}}",
                        "{\"sim_type\": \"shieldhit\", \"ntasks\": 1, \"title\": %s, \"input_type\": \"editor\", \"input_json\": {}}",
                        "{" + worker + ", \"task_id\": 0, \"update_dict\": %s}",
                        "{" + worker + ", \"task_id\": %s, \"update_dict\": {\"task_state\": \"RUNNING\"}}",
                        "{" + worker + ", \"estimators\": %s}",
                        "{" + worker + ", \"estimators\": [{\"name\": %s, \"metadata\": {}, \"pages\": []}]}",
                        "{" + worker + ", \"logfiles\": %s}",
                        "{\"simulation_id\": %s, \"update_key\": \"k\", \"estimators\": []}"),
                value).as((template, v) -> template.replace("%s", v));
        Arbitrary<String> wrongKey = Combinators.combine(field, value)
                .as((k, v) -> "{\"simulation_id\": " + t.simId() + ", \"update_key\": \"wrong\", \"" + k + "\": " + v + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(3, value),
                net.jqwik.api.Tuple.of(6, shaped),
                net.jqwik.api.Tuple.of(1, wrongKey),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("nonsense", "{", "{\"a\":}", "\u0000", "{\"a\": \"\\uZZZZ\"}",
                        "{\"a\": 1} trailing", "<xml/>", "username=a&password=b")));
    }

    record Request(Endpoint endpoint, Auth auth, Map<String, String> query, String body, String contentType) {
        @Override
        public String toString() {
            String b = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "...(" + body.length() + ")" : body;
            return endpoint.method() + " " + endpoint.path() + " " + query + " auth=" + auth + " " + contentType + " " + b;
        }
    }

    static Arbitrary<Request> requests(Target t) {
        Arbitrary<Map<String, String>> query = Arbitraries.maps(
                Arbitraries.of("job_id", "estimator_name", "page_number", "page_numbers", "page_size", "page_idx", "order_by",
                        "order_type", "%00", "x"),
                Arbitraries.oneOf(queryValue(), Arbitraries.just(t.jobId()))).ofMaxSize(3);
        return Combinators.combine(Arbitraries.of(ENDPOINTS), Arbitraries.of(Auth.class), query, body(t),
                        Arbitraries.of("application/json", "application/json", "application/json", "text/plain",
                                "application/x-www-form-urlencoded"))
                .as(Request::new);
    }

    @Provide
    Arbitrary<Request> sqliteRequests() throws Exception {
        return requests(target(Engine.SQLITE));
    }

    @Provide
    Arbitrary<Request> postgresRequests() throws Exception {
        return requests(target(Engine.POSTGRES));
    }

    @Property(seed = SEED, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void sqliteNeverAnswers5xxAndRefusedRequestsWriteNothing(@ForAll("sqliteRequests") Request r) throws Exception {
        check(target(Engine.SQLITE), r);
    }

    @Property(seed = SEED, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void postgresNeverAnswers5xxAndRefusedRequestsWriteNothing(@ForAll("postgresRequests") Request r) throws Exception {
        check(target(Engine.POSTGRES), r);
    }

    static void check(Target t, Request r) throws Exception {
        StringBuilder q = new StringBuilder();
        r.query().forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=').append(v));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.server().baseUrl() + r.endpoint().path() + q))
                .timeout(Duration.ofSeconds(30));
        switch (r.auth()) {
            case USER -> b.header("Cookie", t.cookie());
            case FORGED -> b.header("Cookie", "access_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.; refresh_token=%00");
            default -> {
            }
        }
        boolean hasBody = !r.endpoint().method().equals("GET") && !r.endpoint().method().equals("DELETE") && !r.body().isEmpty();
        if (hasBody) {
            b.header("Content-Type", r.contentType());
        }
        b.method(r.endpoint().method(), hasBody ? HttpRequest.BodyPublishers.ofString(r.body(), StandardCharsets.UTF_8)
                : HttpRequest.BodyPublishers.noBody());
        Map<String, Long> before = SeedRows.counts(t.db().jdbi());
        HttpResponse<String> response = t.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
        t.requests().incrementAndGet();
        t.statuses().computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        assertThat(response.statusCode()).as("%s -> %s", r, response.body()).isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(SeedRows.counts(t.db().jdbi())).as("rows after the refused %s -> %s", r, response.body()).isEqualTo(before);
        }
    }

    private static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
