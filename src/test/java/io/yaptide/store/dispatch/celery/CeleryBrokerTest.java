package io.yaptide.store.dispatch.celery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** The publishing step against the real Redis ({@link io.yaptide.store.testing.TestRedis}). */
class CeleryBrokerTest {
    static final URI REDIS = URI.create(io.yaptide.store.testing.TestRedis.URL);

    @Test
    void aJobPublishedTwiceReachesTheQueueOnceWithItsChordSize() {
        try (Jedis j = new Jedis(REDIS)) {
            j.flushDB();
        }
        io.yaptide.store.config.RedisUrl redis = io.yaptide.store.config.RedisUrl.parse("test", REDIS.toString());
        CeleryConfig config = new CeleryConfig(redis, redis, "yaptide-test-once", Duration.ofHours(1), Duration.ofSeconds(1));
        try (CeleryBroker broker = new CeleryBroker(config); Jedis j = new Jedis(REDIS)) {
            var p = new CeleryBroker.Publication("group-1", 2, "yaptide-test-once", List.of("m0", "m1"));
            assertThat(broker.publishOnce(p)).isTrue();
            // a resend after a crash between the push and the outbox's "sent": nothing more is pushed
            assertThat(broker.publishOnce(p)).isFalse();
            // workers pop from the right: task 0 first
            assertThat(j.lrange("yaptide-test-once", 0, -1)).containsExactly("m1", "m0");
            assertThat(j.get("celery-taskset-meta-group-1.s")).isEqualTo("2");
            assertThat(j.ttl("celery-taskset-meta-group-1.s")).isPositive();
        }
    }
}
