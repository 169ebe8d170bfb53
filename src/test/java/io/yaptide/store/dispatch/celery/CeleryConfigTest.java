package io.yaptide.store.dispatch.celery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CeleryConfigTest {

    @Test
    void theOriginalsVariablesAreTheFallbackAndTheBrokerIsTheDefaultBackend() {
        assertThat(CeleryConfig.fromEnvironment(Map.of())).isEmpty();
        CeleryConfig c = CeleryConfig.fromEnvironment(Map.of("CELERY_BROKER_URL", "redis://redis:6379/0")).orElseThrow();
        assertThat(c.brokerUrl()).hasToString("redis://redis:6379/0");
        assertThat(c.resultBackendUrl()).isEqualTo(c.brokerUrl());
        assertThat(c.queue()).isEqualTo("simulations");
        CeleryConfig ours = CeleryConfig.fromEnvironment(Map.of("CELERY_BROKER_URL", "redis://a:6379/0",
                "YAPTIDE_CELERY_BROKER_URL", "redis://b:6379/1", "CELERY_RESULT_BACKEND", "redis://c:6379/2",
                "YAPTIDE_CELERY_QUEUE", "sims")).orElseThrow();
        assertThat(ours.brokerUrl().host()).isEqualTo("b");
        assertThat(ours.resultBackendUrl().host()).isEqualTo("c");
        assertThat(ours.resultBackendUrl().database()).isEqualTo(2);
        // the original's compose names its Redis with an underscore, which java.net.URI cannot parse
        CeleryConfig compose = CeleryConfig.fromEnvironment(Map.of("CELERY_BROKER_URL", "redis://yaptide_redis:6379/0"))
                .orElseThrow();
        assertThat(compose.brokerUrl().host()).isEqualTo("yaptide_redis");
        assertThat(ours.queue()).isEqualTo("sims");
    }

    @Test
    void aBadValueIsOneLineNamingTheVariableWithoutThePassword() {
        assertThatThrownBy(() -> CeleryConfig.fromEnvironment(Map.of("YAPTIDE_CELERY_BROKER_URL", "amqp://u:secret@mq//")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("YAPTIDE_CELERY_BROKER_URL must start with redis:// or rediss:// (AMQP is not supported)");
        assertThatThrownBy(() -> CeleryConfig.fromEnvironment(Map.of("CELERY_BROKER_URL", "redis://h:1/0",
                "YAPTIDE_CELERY_SILENCE_SECONDS", "soon")))
                .hasMessageContaining("YAPTIDE_CELERY_SILENCE_SECONDS");
        assertThat(CeleryConfig.fromEnvironment(Map.of("CELERY_BROKER_URL", "redis://:secret@h:6379/0")).orElseThrow()
                .brokerUrl().toString()).doesNotContain("secret");
    }
}
