package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.config.OpsConfig;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: Prometheus text that a scraper accepts, counters that move with requests, no user data in it. */
class MetricsTest {
    private static final String REQUESTS = "http_server_requests_seconds_count";

    @DatabaseTest
    void countersMoveWithRequestsAndNoUserDataReachesThePage(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, OpsConfig.defaults())) {
            ApiClient anna = server.client().signedUp("metrics-user-7f3a");
            List<PrometheusText.Sample> before = scrape(anna);

            ObjectNode job = UserJourneyTest.payload("shieldhit_json_payload_files.json", "dummy");
            ApiClient.Response submitted = anna.post("/jobs/direct", job);
            assertThat(submitted.status()).isEqualTo(202);
            String jobId = submitted.json().path("job_id").asText();
            UserJourneyTest.waitForState(anna, jobId, "COMPLETED");
            assertThat(anna.get("/results?job_id=" + jobId, "Accept-Encoding", "gzip").status()).isEqualTo(200);
            assertThat(anna.get("/results?job_id=" + jobId).status()).isEqualTo(200);
            assertThat(anna.post("/tasks", ApiClient.JSON.createObjectNode().put("simulation_id", 1).put("task_id", 0)
                    .put("update_key", "wrong-key-0123").set("update_dict", ApiClient.JSON.createObjectNode())).status())
                    .isEqualTo(400);
            assertThat(anna.get("/no/such/" + jobId).status()).isEqualTo(404);

            String page = anna.get("/metrics").text();
            List<PrometheusText.Sample> after = PrometheusText.parse(page);

            assertThat(delta(before, after, REQUESTS, Map.of("method", "POST", "route", "/jobs/direct", "status", "202"))).isEqualTo(1);
            assertThat(delta(before, after, REQUESTS, Map.of("method", "GET", "route", "/results", "status", "200"))).isEqualTo(2);
            assertThat(delta(before, after, REQUESTS, Map.of("route", "unmatched", "status", "404"))).isEqualTo(1);
            assertThat(delta(before, after, "http_server_requests_seconds_bucket",
                    Map.of("route", "/jobs/direct", "le", "+Inf"))).as("latency histogram").isEqualTo(1);
            assertThat(delta(before, after, "yaptide_submissions_total", Map.of("kind", "direct", "outcome", "accepted"))).isEqualTo(1);
            assertThat(delta(before, after, "yaptide_dispatch_total", Map.of("simulator", "dummy", "outcome", "dispatched"))).isEqualTo(1);
            // The dummy simulator reports like a worker: progress for each task, then log files and results.
            assertThat(delta(before, after, "yaptide_worker_reports_total", Map.of("endpoint", "tasks", "outcome", "accepted"))).isGreaterThanOrEqualTo(2);
            assertThat(delta(before, after, "yaptide_worker_reports_total", Map.of("endpoint", "tasks", "outcome", "refused"))).isEqualTo(1);
            assertThat(delta(before, after, "yaptide_worker_reports_total", Map.of("endpoint", "results", "outcome", "accepted"))).isEqualTo(1);
            assertThat(delta(before, after, "yaptide_result_bytes_stored_bytes_total", Map.of())).isGreaterThan(1000);
            double gzip = delta(before, after, "yaptide_result_bytes_served_bytes_total", Map.of("encoding", "gzip"));
            double plain = delta(before, after, "yaptide_result_bytes_served_bytes_total", Map.of("encoding", "identity"));
            assertThat(gzip).isGreaterThan(0);
            assertThat(plain).isGreaterThan(gzip);

            assertThat(names(after)).contains("hikaricp_connections_active", "hikaricp_connections_idle",
                    "hikaricp_connections_pending", "hikaricp_connections_timeout_total", "jvm_memory_used_bytes",
                    "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds", "process_files_open_files");

            assertThat(page).doesNotContain("metrics-user-7f3a").doesNotContain(jobId).doesNotContain("wrong-key");
            for (PrometheusText.Sample s : after) {
                assertThat(s.labels().values()).noneMatch(v -> v.contains("metrics-user") || v.contains(jobId) || v.contains("?"));
            }
        }
    }

    @Test
    void onTheMetricsPortTheScrapeLeavesTheApiPort() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.SQLITE);
             TestServer server = TestServer.start(db, OpsConfig.defaults().withMetricsPort(0))) {
            assertThat(server.server.metricsPort()).isPositive().isNotEqualTo(server.server.port());
            assertThat(server.client().get("/metrics").status()).isEqualTo(404);
            assertThat(server.client().get("/").status()).isEqualTo(200);

            ApiClient admin = new ApiClient(URI.create("http://127.0.0.1:" + server.server.metricsPort()));
            ApiClient.Response metrics = admin.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(PrometheusText.value(PrometheusText.parse(metrics.text()), REQUESTS,
                    Map.of("method", "GET", "route", "/", "status", "200"))).isEqualTo(1);
            assertThat(admin.get("/health/ready").status()).as("the admin port serves only /metrics").isEqualTo(404);
        }
    }

    private static List<PrometheusText.Sample> scrape(ApiClient client) {
        ApiClient.Response r = client.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(r.text());
    }

    private static double delta(List<PrometheusText.Sample> before, List<PrometheusText.Sample> after, String name, Map<String, String> labels) {
        return PrometheusText.value(after, name, labels) - PrometheusText.value(before, name, labels);
    }

    private static List<String> names(List<PrometheusText.Sample> samples) {
        return samples.stream().map(PrometheusText.Sample::name).distinct().toList();
    }
}
