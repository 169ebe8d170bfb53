package io.yaptide.store.dispatch.celery;

import io.yaptide.store.config.ConfigException;
import io.yaptide.store.config.RedisUrl;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the original's Celery workers listen (docs/celery.md). Read from the environment:
 * {@code YAPTIDE_CELERY_BROKER_URL} (else the original's {@code CELERY_BROKER_URL}),
 * {@code YAPTIDE_CELERY_RESULT_BACKEND} (else {@code CELERY_RESULT_BACKEND}, else the broker),
 * {@code YAPTIDE_CELERY_QUEUE} (default {@code simulations}),
 * {@code YAPTIDE_CELERY_SILENCE_SECONDS} (a dispatched job with no report for that long ends FAILED;
 * default 7200), {@code YAPTIDE_CELERY_SWEEP_SECONDS} (how often dispatched jobs are checked; default 10).
 */
public record CeleryConfig(RedisUrl brokerUrl, RedisUrl resultBackendUrl, String queue, Duration silenceDeadline,
                           Duration sweepInterval) {
    public static final String DEFAULT_QUEUE = "simulations";
    /** The original's clean-up task's queue (its helper worker). */
    public static final String HELPER_QUEUE = "helper-short";

    /** The configuration, or empty when no broker is set (jobs then wait for workers as before). */
    public static Optional<CeleryConfig> fromEnvironment(Map<String, String> env) {
        String brokerVar = named(env, "YAPTIDE_CELERY_BROKER_URL", "CELERY_BROKER_URL");
        if (brokerVar == null) {
            return Optional.empty();
        }
        String backendVar = named(env, "YAPTIDE_CELERY_RESULT_BACKEND", "CELERY_RESULT_BACKEND");
        RedisUrl broker = redisUrl(brokerVar, env.get(brokerVar).strip());
        RedisUrl backend = backendVar == null ? broker : redisUrl(backendVar, env.get(backendVar).strip());
        String queue = first(env, "YAPTIDE_CELERY_QUEUE");
        return Optional.of(new CeleryConfig(broker, backend, queue == null ? DEFAULT_QUEUE : queue,
                Duration.ofSeconds(seconds(env, "YAPTIDE_CELERY_SILENCE_SECONDS", 7200)),
                Duration.ofSeconds(seconds(env, "YAPTIDE_CELERY_SWEEP_SECONDS", 10))));
    }

    /** The first of the variables that is set. */
    private static String named(Map<String, String> env, String... names) {
        for (String name : names) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return name;
            }
        }
        return null;
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static long seconds(Map<String, String> env, String name, long fallback) {
        String v = first(env, name);
        if (v == null) {
            return fallback;
        }
        try {
            long s = Long.parseLong(v);
            if (s >= 1) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name + " must be a whole number of seconds, at least 1");
    }

    /**
     * Only Redis is spoken (the original's deployments use Redis). Parsed as Celery and redis-py
     * parse it ({@link RedisUrl}: {@code java.net.URI} finds no host in the original's
     * {@code redis://yaptide_redis:6379/0}); the URL's password is never echoed.
     */
    static RedisUrl redisUrl(String variable, String value) {
        String scheme = value.contains("://") ? value.substring(0, value.indexOf("://")) : "";
        if (!scheme.equalsIgnoreCase("redis") && !scheme.equalsIgnoreCase("rediss")) {
            throw new ConfigException(variable + " must start with redis:// or rediss:// (AMQP is not supported)");
        }
        return RedisUrl.parse(variable, value);
    }
}
