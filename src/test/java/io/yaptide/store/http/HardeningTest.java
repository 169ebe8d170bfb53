package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.UserStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The access matrix, extended with replayed, revoked and cross-site requests, and login throttling.
 */
class HardeningTest {

    private static String cookieHeader(ApiClient c) {
        return c.cookies.getCookieStore().getCookies().stream().map(k -> k.getName() + "=" + k.getValue())
                .reduce((a, b) -> a + "; " + b).orElseThrow();
    }

    @DatabaseTest
    void tokensReplayedAfterLogoutOrAPasswordChangeAreRefused(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            String kept = cookieHeader(anna);
            assertThat(server.client().get("/auth/status", "Cookie", kept).status()).isEqualTo(200);
            assertThat(anna.delete("/auth/logout").status()).isEqualTo(200);
            ApiClient.Response access = server.client().get("/auth/status", "Cookie", kept);
            assertThat(access.status()).isEqualTo(403);
            assertThat(access.message()).contains("revoked");
            assertThat(server.client().get("/auth/refresh", "Cookie", kept).status()).isEqualTo(403);

            ApiClient again = server.client();
            assertThat(again.login("anna", "pw-anna").status()).isEqualTo(202);
            String beforeChange = cookieHeader(again);
            assertThat(new UserStore(db.database()).updatePassword("anna", "a new password")).isTrue();
            ApiClient.Response stale = server.client().get("/auth/status", "Cookie", beforeChange);
            assertThat(stale.status()).isEqualTo(403);
            assertThat(stale.message()).contains("password changed");
            assertThat(server.client().get("/auth/refresh", "Cookie", beforeChange).status()).isEqualTo(403);
            ApiClient fresh = server.client();
            assertThat(fresh.login("anna", "a new password").status()).isEqualTo(202);
            assertThat(fresh.get("/auth/status").status()).isEqualTo(200);
        }
    }

    @DatabaseTest
    void crossSiteRequestsWithTheCookiesAreRefusedAndChangeNothing(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, Duration.ofMinutes(10), Duration.ofHours(2), List.of("http://localhost:3000"))) {
            ApiClient anna = server.client().signedUp("anna");
            String job = UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit").toString();
            Map<String, Long> rows = SeedRows.counts(db.jdbi());
            String own = "http://127.0.0.1:" + server.server.port();

            ApiClient.Response evil = anna.send("POST", "/jobs/direct", job, "Origin", "http://evil.example");
            assertThat(evil.status()).isEqualTo(403);
            assertThat(evil.message()).contains("Cross-site request refused");
            ApiClient.Response otherPort = anna.send("POST", "/jobs/direct", job, "Origin", "http://127.0.0.1:1");
            assertThat(otherPort.status()).isEqualTo(403);
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
                ApiClient.Response r = anna.sendTyped("POST", "/jobs/direct", job, type);
                assertThat(r.status()).as(type).isEqualTo(415);
            }
            assertThat(anna.send("DELETE", "/auth/logout", null, "Origin", "http://evil.example").status()).isEqualTo(403);
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);

            assertThat(anna.send("POST", "/jobs/direct", job, "Origin", "http://localhost:3000").status()).isEqualTo(202);
            assertThat(anna.send("POST", "/jobs/direct", job, "Origin", own).status()).isEqualTo(202);
            assertThat(anna.post("/jobs/direct", job).status()).as("no Origin: not a browser's cross-site request").isEqualTo(202);
        }
    }

    @DatabaseTest
    void repeatedFailedLoginsAreThrottledWith429AndRetryAfter(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            server.client().register("anna", "right");
            ApiClient attacker = server.client();
            for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
                assertThat(attacker.login("anna", "guess" + i).status()).isEqualTo(401);
            }
            ApiClient.Response slowed = attacker.login("anna", "guess");
            assertThat(slowed.status()).isEqualTo(429);
            assertThat(slowed.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                    assertThat(Long.parseLong(v)).isBetween(1L, LoginThrottle.MAX_WAIT.toSeconds()));
            // while it waits, even the right password is not checked: guesses learn nothing
            assertThat(server.client().login("anna", "right").status()).isEqualTo(429);
            server.client().register("bert", "pw");
            assertThat(server.client().login("bert", "pw").status()).as("another user from the same address").isEqualTo(202);
            Thread.sleep(LoginThrottle.FIRST_WAIT.toMillis() + 1100);
            assertThat(server.client().login("anna", "right").status()).as("after the wait").isEqualTo(202);
        }
    }
}
