package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The read paths in a real browser: Debian's Chromium, driven through Debian's ChromeDriver, loads a
 * small page of ours from another port of the API's host (as the web front end is served), which
 * logs in with {@code fetch(..., {credentials: 'include'})}, submits a dummy job, waits for it to
 * complete and reads every result variant, the inputs and the log files. The browser decodes each
 * gzip answer itself; each must parse as JSON and equal the plain answer.
 */
class BrowserReadPathsTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @DatabaseTest
    void chromiumReadsEveryResultInputAndLogAnswerWhole(TestDatabase db) throws Exception {
        assertThat(new File(CHROMIUM).canExecute()).as("Debian's chromium at " + CHROMIUM + " (.ci/setup-tools installs it)").isTrue();
        assertThat(new File(CHROMEDRIVER).canExecute()).as("Debian's chromium-driver at " + CHROMEDRIVER + " (.ci/setup-tools installs it)").isTrue();
        HttpServer page = pageServer();
        String origin = "http://127.0.0.1:" + page.getAddress().getPort();
        Path profile = Files.createTempDirectory("yaptide-chromium-");
        try (TestServer server = TestServer.start(db, Duration.ofMinutes(10), Duration.ofHours(2), List.of(origin))) {
            ChromeDriver chromium = chromium(profile);
            try {
                chromium.get(origin + "/read-paths.html");
                String submission = UserJourneyTest.payload("shieldhit_json_payload_files.json", "dummy").toString();
                Object outcome = chromium.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "window.readPaths(arguments[0], arguments[1], arguments[2], arguments[3], arguments[4])"
                                + ".then(done, e => done({error: String(e && e.stack || e)}));",
                        server.url().toString(), "bruno", "bruno-pw", submission, CompressedAnswersTest.readPaths("{job}"));
                @SuppressWarnings("unchecked")
                Map<String, Object> result = (Map<String, Object>) outcome;
                assertThat(result).as("the page's run").doesNotContainKey("error");

                // the same user's plain answers, read without gzip
                ApiClient bruno = server.client();
                assertThat(bruno.login("bruno", "bruno-pw").status()).isEqualTo(202);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> answers = (List<Map<String, Object>>) result.get("answers");
                assertThat(answers).hasSize(CompressedAnswersTest.readPaths("x").size());
                for (Map<String, Object> answer : answers) {
                    String path = (String) answer.get("path");
                    assertThat(answer.get("status")).as(path).isEqualTo(200L);
                    assertThat(answer.get("parsed")).as(path + " parses in the browser: " + answer.get("parseError")).isEqualTo(true);
                    ApiClient.Response plain = bruno.get(path);
                    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
                    assertThat((String) answer.get("text")).as(path).isEqualTo(new String(plain.body(), StandardCharsets.UTF_8));
                }
                // and the browser really was sent gzip for each of them
                assertThat(gzipAnswersSeen(chromium)).containsAll(answers.stream().map(a -> (String) a.get("path")).toList());
            } finally {
                chromium.quit();
            }
        } finally {
            page.stop(0);
            deleteTree(profile);
        }
    }

    static ChromeDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        // Debian's driver, named explicitly: Selenium must not look for (or download) one of its own
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
        return driver;
    }

    /** Paths (with query) of the answers the browser received with {@code Content-Encoding: gzip}. */
    static List<String> gzipAnswersSeen(ChromeDriver chromium) throws IOException {
        List<String> paths = new ArrayList<>();
        for (LogEntry entry : chromium.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = ApiClient.JSON.readTree(entry.getMessage()).path("message");
            if (!message.path("method").asText().equals("Network.responseReceived")) {
                continue;
            }
            JsonNode response = message.path("params").path("response");
            JsonNode headers = response.path("headers");
            boolean gzip = false;
            for (var h = headers.fields(); h.hasNext(); ) {
                var header = h.next();
                gzip |= header.getKey().equalsIgnoreCase("Content-Encoding") && header.getValue().asText().equals("gzip");
            }
            if (gzip) {
                java.net.URI uri = java.net.URI.create(response.path("url").asText());
                paths.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            }
        }
        return paths;
    }

    /** Serves the test page from the classpath on a free loopback port. */
    static HttpServer pageServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/read-paths.html", exchange -> {
            byte[] html;
            try (InputStream in = BrowserReadPathsTest.class.getResourceAsStream("/browser/read-paths.html")) {
                html = in.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(html);
            }
        });
        server.start();
        return server;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
