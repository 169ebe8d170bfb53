package io.yaptide.store.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.yaptide.store.db.PoolMetrics;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The service's meters, in one Micrometer registry scraped as Prometheus text.
 *
 * <p>Every label value comes from a small fixed set (a route template, a method, a status code, an
 * outcome word, a simulator type): never a user name, a job id or anything else a request carries,
 * so that the page leaks nothing and its size does not grow with the data.
 */
public final class ServiceMetrics implements AutoCloseable {
    /** Prometheus' text exposition format, version 0.0.4 (what every scraper accepts). */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ServiceMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /**
     * The connection pool's figures (active, idle, pending, timeouts, acquire time) as HikariCP
     * publishes them ({@code hikaricp_connections_*}). A pool can report to one registry only: a
     * second server on the same pool (tests) leaves them where they are.
     */
    public void bindPool(DataSource dataSource) {
        PoolMetrics.reportTo(dataSource, registry);
    }

    /** One request, by route template (never the raw path), method and status. */
    public void request(String method, String route, int status, long nanos) {
        // one timer per (method, route, status), looked up here: building the meter's id and asking the
        // registry for it on every request cost more than recording the sample
        requestTimers.computeIfAbsent(new RequestKey(method, route, status), k -> Timer.builder("http.server.requests")
                .description("HTTP requests by route template, method and status")
                .tag("method", k.method())
                .tag("route", k.route())
                .tag("status", Integer.toString(k.status()))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Routes are templates and methods and statuses few, so this map stays small. */
    private record RequestKey(String method, String route, int status) {
    }

    private final java.util.concurrent.ConcurrentHashMap<RequestKey, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> reportCounters = new java.util.concurrent.ConcurrentHashMap<>();

    /** A worker's report ({@code tasks}, {@code results}, {@code logfiles}) was accepted or refused. */
    public void workerReport(String endpoint, boolean accepted) {
        String outcome = accepted ? "accepted" : "refused";
        reportCounters.computeIfAbsent(endpoint + ' ' + outcome, k -> Counter.builder("yaptide.worker.reports")
                .description("Worker reports by endpoint, accepted (2xx) or refused (4xx/5xx)")
                .tag("endpoint", endpoint)
                .tag("outcome", outcome)
                .register(registry)).increment();
    }

    /** JSON bytes of a result set a worker posted and the service stored. */
    public void resultBytesStored(long bytes) {
        Counter.builder("yaptide.result.bytes.stored")
                .description("Bytes of result-set JSON accepted from workers and stored (as received, before compression)")
                .baseUnit("bytes")
                .register(registry).increment(bytes);
    }

    /** Bytes of a results answer sent, by content encoding ({@code gzip} or {@code identity}). */
    public void resultBytesServed(long bytes, String encoding) {
        Counter.builder("yaptide.result.bytes.served")
                .description("Bytes of GET /results answers sent, by content encoding")
                .baseUnit("bytes")
                .tag("encoding", encoding)
                .register(registry).increment(bytes);
    }

    /** A job submission ({@code direct} or {@code batch}) was accepted or refused. */
    public void submission(String kind, boolean accepted) {
        Counter.builder("yaptide.submissions")
                .description("Job submissions by kind, accepted (2xx) or refused")
                .tag("kind", kind)
                .tag("outcome", accepted ? "accepted" : "refused")
                .register(registry).increment();
    }

    /** A created simulation was handed to its dispatcher ({@code dispatched}) or the hand-over failed ({@code failed}). */
    public void dispatch(String simulator, String outcome) {
        Counter.builder("yaptide.dispatch")
                .description("Simulations handed to a dispatcher, by simulator type and outcome")
                .tag("simulator", simulator.toLowerCase(Locale.ROOT))
                .tag("outcome", outcome)
                .register(registry).increment();
    }

    /** The page Prometheus scrapes. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
