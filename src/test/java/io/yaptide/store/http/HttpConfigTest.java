package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration from the environment: named defaults, and one clear line for a bad value. */
class HttpConfigTest {

    @Test
    void defaultsAreTheOriginalsAndASecretIsGeneratedWhenNoneIsSet() {
        HttpConfig c = HttpConfig.fromEnvironment("127.0.0.1", 5000, Map.of());
        assertThat(c.secretGenerated()).isTrue();
        assertThat(c.jwtSecret()).hasSize(64);
        assertThat(HttpConfig.fromEnvironment("127.0.0.1", 5000, Map.of()).jwtSecret()).isNotEqualTo(c.jwtSecret());
        assertThat(c.corsOrigins()).isEmpty();
        assertThat(c.maxBodyBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(c.maxResultsBodyBytes()).as("result sets are streamed: beyond 2 GiB").isEqualTo(16L << 30);
        assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.refreshTokenTtl()).isEqualTo(Duration.ofMinutes(120));
        assertThat(c.dummy().resultsFile()).isNull();
        assertThat(c.toString()).contains("secret=generated").doesNotContain(new String(c.jwtSecret()));
    }

    @Test
    void valuesComeFromTheEnvironment() {
        HttpConfig c = HttpConfig.fromEnvironment("0.0.0.0", 8080, Map.of(
                HttpConfig.ENV_JWT_SECRET, "0123456789abcdef0123456789abcdef",
                HttpConfig.ENV_CORS_ORIGINS, "http://localhost:3000, https://yaptide.example.org",
                HttpConfig.ENV_MAX_BODY_BYTES, "1048576",
                HttpConfig.ENV_MAX_RESULTS_BODY_BYTES, "5368709120",
                HttpConfig.ENV_ACCESS_TOKEN_SECONDS, "60",
                HttpConfig.ENV_DUMMY_STEP_MILLIS, "0"));
        assertThat(c.secretGenerated()).isFalse();
        assertThat(c.corsOrigins()).containsExactly("http://localhost:3000", "https://yaptide.example.org");
        assertThat(c.maxBodyBytes()).isEqualTo(1048576);
        assertThat(c.maxResultsBodyBytes()).isEqualTo(5L << 30);
        assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.dummy().stepDelay()).isZero();
    }

    @Test
    void badValuesAreOneLineNamingTheVariable() {
        assertThatThrownBy(() -> HttpConfig.fromEnvironment("h", 1, Map.of(HttpConfig.ENV_JWT_SECRET, "short")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("YAPTIDE_JWT_SECRET is 5 bytes long; use at least 32");
        assertThatThrownBy(() -> HttpConfig.fromEnvironment("h", 1, Map.of(HttpConfig.ENV_CORS_ORIGINS, "localhost:3000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'localhost:3000' is not an origin");
        assertThatThrownBy(() -> HttpConfig.fromEnvironment("h", 1, Map.of(HttpConfig.ENV_CORS_ORIGINS, "http://a/app")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("without a path");
        assertThatThrownBy(() -> HttpConfig.fromEnvironment("h", 1, Map.of(HttpConfig.ENV_MAX_BODY_BYTES, "10MB")))
                .isInstanceOf(ConfigException.class).hasMessage("YAPTIDE_MAX_BODY_BYTES must be a whole number (got '10MB')");
        assertThatThrownBy(() -> HttpConfig.fromEnvironment("h", 1, Map.of(HttpConfig.ENV_MAX_RESULTS_BODY_BYTES, "4G")))
                .isInstanceOf(ConfigException.class).hasMessage("YAPTIDE_MAX_RESULTS_BODY_BYTES must be a whole number (got '4G')");
        assertThatThrownBy(() -> HttpConfig.fromEnvironment("h", 1, Map.of(HttpConfig.ENV_ACCESS_TOKEN_SECONDS, "0")))
                .isInstanceOf(ConfigException.class).hasMessage("YAPTIDE_ACCESS_TOKEN_SECONDS must be greater than 0");
        assertThatThrownBy(() -> HttpConfig.fromEnvironment("h", 70000, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("port 70000 is out of range");
    }
}
