package io.yaptide.store.http;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.yaptide.store.config.OpsConfig;
import io.yaptide.store.db.Database;
import io.yaptide.store.dispatch.Dispatcher;
import io.yaptide.store.health.Check;
import io.yaptide.store.health.Readiness;
import io.yaptide.store.metrics.CountingDispatcher;
import io.yaptide.store.metrics.MetricsListener;
import io.yaptide.store.metrics.ServiceMetrics;
import io.yaptide.store.migrate.Migrator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What an operator points a load balancer, Prometheus and a log collector at: {@code /health/live},
 * {@code /health/ready}, {@code /metrics} (here or on the admin port), and one log line and one
 * timer sample per request, tagged with a request id.
 *
 * <p>Requests are labelled by their route template ({@code /jobs}, never {@code /jobs?job_id=...}:
 * every API parameter is in the query, which is neither logged nor a label), so neither the log nor
 * the metrics page carries user names, job ids or tokens.
 */
final class Observability implements AutoCloseable {
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    /** The MDC key: every log line written while a request runs carries its id (a field in JSON logs). */
    public static final String MDC_REQUEST_ID = "request_id";
    /** A client's id is kept when it is a plain token (a UUID, a trace id); anything else is replaced, so it cannot forge a log line. */
    static final Pattern ACCEPTED_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String UNMATCHED = "unmatched";
    private static final Logger ACCESS = LoggerFactory.getLogger("io.yaptide.store.access");

    private final ServiceMetrics metrics = new ServiceMetrics();
    private final Readiness readiness;
    private final OpsConfig ops;
    private final String host;
    private MetricsListener listener;

    private Observability(Database db, OpsConfig ops, String host) {
        this.readiness = new Readiness(db, Migrator.headId(), ops.brokerUrl());
        this.ops = ops;
        this.host = host;
        metrics.bindPool(db.dataSource());
    }

    static Observability create(Database db, OpsConfig ops, String host) {
        return new Observability(db, ops, host);
    }

    /** Hooks the end of every request, matched or not, whatever its outcome. */
    void configure(JavalinConfig cfg) {
        cfg.requestLogger.http(this::requestEnded);
    }

    /** The request id filter and the operator's endpoints; call before the API's routes. */
    void register(Javalin app) {
        app.before(Observability::requestStarted);
        app.get("/health/live", ctx -> Reply.send(noStore(ctx), 200, "Alive"));
        app.get("/health/ready", this::ready);
        if (ops.metricsPort() == null) {
            app.get("/metrics", ctx -> ctx.contentType(ServiceMetrics.CONTENT_TYPE).result(metrics.scrape()));
        }
    }

    /** Starts the admin listener when a metrics port is configured (after the API port is taken). */
    void startListener() {
        if (ops.metricsPort() != null) {
            listener = MetricsListener.start(host, ops.metricsPort(), metrics);
        }
    }

    Dispatcher counting(Dispatcher dispatcher) {
        return new CountingDispatcher(dispatcher, metrics);
    }

    /** The admin listener's port, or -1 when metrics are on the API port. */
    int metricsPort() {
        return listener == null ? -1 : listener.port();
    }

    private void ready(Context ctx) {
        Readiness.Report report = readiness.check();
        List<Map<String, Object>> checks = report.checks().stream().map(Observability::describe).toList();
        Reply.send(noStore(ctx), report.ready() ? 200 : 503, report.summary(), Map.of("checks", checks));
    }

    private static Map<String, Object> describe(Check c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("status", c.ok() ? "up" : "down");
        m.put("detail", c.detail());
        m.put("ms", c.millis());
        return m;
    }

    private static Context noStore(Context ctx) {
        return ctx.header("Cache-Control", "no-store");
    }

    private static void requestStarted(Context ctx) {
        String id = ctx.header(REQUEST_ID_HEADER);
        if (id == null || !ACCEPTED_REQUEST_ID.matcher(id).matches()) {
            id = newRequestId();
        }
        ctx.header(REQUEST_ID_HEADER, id);
        MDC.put(MDC_REQUEST_ID, id);
    }

    /**
     * A random version-4 UUID from a thread-local generator: a request id only has to be unique
     * enough to find a request's lines, not unguessable, and {@code UUID.randomUUID()} takes the
     * JDK's shared secure generator on every request.
     */
    static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private void requestEnded(Context ctx, Float millis) {
        try {
            String method = ctx.method().name();
            String route = route(ctx);
            int status = ctx.statusCode();
            metrics.request(method, route, status, (long) (millis * 1_000_000));
            count(ctx, method, route, status);
            // The id is a JSON field through the MDC already; here it is only text, or JSON would have it twice.
            ACCESS.info("{} {} {} {} request_id={}", kv("method", method), kv("route", route), kv("status", status),
                    kv("duration_ms", Math.round(millis * 10) / 10.0), requestId(ctx));
        } finally {
            MDC.remove(MDC_REQUEST_ID);
        }
    }

    /** The id given to the request; "-" for one that ended before the filter ran. */
    private static String requestId(Context ctx) {
        String id = ctx.res().getHeader(REQUEST_ID_HEADER);
        return id == null ? "-" : id;
    }

    /** The matched route's template; one fixed word for a path no route matched (its raw text could be anything). */
    private static String route(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            // route templates start with '/'; Javalin names a request no route matched in words
            return path == null || !path.startsWith("/") ? UNMATCHED : path;
        } catch (RuntimeException e) {
            return UNMATCHED;
        }
    }

    private void count(Context ctx, String method, String route, int status) {
        boolean ok = status >= 200 && status < 300;
        if (method.equals(HandlerType.POST.name())) {
            switch (route) {
                case "/tasks", "/results", "/logfiles" -> metrics.workerReport(route.substring(1), ok);
                case "/jobs/direct", "/jobs/batch" -> metrics.submission(route.substring("/jobs/".length()), ok);
                default -> { }
            }
            long length = ctx.req().getContentLengthLong();
            if (route.equals("/results") && ok && length > 0) {
                metrics.resultBytesStored(length);
            }
        } else if (method.equals(HandlerType.GET.name()) && route.equals("/results") && status == 200) {
            long sent = sentBytes(ctx);
            if (sent > 0) {
                String encoding = ctx.res().getHeader("Content-Encoding");
                metrics.resultBytesServed(sent, encoding == null ? "identity" : encoding);
            }
        }
    }

    /** The answer's length: its Content-Length, else what Jetty counted going out. */
    private static long sentBytes(Context ctx) {
        String declared = ctx.res().getHeader("Content-Length");
        if (declared != null) {
            try {
                return Long.parseLong(declared.strip());
            } catch (NumberFormatException ignored) {
                // fall through to the count
            }
        }
        if (ctx.res() instanceof org.eclipse.jetty.server.Response jetty) {
            return jetty.getHttpOutput().getWritten();
        }
        return -1;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        metrics.close();
    }
}
