package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.time.Duration;
import java.util.List;

/** The web front end is served from another origin and sends cookies: CORS with credentials, for configured origins only. */
class CorsTest {
    static final String FRONT_END = "http://localhost:3000";

    @DatabaseTest
    void aConfiguredOriginMayCallWithCredentialsAfterAPreflight(TestDatabase db) {
        try (TestServer server = TestServer.start(db, Duration.ofMinutes(10), Duration.ofHours(2), List.of(FRONT_END))) {
            ApiClient browser = server.client();
            ApiClient.Response preflight = browser.send("OPTIONS", "/auth/login", null, "Origin", FRONT_END,
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(FRONT_END);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(
                    m -> assertThat(m).contains("POST", "PUT", "DELETE", "GET"));
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
                    h -> assertThat(h).containsIgnoringCase("content-type"));

            browser.register("anna", "pw");
            ApiClient.Response login = browser.send("POST", "/auth/login",
                    ApiClient.JSON.createObjectNode().put("username", "anna").put("password", "pw"), "Origin", FRONT_END);
            assertThat(login.status()).isEqualTo(202);
            assertThat(login.headers().firstValue("Access-Control-Allow-Origin")).contains(FRONT_END);
            assertThat(login.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
            ApiClient.Response hello = browser.get("/", "Origin", FRONT_END);
            assertThat(hello.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
            ApiClient.Response refused = server.client().get("/auth/status", "Origin", FRONT_END, "Cookie", "access_token=x");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
                    .as("errors carry CORS headers too, so the front end can read the message").contains(FRONT_END);

            ApiClient.Response stranger = browser.get("/", "Origin", "http://evil.example");
            assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            ApiClient.Response strangerPreflight = browser.send("OPTIONS", "/auth/login", null, "Origin", "http://evil.example",
                    "Access-Control-Request-Method", "POST");
            assertThat(strangerPreflight.status()).isEqualTo(403);
            assertThat(strangerPreflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(strangerPreflight.message()).contains("Origin http://evil.example is not allowed", FRONT_END);
        }
    }

    @DatabaseTest
    void noOriginIsAllowedByDefault(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            ApiClient.Response hello = server.client().get("/", "Origin", FRONT_END);
            assertThat(hello.status()).isEqualTo(200);
            assertThat(hello.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            ApiClient.Response preflight = server.client().send("OPTIONS", "/jobs/direct", null, "Origin", FRONT_END,
                    "Access-Control-Request-Method", "POST");
            assertThat(preflight.status()).isEqualTo(403);
            assertThat(preflight.message()).contains("allows no origins", HttpConfig.ENV_CORS_ORIGINS);
        }
    }
}
