package io.yaptide.store.health;

import io.yaptide.store.config.OpsConfig;
import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * Whether the Celery broker answers: a Redis {@code PING} over a fresh connection with a short
 * timeout. A fresh connection each time (not a pooled one) is what tells that a new worker or a new
 * submission could reach the broker now; at one poll a second that is cheap.
 */
public final class BrokerCheck {
    /** Both the connect and the read timeout: a load balancer polling every second must get an answer. */
    public static final Duration TIMEOUT = Duration.ofMillis(1000);

    private final URI url;
    private final Duration timeout;

    public BrokerCheck(URI url) {
        this(url, TIMEOUT);
    }

    BrokerCheck(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    public Check check() {
        long start = System.nanoTime();
        int millis = (int) timeout.toMillis();
        // Jedis reads the password, the database number and TLS (rediss://) from the URL, as Celery does.
        try (Jedis jedis = new Jedis(url, millis, millis)) {
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
        return url.getHost() + ":" + (url.getPort() == -1 ? 6379 : url.getPort());
    }

    static long elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return "BrokerCheck[" + OpsConfig.maskBroker(url.toString()) + "]";
    }
}
