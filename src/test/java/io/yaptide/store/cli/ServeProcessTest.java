package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code yaptide serve} as operators run it: a separate process that serves, and stops cleanly on SIGTERM. */
class ServeProcessTest {

    @DatabaseTest
    void servesUntilSigtermThenStopsGracefully(TestDatabase db) throws Exception {
        db.closePool();
        Path stderr = Files.createTempFile("serve", ".err");
        Process serve = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback.xml", // the packaged configuration, not the tests'
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--db", db.url().render(true), "serve", "--port", "0"))
                .redirectError(stderr.toFile())
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("first line of serve, stderr: %s", Files.readString(stderr)).startsWith("Serving the Yaptide API on http://127.0.0.1:");
            Matcher m = Pattern.compile("on (http://\\S+) ").matcher(line);
            assertThat(m.find()).isTrue();
            HttpResponse<String> hello = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(m.group(1) + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("{\"message\":\"Hello World!\"}");

            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(Files.readString(stderr)).contains("stopping: finishing requests in flight", "stopped")
                    .doesNotContain("Exception");
        } finally {
            serve.destroyForcibly();
            Files.deleteIfExists(stderr);
        }
    }
}
