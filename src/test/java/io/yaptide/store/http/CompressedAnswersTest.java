package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.results.StrictGunzip;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpCookie;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Every answer that may come gzip-compressed is exactly one gzip member, as browsers need: decoded
 * by our strict decoder, by Python's zlib in single-member mode (what a browser does: it stops at
 * the end of the first member) and by curl, each equal byte for byte to the plain answer.
 */
class CompressedAnswersTest {
    static final String SINGLE_MEMBER_PYTHON = String.join("\n",
            "import sys, zlib",
            "d = zlib.decompressobj(wbits=31)",
            "out = d.decompress(sys.stdin.buffer.read()) + d.flush()",
            "if not d.eof: sys.exit('the gzip member is incomplete')",
            "if d.unused_data: sys.exit('%d bytes follow the first gzip member' % len(d.unused_data))",
            "sys.stdout.buffer.write(out)");

    static List<String> readPaths(String jobId) {
        return List.of(
                "/results?job_id=" + jobId,
                "/results?job_id=" + jobId + "&estimator_name=z_profile_",
                "/results?job_id=" + jobId + "&estimator_name=z_profile_&page_number=1",
                "/results?job_id=" + jobId + "&estimator_name=z_profile_&page_numbers=0-1,3",
                "/inputs?job_id=" + jobId,
                "/logfiles?job_id=" + jobId);
    }

    @DatabaseTest
    void everyCompressedAnswerIsOneGzipMemberThatDecodesToThePlainAnswer(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "dummy"))
                    .json().path("job_id").asText();
            UserJourneyTest.waitForState(anna, jobId, "COMPLETED");
            String cookie = anna.cookies.getCookieStore().get(server.url()).stream()
                    .map(HttpCookie::toString).collect(Collectors.joining("; "));

            for (String path : readPaths(jobId)) {
                ApiClient.Response plain = anna.get(path);
                ApiClient.Response gzip = anna.get(path, "Accept-Encoding", "gzip, deflate, br");
                assertThat(plain.status()).as(path).isEqualTo(200);
                assertThat(gzip.status()).as(path).isEqualTo(200);
                assertThat(gzip.headers().firstValue("Content-Encoding")).as(path).contains("gzip");
                assertThat(gzip.headers().firstValue("Vary")).as(path).hasValueSatisfying(v -> assertThat(v).contains("Accept-Encoding"));
                assertThat(gzip.headers().firstValueAsLong("Content-Length")).as(path).hasValue(gzip.body().length);

                assertThat(StrictGunzip.decode(gzip.body())).as(path).isEqualTo(plain.body());
                assertThat(pythonSingleMember(gzip.body())).as(path + " through Python's zlib (wbits=31)").isEqualTo(plain.body());
                assertThat(curlCompressed(server.url() + path, cookie)).as(path + " through curl --compressed").isEqualTo(plain.body());
                assertThat(ApiClient.JSON.readTree(plain.body()).path("message").asText()).as(path).isNotEmpty();
            }
        }
    }

    @DatabaseTest
    void everyAnswerVariesWithAcceptEncodingAndWithOriginUnderCors(TestDatabase db) {
        String origin = "http://127.0.0.1:3000";
        try (TestServer server = TestServer.start(db, java.time.Duration.ofMinutes(10), java.time.Duration.ofHours(2), List.of(origin))) {
            ApiClient anna = server.client().signedUp("anna");
            for (String path : List.of("/user/simulations", "/auth/status", "/")) {
                ApiClient.Response plain = anna.get(path);
                assertThat(plain.headers().allValues("Vary")).as(path).anySatisfy(v -> assertThat(v).contains("Accept-Encoding"));
                ApiClient.Response cors = anna.get(path, "Origin", origin, "Accept-Encoding", "gzip");
                assertThat(String.join(",", cors.headers().allValues("Vary"))).as(path).contains("Origin", "Accept-Encoding");
            }
        }
    }

    static byte[] pythonSingleMember(byte[] gzip) throws IOException, InterruptedException {
        return run(gzip, "python3", "-c", SINGLE_MEMBER_PYTHON);
    }

    static byte[] curlCompressed(String url, String cookie) throws IOException, InterruptedException {
        return run(new byte[0], "curl", "-sS", "--fail", "--compressed", "-H", "Cookie: " + cookie, url);
    }

    private static byte[] run(byte[] input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream stdout = p.getInputStream()) {
            stdout.transferTo(out);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(command[0] + " finishes").isTrue();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.exitValue()).as(command[0] + " exit (" + err.strip() + ")").isZero();
        return out.toByteArray();
    }
}
