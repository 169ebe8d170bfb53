package io.yaptide.store.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Broker URLs as the original's deployments write them. */
class RedisUrlTest {

    @Test
    void theOriginalsComposeUrlWithAnUnderscoreInTheHost() {
        assertThat(RedisUrl.parse("CELERY_BROKER_URL", "redis://yaptide_redis:6379/0"))
                .isEqualTo(new RedisUrl("yaptide_redis", 6379, null, null, 0, false));
    }

    @Test
    void credentialsDatabaseAndTls() {
        assertThat(RedisUrl.parse("V", "rediss://worker:p%40ss@redis.example:6380/2"))
                .isEqualTo(new RedisUrl("redis.example", 6380, "worker", "p@ss", 2, true));
        assertThat(RedisUrl.parse("V", "redis://:only-password@h")).isEqualTo(new RedisUrl("h", 6379, null, "only-password", 0, false));
        assertThat(RedisUrl.parse("V", "redis://lone-secret@h/1").password()).isEqualTo("lone-secret");
        assertThat(RedisUrl.parse("V", "redis://[::1]:7000/0")).isEqualTo(new RedisUrl("::1", 7000, null, null, 0, false));
    }

    @Test
    void neverShowsThePassword() {
        assertThat(RedisUrl.parse("V", "redis://:s3cret@h:1/0").toString()).isEqualTo("redis://:***@h:1/0").doesNotContain("s3cret");
        assertThat(RedisUrl.mask("redis://user:s3cret@h:1/0")).isEqualTo("redis://user:***@h:1/0");
        assertThat(RedisUrl.mask("redis://s3cret@h:1/0")).isEqualTo("redis://***@h:1/0");
    }

    @Test
    void refusesWhatItCannotPing() {
        assertThatThrownBy(() -> RedisUrl.parse("CELERY_BROKER_URL", "amqp://guest:pw@rabbit//"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("CELERY_BROKER_URL uses 'amqp'");
        assertThatThrownBy(() -> RedisUrl.parse("V", "redis://:pw@:6379/0"))
                .hasMessage("V names no valid host (redis://:***@:6379/0); use redis://host:6379/0");
        assertThatThrownBy(() -> RedisUrl.parse("V", "redis://h:port/0")).hasMessageContaining("no valid port");
        assertThatThrownBy(() -> RedisUrl.parse("V", "redis://h:6379/zero")).hasMessageContaining("names database 'zero'");
    }
}
