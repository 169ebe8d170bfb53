package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The service's log as a collector reads it: a separate {@code serve} process, plain by default, JSON with {@code YAPTIDE_LOG_FORMAT=json}. */
class LogFormatProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLogsAreOneObjectPerLineWithTheRequestIdAndNoQueryValues() throws Exception {
        List<String> lines = serveAndRequest(Map.of("YAPTIDE_LOG_FORMAT", "json"));
        assertThat(lines).isNotEmpty();
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            JsonNode record = JSON.readTree(line); // every line, not only the access lines
            assertThat(record.isObject()).as(line).isTrue();
            assertThat(record.has("@timestamp") && record.has("level") && record.has("logger_name") && record.has("message"))
                    .as(line).isTrue();
            records.add(record);
        }
        JsonNode ready = records.stream().filter(r -> "trace-42".equals(r.path("request_id").asText())).findFirst().orElseThrow();
        assertThat(ready.path("logger_name").asText()).isEqualTo("io.yaptide.store.access");
        assertThat(ready.path("method").asText()).isEqualTo("GET");
        assertThat(ready.path("route").asText()).isEqualTo("/health/ready");
        assertThat(ready.path("status").asInt()).isEqualTo(200);
        assertThat(ready.path("duration_ms").isNumber()).isTrue();
        JsonNode missing = records.stream().filter(r -> r.path("status").asInt() == 404).findFirst().orElseThrow();
        assertThat(missing.path("route").asText()).isEqualTo("unmatched");
        assertThat(missing.path("request_id").asText()).matches("[0-9a-f-]{36}"); // the forged id was replaced
        assertThat(String.join("\n", lines)).doesNotContain("hunter2").doesNotContain("evil");
    }

    @Test
    void plainLogsStayTheDefault() throws Exception {
        List<String> lines = serveAndRequest(Map.of());
        assertThat(lines).noneMatch(l -> l.startsWith("{"));
        assertThat(lines).anyMatch(l -> l.matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  .*access - method=GET route=/health/ready "
                + "status=200 duration_ms=[0-9.]+ request_id=trace-42"));
        assertThat(String.join("\n", lines)).doesNotContain("hunter2");
    }

    @Test
    void anUnknownLogFormatStopsTheStartWithOneLine() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE)) {
            Process serve = serve(db, Map.of("YAPTIDE_LOG_FORMAT", "xml"));
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(serve.exitValue()).isEqualTo(ExitCode.CONFIG);
            String err = new String(serve.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(err.strip()).isEqualTo("Error: YAPTIDE_LOG_FORMAT is 'xml'; use plain (the default) or json, in lower case");
        }
    }

    /** Starts serve with these variables, sends two requests, stops it with SIGTERM; its stderr lines. */
    private static List<String> serveAndRequest(Map<String, String> env) throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE)) {
            Path stderr = Files.createTempFile("serve", ".err");
            Process serve = serve(db, env, stderr);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                assertThat(line).as("stderr: %s", Files.readString(stderr)).startsWith("Serving the Yaptide API on ");
                Matcher m = Pattern.compile("on (http://\\S+) ").matcher(line);
                assertThat(m.find()).isTrue();
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/health/ready"))
                        .header("X-Request-Id", "trace-42").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.headers().firstValue("X-Request-Id")).hasValue("trace-42");
                HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/nothing?password=hunter2"))
                        .header("X-Request-Id", "evil\" injected=1").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(missing.statusCode()).isEqualTo(404);
                assertThat(missing.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
                serve.destroy();
                assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
                return Files.readAllLines(stderr).stream().filter(l -> !l.isBlank()).toList();
            } finally {
                serve.destroyForcibly();
                Files.deleteIfExists(stderr);
            }
        }
    }

    private static Process serve(TestDatabase db, Map<String, String> env) throws IOException {
        return serve(db, env, null);
    }

    private static Process serve(TestDatabase db, Map<String, String> env, Path stderr) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback.xml", // the packaged configuration, not the tests'
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--db", db.url().render(true), "serve", "--port", "0"));
        pb.environment().remove("YAPTIDE_LOG_FORMAT");
        pb.environment().remove("YAPTIDE_LOG_LEVEL");
        pb.environment().put("YAPTIDE_JWT_SECRET", "log-test-secret-log-test-secret-0123456789");
        pb.environment().putAll(env);
        if (stderr != null) {
            pb.redirectError(stderr.toFile());
        }
        return pb.start();
    }
}
