package io.yaptide.store.config;

import java.util.Map;

/**
 * How the service is operated: where Prometheus scrapes, which broker the readiness check pings,
 * and how log lines are written. Read once at start from the environment; an invalid value stops
 * the start with one line naming the variable.
 *
 * @param metricsPort the port of a separate admin listener serving {@code /metrics}, or null to
 *                    serve {@code /metrics} on the API port (0: any free port, for tests)
 * @param brokerUrl   the Celery broker (a Redis URL) that {@code /health/ready} pings, or null when
 *                    none is configured (the broker part is then left out of readiness)
 * @param brokerSource the variable the broker URL came from, or null
 * @param logFormat   {@code plain} (default) or {@code json}
 */
public record OpsConfig(Integer metricsPort, RedisUrl brokerUrl, String brokerSource, String logFormat) {

    public static final String ENV_METRICS_PORT = "YAPTIDE_METRICS_PORT";
    public static final String ENV_BROKER_URL = "YAPTIDE_CELERY_BROKER_URL";
    /** The original's variable: an environment made for the original keeps working. */
    public static final String ENV_CELERY_BROKER_URL = "CELERY_BROKER_URL";
    public static final String ENV_LOG_FORMAT = "YAPTIDE_LOG_FORMAT";
    /** Read by logback.xml itself; listed here so that {@code yaptide config} shows it. */
    public static final String ENV_LOG_LEVEL = "YAPTIDE_LOG_LEVEL";

    public static final String PLAIN = "plain";
    public static final String JSON = "json";

    /** Metrics on the API port, no broker, plain logs: what tests and benchmarks start with. */
    public static OpsConfig defaults() {
        return new OpsConfig(null, null, null, PLAIN);
    }

    public static OpsConfig fromEnvironment(Map<String, String> env) {
        return new OpsConfig(metricsPort(env), brokerUrl(env), brokerSource(env), logFormat(env));
    }

    /** The same configuration with the admin listener on {@code port} (0: any free port). */
    public OpsConfig withMetricsPort(Integer port) {
        return new OpsConfig(port, brokerUrl, brokerSource, logFormat);
    }

    /** The same configuration pinging this broker. */
    public OpsConfig withBroker(RedisUrl url) {
        return new OpsConfig(metricsPort, url, url == null ? null : ENV_BROKER_URL, logFormat);
    }

    static Integer metricsPort(Map<String, String> env) {
        String text = env.get(ENV_METRICS_PORT);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            int port = Integer.parseInt(text.strip());
            if (port < 1 || port > 65535) {
                throw new ConfigException(ENV_METRICS_PORT + " is " + port + "; use a port from 1 to 65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(ENV_METRICS_PORT + " must be a port number (got '" + text + "')");
        }
    }

    static String brokerSource(Map<String, String> env) {
        if (!isBlank(env.get(ENV_BROKER_URL))) {
            return ENV_BROKER_URL;
        }
        return isBlank(env.get(ENV_CELERY_BROKER_URL)) ? null : ENV_CELERY_BROKER_URL;
    }

    static RedisUrl brokerUrl(Map<String, String> env) {
        String source = brokerSource(env);
        return source == null ? null : RedisUrl.parse(source, env.get(source));
    }

    static String logFormat(Map<String, String> env) {
        String text = env.get(ENV_LOG_FORMAT);
        if (isBlank(text)) {
            return PLAIN;
        }
        // Exactly as logback.xml spells its appenders: it picks the appender by this very value.
        String format = text.strip();
        if (!format.equals(PLAIN) && !format.equals(JSON)) {
            throw new ConfigException(ENV_LOG_FORMAT + " is '" + text + "'; use plain (the default) or json, in lower case");
        }
        return format;
    }

    /** The broker URL with any password replaced by {@code ***}: safe for logs, answers and {@code config}. */
    public static String maskBroker(String url) {
        return RedisUrl.mask(url);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "OpsConfig[metricsPort=" + metricsPort + ", broker=" + brokerUrl
                + ", logFormat=" + logFormat + "]";
    }
}
