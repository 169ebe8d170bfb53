package io.yaptide.store.health;

import io.yaptide.store.config.RedisUrl;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Whether the Celery broker answers: a Redis {@code PING} over a fresh connection with a short
 * timeout. A fresh connection each time (not a pooled one) is what tells that a new worker or a new
 * submission could reach the broker now; at one poll a second that is cheap.
 */
final class BrokerCheck {
    /** Both the connect and the read timeout: a load balancer polling every second must get an answer. */
    public static final Duration TIMEOUT = Duration.ofMillis(1000);

    private final RedisUrl url;
    private final Duration timeout;

    public BrokerCheck(RedisUrl url) {
        this(url, TIMEOUT);
    }

    BrokerCheck(RedisUrl url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    public Check check() {
        long start = System.nanoTime();
        int millis = (int) timeout.toMillis();
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis).socketTimeoutMillis(millis)
                .user(url.user()).password(url.password()).database(url.database()).ssl(url.tls())
                .clientName("yaptide-store-health").build();
        try (Jedis jedis = new Jedis(new HostAndPort(url.host(), url.port()), config)) {
            String answer = jedis.ping();
            boolean ok = "PONG".equalsIgnoreCase(answer);
            return new Check("broker", ok, ok ? "answers PING at " + where() : "answered PING with '" + answer + "'",
                    elapsed(start));
        } catch (RuntimeException e) {
            return new Check("broker", false, "no answer from " + where() + ": " + Check.oneLine(e), elapsed(start));
        }
    }

    /** Host and port only: the URL may carry a password. */
    private String where() {
        return url.where();
    }

    static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return "BrokerCheck[" + url + "]";
    }
}
