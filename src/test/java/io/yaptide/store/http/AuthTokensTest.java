package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.UserStore;
import java.net.HttpCookie;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Cookies, token expiry and refresh, as the web front end relies on them. */
class AuthTokensTest {

    private static String cookie(ApiClient client, String name) {
        return client.cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    @DatabaseTest
    void anExpiredAccessCookieIsRenewedWithTheRefreshCookie(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, Duration.ofSeconds(1), Duration.ofSeconds(60), List.of())) {
            ApiClient anna = server.client().signedUp("anna");
            assertThat(anna.get("/auth/status").status()).isEqualTo(200);

            Thread.sleep(2200); // the access cookie expires with its token; the browser drops it
            ApiClient.Response expired = anna.get("/auth/status");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.message()).isEqualTo("No token provided");

            long before = System.currentTimeMillis();
            ApiClient.Response refreshed = anna.get("/auth/refresh");
            assertThat(refreshed.status()).isEqualTo(200);
            assertThat(refreshed.message()).isEqualTo("User refreshed");
            assertThat(refreshed.json().path("access_exp").asLong()).isBetween(before + 1000, before + 2500);
            assertThat(refreshed.json().has("refresh_exp")).isFalse();
            assertThat(refreshed.headers().allValues("Set-Cookie")).singleElement()
                    .satisfies(c -> assertThat(c).startsWith("access_token=").contains("HttpOnly"));
            assertThat(anna.get("/auth/status").json().path("username").asText()).isEqualTo("anna");
        }
    }

    @DatabaseTest
    void tokensThatAreExpiredForgedOrOfTheWrongKindAreRefused(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            var annaUser = new UserStore(db.database()).find("anna", io.yaptide.store.users.AuthProvider.YAPTIDE)
                    .orElseThrow();
            Tokens lastYear = new Tokens(TestServer.SECRET, Duration.ofMinutes(10), Duration.ofHours(2),
                    Clock.fixed(Instant.now().minus(Duration.ofDays(365)), ZoneOffset.UTC));
            String expiredAccess = lastYear.issue(annaUser, Tokens.Kind.ACCESS).token();
            String expiredRefresh = lastYear.issue(annaUser, Tokens.Kind.REFRESH).token();
            ApiClient bare = server.client();

            ApiClient.Response a = bare.get("/auth/status", "Cookie", "access_token=" + expiredAccess);
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.message()).isEqualTo("Refresh access token. Signature expired.");
            ApiClient.Response r = bare.get("/auth/refresh", "Cookie", "refresh_token=" + expiredRefresh);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.message()).isEqualTo("Log in again. Signature expired.");

            String refresh = cookie(anna, "refresh_token");
            ApiClient.Response wrongKind = bare.get("/auth/status", "Cookie", "access_token=" + refresh);
            assertThat(wrongKind.status()).isEqualTo(403);
            assertThat(wrongKind.message()).isEqualTo("Refresh access token. Invalid token.");

            Tokens otherSecret = new Tokens("another-secret-another-secret-another-0123".getBytes(StandardCharsets.UTF_8),
                    Duration.ofMinutes(10), Duration.ofHours(2), Clock.systemUTC());
            ApiClient.Response forged = bare.get("/auth/status", "Cookie",
                    "access_token=" + otherSecret.issue(annaUser, Tokens.Kind.ACCESS).token());
            assertThat(forged.status()).isEqualTo(403);
            assertThat(forged.message()).isEqualTo("Refresh access token. Invalid token.");
            assertThat(bare.get("/auth/status", "Cookie", "access_token=garbage").message())
                    .isEqualTo("Refresh access token. Invalid token.");

            String access = cookie(anna, "access_token");
            assertThat(anna.delete("/user").status()).isEqualTo(200);
            ApiClient.Response gone = bare.get("/auth/status", "Cookie", "access_token=" + access);
            assertThat(gone.status()).isEqualTo(403);
            assertThat(gone.message()).isEqualTo("User not found");
        }
    }

    @DatabaseTest
    void loginAndRegistrationAnswerAsTheOriginal(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            ApiClient c = server.client();
            assertThat(c.register("anna", "pw").status()).isEqualTo(201);
            ApiClient.Response again = c.register("anna", "other");
            assertThat(again.status()).isEqualTo(403);
            assertThat(again.message()).isEqualTo("User existing");
            ApiClient.Response wrong = c.login("anna", "wrong");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.message()).isEqualTo("Invalid login or password");
            assertThat(wrong.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(c.login("nobody", "pw").status()).isEqualTo(401);
            ApiClient.Response ok = c.login("anna", "pw");
            assertThat(ok.json().fieldNames()).toIterable().containsExactlyInAnyOrder("message", "access_exp", "refresh_exp");
            assertThat(cookie(c, "access_token")).isNotBlank();
        }
    }

    @DatabaseTest
    void tokensOfADeletedAccountDoNotOpenTheAccountThatGetsItsIdNext(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            ApiClient mallory = server.client().signedUp("mallory");
            long malloryId = new UserStore(db.database()).find("mallory", io.yaptide.store.users.AuthProvider.YAPTIDE)
                    .orElseThrow().id();
            String oldAccess = cookie(mallory, "access_token");
            String oldRefresh = cookie(mallory, "refresh_token");
            assertThat(mallory.delete("/user").status()).isEqualTo(200);

            server.client().signedUp("victim");
            long victimId = new UserStore(db.database()).find("victim", io.yaptide.store.users.AuthProvider.YAPTIDE)
                    .orElseThrow().id();
            if (db.engine() == io.yaptide.store.testing.Engine.SQLITE) {
                // SQLite reuses the highest rowid after a delete: this is the case the check is for
                assertThat(victimId).isEqualTo(malloryId);
            }

            ApiClient bare = server.client();
            ApiClient.Response status = bare.get("/auth/status", "Cookie", "access_token=" + oldAccess);
            assertThat(status.status()).isEqualTo(403);
            assertThat(status.message()).isEqualTo("User not found");
            ApiClient.Response refresh = bare.get("/auth/refresh", "Cookie", "refresh_token=" + oldRefresh);
            assertThat(refresh.status()).isEqualTo(403);
            assertThat(refresh.json().has("access_exp")).isFalse();
        }
    }
}
