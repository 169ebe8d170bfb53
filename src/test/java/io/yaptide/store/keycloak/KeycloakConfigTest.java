package io.yaptide.store.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeycloakConfigTest {
    static final Map<String, String> ORIGINAL = Map.of("KEYCLOAK_BASE_URL", "https://sso.example.org/",
            "KEYCLOAK_REALM", "plgrid", "KEYCLOAK_CLIENT_ID", "yaptide");

    @Test
    void theOriginalsVariablesGiveTheOriginalsUrls() {
        KeycloakConfig c = KeycloakConfig.fromEnvironment(ORIGINAL).config();
        assertThat(c.issuer()).hasToString("https://sso.example.org/auth/realms/plgrid");
        assertThat(c.jwksUrl()).hasToString("https://sso.example.org/auth/realms/plgrid/protocol/openid-connect/certs");
        assertThat(c.clientId()).isEqualTo("yaptide");
        assertThat(c.certAuthUrl()).isNull();
        assertThat(c.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void prefixedFormsWinAndTheCurrentKeycloakPathIsConfigurable() {
        Map<String, String> env = new java.util.HashMap<>(ORIGINAL);
        env.put("YAPTIDE_KEYCLOAK_REALM", "other");
        env.put("KEYCLOAK_REALMS_PATH", "/realms");
        env.put("CERT_AUTH_URL", "https://certs.example.org/cert");
        env.put("YAPTIDE_KEYCLOAK_CLOCK_SKEW_SECONDS", "5");
        KeycloakConfig c = KeycloakConfig.fromEnvironment(env).config();
        assertThat(c.issuer()).hasToString("https://sso.example.org/realms/other");
        assertThat(c.certAuthUrl()).hasToString("https://certs.example.org/cert");
        assertThat(c.clockSkew()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void missingVariablesTurnTheLoginOffAndWrongOnesStopTheStart() {
        KeycloakConfig.Setup none = KeycloakConfig.fromEnvironment(Map.of("KEYCLOAK_BASE_URL", "https://sso.example.org"));
        assertThat(none.config()).isNull();
        assertThat(none.notConfigured()).isEqualTo("KEYCLOAK_REALM, KEYCLOAK_CLIENT_ID not set");
        for (var wrong : Map.of("KEYCLOAK_BASE_URL", "sso.example.org", "KEYCLOAK_REALM", "a/b",
                "KEYCLOAK_CLOCK_SKEW_SECONDS", "3600", "KEYCLOAK_JWKS_MIN_REFRESH_SECONDS", "0",
                "CERT_AUTH_URL", "ftp://x", "KEYCLOAK_REALMS_PATH", "../x").entrySet()) {
            Map<String, String> env = new java.util.HashMap<>(ORIGINAL);
            env.put(wrong.getKey(), wrong.getValue());
            assertThatThrownBy(() -> KeycloakConfig.fromEnvironment(env)).as(wrong.toString())
                    .isInstanceOf(ConfigException.class).hasMessageContaining(wrong.getKey());
        }
    }
}
