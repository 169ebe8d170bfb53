package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Bodies are refused before they are read: a declared size over the limit is a 413 at once, with
 * the API's JSON error, even when no body byte follows; a body on GET or DELETE is a 413 unread; a
 * tree of too many tokens is a 400.
 */
class BodyLimitsTest {

    /** Sends the head only and reads the answer; the socket times out if the server waits for a body. */
    static String headOnly(TestServer server, String requestHead) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                answer.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                if (answer.indexOf("}") > 0) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    @DatabaseTest
    void oversizedOrUnwantedBodiesAreAnsweredAtOnceWithJson(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            for (String path : List.of("/results", "/tasks", "/jobs/direct", "/logfiles", "/auth/login")) {
                for (long declared : List.of(TestServer.MAX_BODY + 1, 100L * 1024 * 1024, 1_000_000_000_000_000L)) {
                    long start = System.nanoTime();
                    String answer = headOnly(server, "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + declared + "\r\n\r\n");
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(answer).as(path + " " + declared).startsWith("HTTP/1.1 413");
                    assertThat(answer).contains("application/json", "Request body too large", "the limit is " + TestServer.MAX_BODY);
                    assertThat(millis).as("answered without waiting for the body").isLessThan(2_000);
                }
            }
            String get = headOnly(server, "GET /jobs?job_id=x HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n{");
            assertThat(get).startsWith("HTTP/1.1 413").contains("Request body not allowed: GET takes no body");
            String delete = headOnly(server, "DELETE /jobs/direct?job_id=x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n");
            assertThat(delete).startsWith("HTTP/1.1 413");
            assertThat(server.client().get("/").status()).isEqualTo(200);

            StringBuilder many = new StringBuilder("{\"sim_type\": \"dummy\", \"ntasks\": 1, \"input_type\": \"editor\", \"input_json\": [");
            for (int i = 0; i < JsonBody.MAX_TREE_TOKENS; i++) {
                many.append(i == 0 ? "1" : ",1");
            }
            ApiClient.Response tokens = server.client().signedUp("anna").post("/jobs/direct", many.append("]}").toString());
            assertThat(tokens.status()).isEqualTo(400);
            assertThat(tokens.message()).contains("Malformed JSON in body", "Token count");
        }
    }
}
