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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of every endpoint, on both engines: requests made of hostile pieces (NUL and
 * control characters, unpaired surrogates and invalid UTF-8 in query strings, huge and negative
 * numbers, deep nesting, long names, wrong types, bodies that are not JSON, forged cookies, wrong
 * update keys) sent over a real socket to the real service. No answer may be 5xx, and a refused
 * request (4xx) writes no row. The service's dispatcher runs nothing, so rows change only by
 * requests.
 *
 * <p>Profiles: {@value #CI_REQUESTS} requests per engine with seed {@value #CI_SEED} (CI);
 * {@code -Dyaptide.fuzz.requests=10000} for the longer one, {@code -Dyaptide.fuzz.seed=N} for
 * another seed. Request {@code i} is made from its own generator (seed and index), so a failure,
 * reported with both, is replayed alone with {@code -Dyaptide.fuzz.index=i}.
 */
class FuzzTest {
    static final long CI_SEED = 20261202L;
    static final int CI_REQUESTS = 1500;
    /** At most this many failing requests are described in the failure message; all are counted. */
    private static final int FAILURES_SHOWN = 10;

    /** One running service per engine, with a user, a cookie and a job with its key. */
    record Target(TestDatabase db, YaptideServer server, String cookie, String jobId, long simId, String key,
                  HttpClient http) implements AutoCloseable {
        static Target start(Engine engine) throws Exception {
            TestDatabase db = TestDatabases.migrated(engine);
            HttpConfig config = new HttpConfig("127.0.0.1", 0, TestServer.SECRET, false, List.of("http://localhost:3000"),
                    TestServer.MAX_BODY, Duration.ofMinutes(10), Duration.ofHours(2),
                    new HttpConfig.DummyConfig(1, Duration.ofMillis(20), 3, Fixtures.file("json_with_results.json").toString()));
            YaptideServer server = YaptideServer.start(db.database(), config, io.yaptide.store.config.OpsConfig.defaults(),
                    io.yaptide.store.keycloak.KeycloakSettings.none(), url -> new ExternalWorkers());
            ApiClient user = new ApiClient(server.baseUrl()).signedUp("fuzzer");
            String cookie = user.cookies.getCookieStore().getCookies().stream()
                    .map(c -> c.getName() + "=" + c.getValue()).reduce((a, b) -> a + "; " + b).orElseThrow();
            String jobId = user.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit"))
                    .json().path("job_id").asText();
            SimulationStore sims = new SimulationStore(db.database());
            long simId = sims.findByJobId(jobId).orElseThrow().id();
            String key = sims.rotateUpdateKey(simId);
            return new Target(db, server, cookie, jobId, simId, key,
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        }

        @Override
        public void close() {
            server.close();
            db.close();
        }
    }

    @Test
    void sqliteNeverAnswers5xxAndRefusedRequestsWriteNothing() throws Exception {
        fuzz(Engine.SQLITE);
    }

    @Test
    void postgresNeverAnswers5xxAndRefusedRequestsWriteNothing() throws Exception {
        fuzz(Engine.POSTGRES);
    }

    static void fuzz(Engine engine) throws Exception {
        long seed = Long.getLong("yaptide.fuzz.seed", CI_SEED);
        int requests = Integer.getInteger("yaptide.fuzz.requests", CI_REQUESTS);
        Integer only = Integer.getInteger("yaptide.fuzz.index");
        int from = only == null ? 0 : only;
        int to = only == null ? requests : only + 1;
        String name = engine.name().toLowerCase(Locale.ROOT);
        System.out.println("fuzz (" + name + "): seed " + seed + ", requests " + from + ".." + (to - 1));
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int failed = 0;
        long started = System.nanoTime();
        try (Target t = Target.start(engine)) {
            for (int i = from; i < to; i++) {
                Request r = new Pieces(new SplittableRandom(requestSeed(seed, i)), t).request();
                try {
                    statuses.merge(check(t, r), 1, Integer::sum);
                } catch (Exception | AssertionError e) {
                    failed++;
                    String where = "request " + i + " (replay: -Dyaptide.fuzz.seed=" + seed + " -Dyaptide.fuzz.index=" + i + ")";
                    System.out.println("fuzz (" + name + "): FAILED " + where + ": " + clip(String.valueOf(e.getMessage())));
                    if (failures.size() < FAILURES_SHOWN) {
                        failures.add(where + ": " + clip(e.toString()));
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "fuzz (%s): seed %d, %d requests in %.1f s, %d failed, statuses %s%n",
                name, seed, to - from, (System.nanoTime() - started) / 1e9, failed, statuses);
        assertThat(failures).as("%d of %d requests failed on %s with seed %d", failed, to - from, name, seed).isEmpty();
    }

    /** Request i's own seed: the pair goes through a 64-bit mixer so that neighbouring streams do not overlap. */
    static long requestSeed(long seed, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String clip(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "...(" + s.length() + ")" : s;
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

    static final List<String> HOSTILE_TEXT = List.of("", " ", "a\\u0000b", "\\u0000", "sur\\udfff", "\\ud800\\ud800", "\\udbff",
            "x\\n00:00:00.000 INFO  forged", "' OR 1=1 --", "\\\"; DROP TABLE \\\"User\\\"; --", "%s%n", "${jndi:ldap://x}",
            "\\u202e", "dummy", "shieldhit", "editor", "files", "COMPLETED", "1-3,5", "9999999999", "-1", "0", "head");

    static final List<String> QUERY_VALUES = List.of("%00", "a%00b", "%ED%A0%80", "%FF%FE", "%0A%0D", "%C0%AF", "nope", "", "1",
            "-5", "0-99999", "3-1", "99999999999999999999", "%25", "z_profile_");

    static final List<String> QUERY_KEYS = List.of("job_id", "estimator_name", "page_number", "page_numbers", "page_size",
            "page_idx", "order_by", "order_type", "%00", "x");

    static final List<String> SCALARS = List.of("null", "true", "false", "1e400", "-0.0", "1.5", "9".repeat(1100),
            "99999999999999", "2147483648", "-2147483649", "[".repeat(1001) + "]".repeat(1001));

    static final List<String> FIELD_NAMES = List.of("username", "password", "sim_type", "ntasks", "input_type", "input_files",
            "input_json", "title", "simulation_id", "task_id", "update_key", "update_dict", "estimators", "logfiles", "name",
            "pages", "metadata", "page_number", "task_state", "simulated_primaries", "beam", "numberOfParticles", "beam.dat",
            "job_id", "cluster", "a\\u0000", "\\udfff");

    /** Valid-looking bodies, each with one hostile value in place of {@code %s}. */
    static List<String> shapes(Target t) {
        String worker = "\"simulation_id\": " + t.simId() + ", \"update_key\": \"" + t.key() + "\"";
        return List.of(
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
                "{\"simulation_id\": %s, \"update_key\": \"k\", \"estimators\": []}");
    }

    static final List<String> NOT_JSON = List.of("nonsense", "{", "{\"a\":}", "\u0000", "{\"a\": \"\\uZZZZ\"}",
            "{\"a\": 1} trailing", "<xml/>", "username=a&password=b");

    static final List<String> CONTENT_TYPES = List.of("application/json", "application/json", "application/json", "text/plain",
            "application/x-www-form-urlencoded");

    /** Characters a random string is made of: mostly any UTF-16 unit (surrogates included), often the awkward ones. */
    static final String AWKWARD_CHARS = "\u0000\u0001\u001f\u007f\n\r\t\"\\'%&=?#/ \u00a0\u2028\u202e\ufeff\uffff\ud800\udbff\udc00\udfff";

    /** One request's pieces, all drawn from one generator. */
    record Pieces(SplittableRandom random, Target t) {
        Request request() {
            Map<String, String> query = new LinkedHashMap<>();
            for (int n = random.nextInt(4); n > 0; n--) {
                query.put(pick(QUERY_KEYS), random.nextBoolean() ? queryValue() : t.jobId());
            }
            Auth[] auths = Auth.values();
            return new Request(pick(ENDPOINTS), auths[random.nextInt(auths.length)], query, body(), pick(CONTENT_TYPES));
        }

        /** Bodies: none, random JSON, a valid-looking shape with one hostile value, or not JSON at all. */
        String body() {
            return weighted(
                    w(1, () -> ""),
                    w(3, () -> jsonValue(2)),
                    w(6, () -> pick(shapes(t)).replace("%s", jsonValue(2))),
                    w(1, () -> "{\"simulation_id\": " + t.simId() + ", \"update_key\": \"wrong\", \"" + fieldName() + "\": "
                            + jsonValue(2) + "}"),
                    w(1, () -> pick(NOT_JSON)));
        }

        /** A hostile piece of text, already escaped as it goes into JSON. */
        String hostileText() {
            return oneOf(
                    () -> pick(HOSTILE_TEXT),
                    () -> jsonEscape(anyString(40)),
                    () -> lowercase(1000 + random.nextInt(70_000 - 1000 + 1)));
        }

        /** A hostile query value, already percent-encoded. */
        String queryValue() {
            return oneOf(
                    () -> pick(QUERY_VALUES),
                    () -> URLEncoder.encode(anyString(30), StandardCharsets.UTF_8));
        }

        String jsonValue(int depth) {
            Supplier<String> scalar = () -> oneOf(
                    () -> "\"" + hostileText() + "\"",
                    () -> Long.toString(anyLong()),
                    () -> pick(SCALARS));
            if (depth <= 0) {
                return scalar.get();
            }
            return weighted(
                    w(5, scalar),
                    w(2, () -> "[" + String.join(",", list(() -> jsonValue(depth - 1))) + "]"),
                    w(2, () -> "{" + String.join(",", list(() -> "\"" + fieldName() + "\": " + jsonValue(depth - 1))) + "}"));
        }

        String fieldName() {
            return oneOf(() -> pick(FIELD_NAMES), () -> lowercase(60_000));
        }

        /** Up to 4 elements. */
        List<String> list(Supplier<String> element) {
            List<String> out = new ArrayList<>();
            for (int n = random.nextInt(5); n > 0; n--) {
                out.add(element.get());
            }
            return out;
        }

        String anyString(int maxLength) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
                s.append(switch (random.nextInt(4)) {
                    case 0 -> AWKWARD_CHARS.charAt(random.nextInt(AWKWARD_CHARS.length()));
                    case 1 -> (char) (' ' + random.nextInt(95));
                    default -> (char) random.nextInt(Character.MAX_VALUE + 1);
                });
            }
            return s.toString();
        }

        String lowercase(int length) {
            char[] s = new char[length];
            for (int i = 0; i < length; i++) {
                s[i] = (char) ('a' + random.nextInt(26));
            }
            return new String(s);
        }

        long anyLong() {
            return switch (random.nextInt(4)) {
                case 0 -> new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE,
                        Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L}[random.nextInt(9)];
                case 1 -> random.nextLong(-1000, 1001);
                default -> random.nextLong();
            };
        }

        <T> T pick(List<T> choices) {
            return choices.get(random.nextInt(choices.size()));
        }

        String oneOf(Supplier<String>... choices) {
            return choices[random.nextInt(choices.length)].get();
        }

        final String weighted(Weighted... choices) {
            int roll = random.nextInt(java.util.Arrays.stream(choices).mapToInt(Weighted::weight).sum());
            for (Weighted choice : choices) {
                roll -= choice.weight();
                if (roll < 0) {
                    return choice.choice().get();
                }
            }
            throw new AssertionError("unreachable");
        }
    }

    record Weighted(int weight, Supplier<String> choice) {
    }

    static Weighted w(int weight, Supplier<String> choice) {
        return new Weighted(weight, choice);
    }

    record Request(Endpoint endpoint, Auth auth, Map<String, String> query, String body, String contentType) {
        @Override
        public String toString() {
            String b = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "...(" + body.length() + ")" : body;
            return endpoint.method() + " " + endpoint.path() + " " + query + " auth=" + auth + " " + contentType + " " + b;
        }
    }

    /** Sends one request; returns its status after checking it is below 500 and, if refused, wrote no row. */
    static int check(Target t, Request r) throws Exception {
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
        assertThat(response.statusCode()).as("%s -> %s", r, response.body()).isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(SeedRows.counts(t.db().jdbi())).as("rows after the refused %s -> %s", r, response.body()).isEqualTo(before);
        }
        return response.statusCode();
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
