package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.keycloak.KeycloakConfig;
import io.yaptide.store.keycloak.KeycloakSettings;
import io.yaptide.store.keycloak.LocalIdentityProvider;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.AuthProvider;
import io.yaptide.store.users.KeycloakUser;
import io.yaptide.store.users.UserStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The login against a real Keycloak server (the {@code keycloak-quarkus-dist} distribution), set up by
 * {@code .ci/keycloak-real-test}: realm {@code yaptide} with the public client {@code yaptide-ui}
 * (whose tokens carry {@code plgridAccessServices: ["PLG_YAPTIDE_ACCESS"]} by a hard-coded claim
 * mapper), a client {@code other-client} without it, and the user {@code plgtest}. Tokens come from
 * Keycloak's own token endpoint; the certificate service is the local stand-in. Named {@code *IT}, so
 * {@code ./mvnw verify} does not pick it up (it needs the server, minutes to start); that script runs
 * it with {@code -Dtest=RealKeycloakIT} and the server's URL in {@code yaptide.keycloak.url}.
 */
@EnabledIfSystemProperty(named = "yaptide.keycloak.url", matches = "http.+")
class RealKeycloakIT {
    static final String BASE = System.getProperty("yaptide.keycloak.url");
    static final String USER = System.getProperty("yaptide.keycloak.user", "plgtest");
    static final String PASSWORD = System.getProperty("yaptide.keycloak.password", "plgtest-password");

    /** An access token from Keycloak's token endpoint (resource-owner password grant). */
    static String token(String client) throws Exception {
        String form = "grant_type=password&client_id=" + client + "&username=" + USER + "&password="
                + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&scope=openid";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(BASE + "/realms/yaptide/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = ApiClient.JSON.readTree(r.body());
        return json.path("access_token").asText();
    }

    @DatabaseTest
    void aTokenFromKeycloakLogsItsUserInAndNothingElseDoes(TestDatabase db) throws Exception {
        try (LocalIdentityProvider certs = new LocalIdentityProvider()) {
            KeycloakConfig config = KeycloakConfig.of(BASE, "/realms", "yaptide", "yaptide-ui", certs.certUrl(),
                    Duration.ofSeconds(30), Duration.ofSeconds(30));
            try (TestServer server = TestServer.start(db, new KeycloakSettings(new KeycloakConfig.Setup(config, null), null))) {
                String token = token("yaptide-ui");
                ApiClient browser = server.client();
                ApiClient.Response r = KeycloakLoginTest.login(browser, token, USER);
                assertThat(r.status()).as(r.text()).isEqualTo(202);
                assertThat(browser.get("/auth/status").json().path("username").asText()).isEqualTo(USER);
                new ClusterStore(db.database()).create("ares");
                assertThat(browser.get("/user/clusters").json().path("clusters").findValuesAsText("cluster_name"))
                        .containsExactly("ares");
                assertThat(certs.certAuthorizations()).containsExactly("Bearer " + token);
                KeycloakUser stored = (KeycloakUser) new UserStore(db.database()).find(USER, AuthProvider.KEYCLOAK).orElseThrow();
                assertThat(stored.cert()).isEqualTo("CERT-1");

                // the same real token for somebody else, a token of another client (no access service,
                // another azp), and the token with its signature cut off: all refused
                assertThat(KeycloakLoginTest.login(server.client(), token, "plgsomebodyelse").status()).isEqualTo(403);
                ApiClient.Response other = KeycloakLoginTest.login(server.client(), token("other-client"), USER);
                assertThat(other.status()).as(other.text()).isEqualTo(403);
                String unsigned = token.substring(0, token.lastIndexOf('.') + 1);
                assertThat(KeycloakLoginTest.login(server.client(), unsigned, USER).status()).isEqualTo(403);
                assertThat(certs.certRequests()).isEqualTo(1);
            }
        }
    }
}
