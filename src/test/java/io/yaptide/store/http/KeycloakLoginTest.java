package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.keycloak.KeycloakConfig;
import io.yaptide.store.keycloak.KeycloakSettings;
import io.yaptide.store.keycloak.LocalIdentityProvider;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.AuthProvider;
import io.yaptide.store.users.KeyCipher;
import io.yaptide.store.users.KeycloakUser;
import io.yaptide.store.users.UserStore;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /auth/keycloak} against a local identity provider over a real socket, on both engines: a
 * PLGrid token logs its user in (created, cert and key stored), every bad token is refused with
 * nothing written, an unavailable Keycloak or certificate service is a 503 with nothing written, key
 * rotation works, an unknown kid does not make us hammer Keycloak, the cookie opens the Keycloak-only
 * routes, and logout clears it.
 */
class KeycloakLoginTest {

    static KeycloakSettings settings(LocalIdentityProvider idp) {
        return new KeycloakSettings(new KeycloakConfig.Setup(idp.config(), null), null);
    }

    static ApiClient.Response login(ApiClient client, String token, String username) {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("username", username);
        return token == null ? client.post("/auth/keycloak", body)
                : client.send("POST", "/auth/keycloak", body, "Authorization", "Bearer " + token);
    }

    /** Every row count, and each Keycloak user's name, cert and key as stored. */
    static Map<String, Object> snapshot(TestDatabase db) {
        Map<String, Object> all = new LinkedHashMap<>(SeedRows.counts(db.jdbi()));
        all.put("keycloak rows", db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT u.username, k.cert, k.private_key FROM "User" u JOIN "KeycloakUser" k ON k.id = u.id ORDER BY u.id""")
                .map((rs, ctx) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3)).list()));
        return all;
    }

    @DatabaseTest
    void aPlgridTokenLogsItsUserInAndTheCookieOpensTheKeycloakRoutes(TestDatabase db) throws Exception {
        try (LocalIdentityProvider idp = new LocalIdentityProvider(); TestServer server = TestServer.start(db, settings(idp))) {
            new ClusterStore(db.database()).create("ares");
            ApiClient browser = server.client();
            String token = idp.token("plgjan");
            Instant before = Instant.now();
            ApiClient.Response r = login(browser, token, "plgjan");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            assertThat(r.message()).isEqualTo("Successfully logged in");
            assertThat(r.json().path("access_exp").asLong()).isBetween(before.plusSeconds(590).toEpochMilli(),
                    Instant.now().plusSeconds(601).toEpochMilli());
            assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("access_token=")
                    .contains("HttpOnly").contains("SameSite=Lax"));
            // the certificate service was asked with the user's own bearer token, and its answer stored
            assertThat(idp.certAuthorizations()).containsExactly("Bearer " + token);
            KeycloakUser stored = (KeycloakUser) new UserStore(db.database()).find("plgjan", AuthProvider.KEYCLOAK).orElseThrow();
            assertThat(stored.cert()).isEqualTo("CERT-1");
            assertThat(stored.privateKey()).isEqualTo("PRIVATE-KEY-1");

            assertThat(browser.get("/auth/status").json().path("username").asText()).isEqualTo("plgjan");
            assertThat(browser.get("/user/clusters").json().path("clusters").findValuesAsText("cluster_name"))
                    .containsExactly("ares");
            ObjectNode job = UserJourneyTest.payload("fluka_json_payload_files.json", "fluka");
            ApiClient.Response submitted = browser.post("/jobs/batch", job);
            assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
            String jobId = submitted.json().path("job_id").asText();
            assertThat(browser.get("/jobs/batch?job_id=" + jobId).json().path("job_state").asText()).isEqualTo("PENDING");
            assertThat(browser.delete("/jobs/batch?job_id=" + jobId).message()).isEqualTo("Job canceled");

            // the next login replaces cert and key with what the certificate service hands out now
            idp.answerCert(new LocalIdentityProvider.Answer(200, "application/json",
                    "{\"cert\": \"CERT-2\", \"private\": \"PRIVATE-KEY-2\"}"));
            assertThat(login(browser, idp.token("plgjan"), "plgjan").status()).isEqualTo(202);
            assertThat(snapshot(db).get("keycloak rows")).isEqualTo(List.of("plgjan|CERT-2|PRIVATE-KEY-2"));
            assertThat(SeedRows.counts(db.jdbi())).containsEntry("User", 1L).containsEntry("KeycloakUser", 1L);

            // logout clears the cookie: the routes are closed again
            ApiClient.Response out = browser.delete("/auth/keycloak");
            assertThat(out.status()).isEqualTo(200);
            assertThat(out.message()).isEqualTo("User logged out");
            assertThat(browser.get("/user/clusters").status()).isEqualTo(401);
        }
    }

    @DatabaseTest
    void anEs256TokenIsAcceptedAndTheClientMayBeAnAudienceInsteadOfAzp(TestDatabase db) throws Exception {
        try (LocalIdentityProvider idp = new LocalIdentityProvider(); TestServer server = TestServer.start(db, settings(idp))) {
            ECKey ec = LocalIdentityProvider.newEcKey();
            idp.publish(idp.rsaKey, ec);
            String token = LocalIdentityProvider.sign(ec, idp.claims("plgec").claim("azp", "other-client")
                    .audience(List.of("account", LocalIdentityProvider.CLIENT)).build());
            ApiClient.Response r = login(server.client(), token, "plgec");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            // within the clock skew (30 s) a just-expired token still passes
            String late = idp.token("plgec", c -> c.expirationTime(Date.from(Instant.now().minusSeconds(10))));
            assertThat(login(server.client(), late, "plgec").status()).isEqualTo(202);
        }
    }

    @DatabaseTest
    void everyBadTokenIsRefusedAndNothingIsWritten(TestDatabase db) throws Exception {
        try (LocalIdentityProvider idp = new LocalIdentityProvider(); TestServer server = TestServer.start(db, settings(idp))) {
            new UserStore(db.database()).createKeycloakUser("plgjan", "OLD-CERT", "OLD-KEY");
            RSAKey stranger = LocalIdentityProvider.newRsaKey();
            String kid = idp.rsaKey.getKeyID();
            Map<String, String> bad = new LinkedHashMap<>();
            bad.put("expired beyond the clock skew", idp.token("plgjan",
                    c -> c.expirationTime(Date.from(Instant.now().minusSeconds(60)))));
            bad.put("signed by another key under the published kid",
                    LocalIdentityProvider.sign(stranger, kid, idp.claims("plgjan").build()));
            bad.put("unknown kid", LocalIdentityProvider.sign(stranger, idp.claims("plgjan").build()));
            bad.put("no kid", LocalIdentityProvider.sign(idp.rsaKey, null, idp.claims("plgjan").build()));
            bad.put("alg none", idp.unsigned("plgjan"));
            bad.put("HMAC with the public key as secret", idp.hmacWithPublicKey("plgjan"));
            bad.put("wrong issuer", idp.token("plgjan", c -> c.issuer(idp.baseUrl() + "/auth/realms/other")));
            bad.put("wrong audience", idp.token("plgjan", c -> c.claim("azp", "other-client").audience("account")));
            bad.put("no azp nor aud", idp.token("plgjan", c -> c.claim("azp", null).audience((String) null)));
            bad.put("access service missing", idp.token("plgjan", c -> c.claim("plgridAccessServices", List.of("PLG_OTHER"))));
            bad.put("no access services at all", idp.token("plgjan", c -> c.claim("plgridAccessServices", null)));
            bad.put("username mismatch", idp.token("plgeve"));
            bad.put("an ID token", idp.token("plgjan", c -> c.claim("typ", "ID")));
            bad.put("not yet valid", idp.token("plgjan", c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(300)))));
            bad.put("tampered payload", tamper(idp.token("plgjan")));
            bad.put("garbage", "not-a-token");
            Map<String, Object> before = snapshot(db);

            for (Map.Entry<String, String> c : bad.entrySet()) {
                ApiClient.Response r = login(server.client(), c.getValue(), "plgjan");
                assertThat(r.status()).as(c.getKey() + ": " + r.text()).isEqualTo(403);
                assertThat(r.headers().allValues("Set-Cookie")).as(c.getKey()).isEmpty();
            }
            ApiClient.Response none = login(server.client(), null, "plgjan");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.message()).isEqualTo("No token provided");
            ApiClient.Response noName = server.client().send("POST", "/auth/keycloak", ApiClient.JSON.createObjectNode(),
                    "Authorization", "Bearer " + idp.token("plgjan"));
            assertThat(noName.status()).isEqualTo(400);

            assertThat(snapshot(db)).isEqualTo(before);
            assertThat(idp.certRequests()).as("the certificate service is asked only for a good token").isZero();
            assertThat(login(server.client(), idp.token("plgjan"), "plgjan").status()).isEqualTo(202);
        }
    }

    @DatabaseTest
    void withEncryptionOnTheKeyIsNotInTheDatabaseButTheServiceReadsIt(TestDatabase db) throws Exception {
        KeyCipher cipher = new KeyCipher(java.util.HexFormat.of().parseHex("5a".repeat(32)));
        try (LocalIdentityProvider idp = new LocalIdentityProvider();
             TestServer server = TestServer.start(db, new KeycloakSettings(new KeycloakConfig.Setup(idp.config(), null), cipher))) {
            assertThat(login(server.client(), idp.token("plgjan"), "plgjan").status()).isEqualTo(202);
            String column = db.jdbi().withHandle(h -> h.createQuery("SELECT private_key FROM \"KeycloakUser\"")
                    .mapTo(String.class).one());
            assertThat(column).startsWith("yaptide-aes256gcm:v1:" + cipher.keyId() + ":").doesNotContain("PRIVATE-KEY-1");
            UserStore store = new UserStore(db.database(), cipher);
            KeycloakUser jan = (KeycloakUser) store.find("plgjan", AuthProvider.KEYCLOAK).orElseThrow();
            assertThat(store.privateKey(jan)).contains("PRIVATE-KEY-1");
            assertThat(jan.cert()).isEqualTo("CERT-1");
            // without the key the column cannot be read in the clear, and says so
            assertThatThrownBy(() -> new UserStore(db.database()).privateKey(jan)).isInstanceOf(KeyCipher.CannotOpen.class)
                    .hasMessageContaining("YAPTIDE_SECRET_KEY_FILE");
        }
    }

    @DatabaseTest
    void concurrentFirstLoginsOfOneUserMakeOneUser(TestDatabase db) throws Exception {
        try (LocalIdentityProvider idp = new LocalIdentityProvider(); TestServer server = TestServer.start(db, settings(idp))) {
            List<String> tokens = java.util.stream.IntStream.range(0, 6).mapToObj(i -> idp.token("plgjan")).toList();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
            try {
                var answers = pool.invokeAll(tokens.stream().map(t -> (java.util.concurrent.Callable<Integer>)
                        () -> login(server.client(), t, "plgjan").status()).toList());
                for (var a : answers) {
                    assertThat(a.get()).isEqualTo(202);
                }
            } finally {
                pool.shutdown();
            }
            assertThat(SeedRows.counts(db.jdbi())).containsEntry("User", 1L).containsEntry("KeycloakUser", 1L);
        }
    }

    @DatabaseTest
    void refusalsAreLoggedOnOneLineWithoutTheTokenOrTheKey(TestDatabase db) throws Exception {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(KeycloakRoutes.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try (LocalIdentityProvider idp = new LocalIdentityProvider(); TestServer server = TestServer.start(db, settings(idp))) {
            List<String> tokens = List.of(
                    idp.token("plgjan\nFORGED 403 line", c -> c.issuer("http://evil\n12:00 INFO forged")),
                    idp.token("plgjan", c -> c.claim("plgridAccessServices", List.of("x\ny"))),
                    idp.token("plgjan\r\nFORGED"));
            for (String token : tokens) {
                assertThat(login(server.client(), token, "plgjan\nFORGED").status()).isEqualTo(403);
            }
            assertThat(login(server.client(), idp.token("plgjan"), "plgjan").status()).isEqualTo(202);
            assertThat(seen.list).hasSize(3);
            for (var event : seen.list) {
                String line = event.getFormattedMessage();
                assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("FORGED\n");
                for (String token : tokens) {
                    assertThat(line).doesNotContain(token).doesNotContain(token.split("\\.")[1]);
                }
                assertThat(line).doesNotContain("PRIVATE-KEY");
            }
        } finally {
            log.detachAppender(seen);
        }
    }

    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"plgjan\"", "\"plgjam\"");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
    }

    @DatabaseTest
    void keycloakOrTheCertificateServiceUnavailableIs503WithNothingWritten(TestDatabase db) throws Exception {
        new UserStore(db.database()).createKeycloakUser("plgjan", "OLD-CERT", "OLD-KEY");
        Map<String, Object> before = snapshot(db);
        try (LocalIdentityProvider idp = new LocalIdentityProvider()) {
            // a proxy's error page instead of the key set
            idp.answerJwks(new LocalIdentityProvider.Answer(502, "text/html", "<html><body>502 Bad Gateway</body></html>"));
            try (TestServer server = TestServer.start(db, settings(idp))) {
                ApiClient.Response r = login(server.client(), idp.token("plgjan"), "plgjan");
                assertThat(r.status()).as(r.text()).isEqualTo(503);
            }
            // a 200 that is not a key set
            idp.answerJwks(new LocalIdentityProvider.Answer(200, "text/html", "<html>login page</html>"));
            try (TestServer server = TestServer.start(db, settings(idp))) {
                assertThat(login(server.client(), idp.token("plgjan"), "plgjan").status()).isEqualTo(503);
            }
            idp.answerJwks(null);
            try (TestServer server = TestServer.start(db, settings(idp))) {
                // the certificate service failing, refusing, answering nonsense
                for (var answer : List.of(new LocalIdentityProvider.Answer(500, "text/plain", "oops"),
                        new LocalIdentityProvider.Answer(200, "text/html", "<html/>"),
                        new LocalIdentityProvider.Answer(200, "application/json", "{\"cert\": \"C\"}"))) {
                    idp.answerCert(answer);
                    ApiClient.Response r = login(server.client(), idp.token("plgjan"), "plgjan");
                    assertThat(r.status()).as(answer + ": " + r.text()).isEqualTo(503);
                    assertThat(r.message()).isEqualTo("Certificate service is not available");
                }
                idp.answerCert(new LocalIdentityProvider.Answer(403, "application/json", "{}"));
                assertThat(login(server.client(), idp.token("plgjan"), "plgjan").status()).isEqualTo(403);
            }
            // the certificate service unreachable
            KeycloakConfig c = idp.config();
            KeycloakConfig noCertService = new KeycloakConfig(c.issuer(), c.jwksUrl(), c.clientId(),
                    URI.create("http://127.0.0.1:" + closedPort() + "/cert"), c.clockSkew(), c.jwksTtl(),
                    c.jwksMinRefresh(), c.connectTimeout(), c.readTimeout());
            try (TestServer server = TestServer.start(db, new KeycloakSettings(new KeycloakConfig.Setup(noCertService, null), null))) {
                assertThat(login(server.client(), idp.token("plgjan"), "plgjan").status()).isEqualTo(503);
            }
            assertThat(snapshot(db)).isEqualTo(before);
        }
        // Keycloak itself unreachable (its port closed)
        LocalIdentityProvider gone = new LocalIdentityProvider();
        String token = gone.token("plgjan");
        KeycloakSettings settings = settings(gone);
        gone.close();
        try (TestServer server = TestServer.start(db, settings)) {
            ApiClient.Response r = login(server.client(), token, "plgjan");
            assertThat(r.status()).as(r.text()).isEqualTo(503);
            assertThat(r.message()).isEqualTo("Service is not available");
        }
        assertThat(snapshot(db)).isEqualTo(before);
        // not configured at all: the original's 403
        try (TestServer server = TestServer.start(db, KeycloakSettings.none())) {
            ApiClient.Response r = login(server.client(), token, "plgjan");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.message()).isEqualTo("Service is not available");
        }
        assertThat(snapshot(db)).isEqualTo(before);
    }

    @DatabaseTest
    void aRotatedKeyIsFetchedAndUnknownKidsAreRateLimited(TestDatabase db) throws Exception {
        try (LocalIdentityProvider idp = new LocalIdentityProvider(); TestServer server = TestServer.start(db, settings(idp))) {
            assertThat(login(server.client(), idp.token("plgjan"), "plgjan").status()).isEqualTo(202);
            assertThat(login(server.client(), idp.token("plgjan"), "plgjan").status()).isEqualTo(202);
            assertThat(idp.jwksRequests()).as("the key set is cached").isEqualTo(1);

            RSAKey next = LocalIdentityProvider.newRsaKey();
            idp.publish(next);
            String rotated = LocalIdentityProvider.sign(next, idp.claims("plgjan").build());
            ApiClient.Response r = login(server.client(), rotated, "plgjan");
            assertThat(r.status()).as(r.text()).isEqualTo(202);
            assertThat(idp.jwksRequests()).as("an unknown kid refetches the key set").isEqualTo(2);

            // made-up key ids: refused, and the key set is not fetched for each of them
            RSAKey stranger = LocalIdentityProvider.newRsaKey();
            for (int i = 0; i < 10; i++) {
                String forged = LocalIdentityProvider.sign(stranger, "made-up-" + i, idp.claims("plgjan").build());
                assertThat(login(server.client(), forged, "plgjan").status()).isEqualTo(403);
            }
            assertThat(idp.jwksRequests()).as("refetches within the rate limit").isLessThanOrEqualTo(3);
            // the retired key is gone from the refetched set
            assertThat(login(server.client(), idp.token("plgjan"), "plgjan").status()).isEqualTo(403);
            assertThat(login(server.client(), rotated, "plgjan").status()).isEqualTo(202);
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
