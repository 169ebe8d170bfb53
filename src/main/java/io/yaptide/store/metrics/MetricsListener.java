package io.yaptide.store.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The admin listener ({@code YAPTIDE_METRICS_PORT}): {@code GET /metrics} on its own port, so that
 * the scrape can be kept off the public API port (a firewall rule, a separate network). One thread:
 * Prometheus scrapes every few seconds.
 */
public final class MetricsListener implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsListener(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static MetricsListener start(String host, int port, ServiceMetrics metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext("/", exchange -> answer(exchange, metrics));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-listener");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new MetricsListener(server, executor);
    }

    private static void answer(HttpExchange exchange, ServiceMetrics metrics) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            int status;
            byte[] body;
            if (!path.equals("/metrics")) {
                status = 404;
                body = "Not found: this port serves GET /metrics only\n".getBytes(StandardCharsets.UTF_8);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                status = 405;
                body = "Method not allowed: use GET /metrics\n".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", status == 200 ? ServiceMetrics.CONTENT_TYPE : "text/plain; charset=utf-8");
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
