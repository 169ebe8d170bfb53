package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yaptide.store.bench.RepeatedResultSet;
import io.yaptide.store.bench.StreamingHttp;
import io.yaptide.store.results.Payload;
import io.yaptide.store.results.ResultSetCodec;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.SimulationSeeds;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.HttpCookie;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code POST /results} is read from the socket and stored page by page, {@code GET /results}
 * written as the rows are read (both engines): a result set larger than the body limit (and than
 * the answers held in memory) is stored as the same rows, and read back as the same bytes, as one
 * held whole; a body cut off, malformed or of the wrong shape anywhere (after earlier estimators
 * were written) stores nothing and is a 4xx; a body over the result set limit is a 413, and a limit
 * beyond 2 GiB is taken.
 */
class StreamedResultsTest {
    private static final long MAX_BODY = 4L << 20;
    private static final long MAX_RESULTS = 64L << 20;
    private static final RepeatedResultSet FIXTURE = new RepeatedResultSet(Fixtures.readBytes("json_with_results.json"));

    record Job(String jobId, long simId, String key) {
    }

    private static Job pendingJob(ApiClient user, TestDatabase db) throws Exception {
        String jobId = user.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit"))
                .json().path("job_id").asText();
        SimulationStore sims = new SimulationStore(db.database());
        long simId = sims.findByJobId(jobId).orElseThrow().id();
        return new Job(jobId, simId, sims.rotateUpdateKey(simId));
    }

    private static byte[] body(Job job, int repetitions) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FIXTURE.writeTo(out, job.simId(), job.key(), repetitions);
        assertThat((long) out.size()).isEqualTo(FIXTURE.length(job.simId(), job.key(), repetitions));
        return out.toByteArray();
    }

    /** Posts {@code body} declared as {@code declared} bytes, over a socket, and returns status and message. */
    private static Object[] post(TestServer server, byte[] body, long declared) throws Exception {
        try (StreamingHttp http = new StreamingHttp(server.url())) {
            StreamingHttp.Head head = http.send("POST", "/results", "", declared, out -> out.write(body));
            return new Object[] {head.status(), ApiClient.JSON.readTree(http.body().readAllBytes()).path("message").asText()};
        }
    }

    /** Every stored row of a simulation's results, payloads decoded: what a comparison needs. */
    private static List<String> rows(TestDatabase db, long simId) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT e.name, e.file_name, e.compressed_data AS e_data, p.page_number, p.page_name, p.page_dimension,
                               p.compressed_data AS p_data
                        FROM "Estimator" e JOIN "Page" p ON p.estimator_id = e.id WHERE e.simulation_id = :s
                        ORDER BY e.id, p.page_number""").bind("s", simId)
                .map((rs, ctx) -> rs.getString("name") + "|" + rs.getString("file_name") + "|"
                        + new String(Payload.ofCompressed(rs.getBytes("e_data")).jsonBytes(), StandardCharsets.UTF_8) + "|"
                        + rs.getInt("page_number") + "|" + rs.getString("page_name") + "|" + rs.getInt("page_dimension") + "|"
                        + new String(Payload.ofCompressed(rs.getBytes("p_data")).jsonBytes(), StandardCharsets.UTF_8))
                .list());
    }

    private static String cookie(ApiClient user, TestServer server) {
        return "Cookie: " + user.cookies.getCookieStore().get(server.url()).stream()
                .map(HttpCookie::toString).collect(Collectors.joining("; ")) + "\r\n";
    }

    @DatabaseTest
    void aResultSetLargerThanTheBodyLimitIsStoredPageByPageAndReadBackAsOneHeldWhole(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, MAX_BODY, MAX_RESULTS)) {
            ApiClient anna = server.client().signedUp("anna");
            Job job = pendingJob(anna, db);
            int repetitions = 5; // 20 estimators, 90 pages, 12.8 MB: over the body limit and over what an answer holds
            byte[] body = body(job, repetitions);
            assertThat((long) body.length).isGreaterThan(MAX_BODY).isGreaterThan(JsonStream.HELD_BYTES);

            Object[] stored = post(server, body, body.length);
            assertThat(stored[0]).as("%s", stored[1]).isEqualTo(202);
            assertThat(anna.get("/jobs?job_id=" + job.jobId()).json().path("job_state").asText()).isEqualTo("COMPLETED");

            // the same set held whole and stored by the in-memory path, for another simulation
            long reference = new SimulationStore(db.database()).create(SimulationSeeds.direct(SimulationSeeds.user(db, "ref"), 1))
                    .simulation().id();
            ResultStore results = new ResultStore(db.database());
            results.storeResults(reference, ResultSetCodec.decode(body));
            List<String> streamedRows = rows(db, job.simId());
            assertThat(streamedRows).hasSize(repetitions * FIXTURE.pagesPerRepetition()).isEqualTo(rows(db, reference));

            // read back: the bytes the in-memory writer makes of the stored rows, plain and as one gzip member
            byte[] expected = ResultSetBody.of("Results for job: " + job.jobId(), results.resultSet(job.simId())).identity();
            String path = "/results?job_id=" + job.jobId();
            try (StreamingHttp http = new StreamingHttp(server.url())) {
                StreamingHttp.Head plain = http.send("GET", path, cookie(anna, server), 0, null);
                assertThat(plain.status()).isEqualTo(200);
                assertThat(plain.header("Transfer-Encoding")).as("larger than an answer held whole").isEqualTo("chunked");
                assertThat(http.body().readAllBytes()).isEqualTo(expected);

                StreamingHttp.Head gzip = http.send("GET", path, cookie(anna, server) + "Accept-Encoding: gzip\r\n", 0, null);
                assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
                ByteArrayOutputStream decoded = new ByteArrayOutputStream();
                StreamingHttp.gunzipOneMember(http.body(), decoded);
                assertThat(decoded.toByteArray()).isEqualTo(expected);
            }
            JsonNode whole = ApiClient.JSON.readTree(expected);
            assertThat(whole.path("estimators")).hasSize(repetitions * FIXTURE.estimatorsPerRepetition());
            String name = FIXTURE.name(0, 3);
            ApiClient.Response one = anna.get(path + "&estimator_name=" + name, "Accept-Encoding", "gzip");
            JsonNode estimator = one.json();
            assertThat(estimator.path("message").asText()).isEqualTo("Estimator '" + name + "' for simulation: " + job.simId());
            JsonNode same = whole.path("estimators").get(3 * FIXTURE.estimatorsPerRepetition());
            assertThat(estimator.path("name")).isEqualTo(same.path("name"));
            assertThat(estimator.path("pages")).isEqualTo(same.path("pages"));
            assertThat(estimator.path("metadata")).isEqualTo(same.path("metadata"));
        }
    }

    @DatabaseTest
    void aCutOffMalformedOrMisshapenStreamStoresNothingAndIsRefused(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, MAX_BODY, MAX_RESULTS)) {
            ApiClient anna = server.client().signedUp("anna");
            Job job = pendingJob(anna, db);
            byte[] body = body(job, 4);
            String text = new String(body, StandardCharsets.UTF_8);
            String end = "]}";
            String wrongPage = text.substring(0, text.length() - end.length())
                    + ",{\"name\":\"bad\",\"metadata\":{},\"pages\":[{\"metadata\":{\"page_number\":\"one\"}}]}" + end;
            String nul = text.substring(0, text.length() - end.length())
                    + ",{\"name\":\"e\\u0000\",\"metadata\":{},\"pages\":[]}" + end;
            String twice = text.substring(0, text.length() - 1) + ",\"estimators\":[]}";
            // without a key the estimators must be held whole to be checked later: a set within the body limit
            String noKey = new String(body(job, 1), StandardCharsets.UTF_8).replace("\"update_key\":\"" + job.key() + "\",", "");
            Map<String, Long> rows = SeedRows.counts(db.jdbi());

            List<Object[]> cases = new ArrayList<>();
            cases.add(new Object[] {cut(body, 0.6), (long) body.length, 400, "Cannot read the request body"});
            cases.add(new Object[] {(text.substring(0, (int) (text.length() * 0.7)) + "}").getBytes(StandardCharsets.UTF_8),
                    -1L, 400, "Malformed JSON in body"});
            cases.add(new Object[] {wrongPage.getBytes(StandardCharsets.UTF_8), -1L, 400,
                    "Wrong data provided: estimator #16: page #0: page_number \"one\" is not an integer"});
            cases.add(new Object[] {nul.getBytes(StandardCharsets.UTF_8), -1L, 400, "a string in estimators contains a NUL character"});
            cases.add(new Object[] {twice.getBytes(StandardCharsets.UTF_8), -1L, 400, "estimators is given twice"});
            cases.add(new Object[] {noKey.getBytes(StandardCharsets.UTF_8), -1L, 400, "Incomplete JSON data"});
            for (Object[] c : cases) {
                byte[] sent = (byte[]) c[0];
                long declared = (long) c[1] < 0 ? sent.length : (long) c[1];
                Object[] answer = declared > sent.length ? postCutOff(server, sent, declared) : post(server, sent, declared);
                assertThat(answer[0]).as("%s", answer[1]).isEqualTo(c[2]);
                assertThat((String) answer[1]).contains((String) c[3]);
                assertThat(SeedRows.counts(db.jdbi())).as("nothing stored after: %s", answer[1]).isEqualTo(rows);
                assertThat(anna.get("/jobs?job_id=" + job.jobId()).json().path("job_state").asText()).isEqualTo("PENDING");
            }
            Object[] stored = post(server, body, body.length);
            assertThat(stored[0]).as("%s", stored[1]).isEqualTo(202);
            assertThat(rows(db, job.simId())).hasSize(4 * FIXTURE.pagesPerRepetition());
        }
    }

    private static byte[] cut(byte[] body, double fraction) {
        return java.util.Arrays.copyOf(body, (int) (body.length * fraction));
    }

    /** Declares more than it sends, then closes its side: the body ends early. */
    private static Object[] postCutOff(TestServer server, byte[] sent, long declared) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /results HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + declared
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            s.shutdownOutput();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            return new Object[] {status, ApiClient.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("message").asText()};
        }
    }

    @DatabaseTest
    void aBodyOverTheResultSetLimitIs413UnreadAndALimitBeyond2GiBIsTaken(TestDatabase db) throws Exception {
        long beyond2GiB = 3L << 30;
        try (TestServer server = TestServer.start(db, MAX_BODY, beyond2GiB)) {
            ApiClient anna = server.client().signedUp("anna");
            Job job = pendingJob(anna, db);
            Map<String, Long> rows = SeedRows.counts(db.jdbi());
            String over = BodyLimitsTest.headOnly(server, "POST /results HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (beyond2GiB + 1) + "\r\n\r\n");
            assertThat(over).startsWith("HTTP/1.1 413").contains("the limit is " + beyond2GiB + " bytes for a result set",
                    HttpConfig.ENV_MAX_RESULTS_BODY_BYTES);
            // 2.5 GiB declared is taken and read as it comes: the wrong key is refused without waiting for the rest
            String envelope = "{\"simulation_id\": " + job.simId() + ", \"update_key\": \"wrong\", \"estimators\": [{";
            String wrongKey = BodyLimitsTest.headOnly(server, "POST /results HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (5L << 29) + "\r\n\r\n" + envelope);
            assertThat(wrongKey).startsWith("HTTP/1.1 400").contains("Invalid update key");
            // the estimators before the key: held whole, within the body limit
            byte[] body = body(job, 1);
            String text = new String(body, StandardCharsets.UTF_8);
            String keyFirst = "{\"simulation_id\":" + job.simId() + ",\"update_key\":\"" + job.key() + "\",";
            String estimatorsFirst = "{" + text.substring(keyFirst.length(), text.length() - 1) + "," + keyFirst.substring(1, keyFirst.length() - 1) + "}";
            byte[] large = body(job, 2);
            String largeText = new String(large, StandardCharsets.UTF_8);
            String largeFirst = "{" + largeText.substring(keyFirst.length(), largeText.length() - 1) + "," + keyFirst.substring(1, keyFirst.length() - 1) + "}";
            Object[] held = post(server, largeFirst.getBytes(StandardCharsets.UTF_8), largeFirst.length());
            assertThat(held[0]).as("%s", held[1]).isEqualTo(413);
            assertThat((String) held[1]).contains(HttpConfig.ENV_MAX_BODY_BYTES);
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);
            Object[] small = post(server, estimatorsFirst.getBytes(StandardCharsets.UTF_8), estimatorsFirst.length());
            assertThat(small[0]).as("%s", small[1]).isEqualTo(202);
            assertThat(rows(db, job.simId())).hasSize(FIXTURE.pagesPerRepetition());
        }
        try (TestServer server = TestServer.start(db, MAX_BODY, 2L << 20)) {
            ApiClient anna = server.client().signedUp("anna");
            Job job = pendingJob(anna, db);
            Map<String, Long> rows = SeedRows.counts(db.jdbi());
            byte[] body = body(job, 2);
            Object[] declared = post(server, body, body.length);
            assertThat(declared[0]).isEqualTo(413);
            // chunked: no size to refuse up front, so the body is counted as it is read and refused past the limit
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.url() + "/results"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(ApiClient.JSON.readTree(r.body()).path("message").asText())
                    .contains("the limit is " + (2L << 20) + " bytes for a result set");
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);
            assertThat(anna.get("/jobs?job_id=" + job.jobId()).json().path("job_state").asText()).isEqualTo("PENDING");
        }
    }
}
