package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.OpsConfig;
import io.yaptide.store.http.HttpConfig;
import io.yaptide.store.http.YaptideServer;
import io.yaptide.store.keycloak.KeycloakSettings;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code bin/yaptide smoke} against a real server: every step passes and the throwaway user leaves nothing behind. */
class SmokeRunTest {

    @DatabaseTest
    void theSmokeTestPassesAndLeavesNoRowsBehind(TestDatabase db) throws Exception {
        HttpConfig config = new HttpConfig("127.0.0.1", 0, "smoke-test-secret-smoke-test-secret-0123456789".getBytes(
                StandardCharsets.UTF_8), false, List.of(), 8L * 1024 * 1024, Duration.ofMinutes(10), Duration.ofHours(2),
                new HttpConfig.DummyConfig(2, Duration.ofMillis(20), 3, Fixtures.file("json_with_results.json").toString()));
        try (YaptideServer server = YaptideServer.start(db.database(), config, OpsConfig.defaults(), KeycloakSettings.none(),
                url -> ServeCommand.dispatcher(url, config.dummy(), db.database(), Optional.empty()))) {
            Map<String, Long> before = SeedRows.counts(db.jdbi());
            StringWriter out = new StringWriter();
            new SmokeRun(server.baseUrl(), Duration.ofSeconds(60), new PrintWriter(out)).run();

            assertThat(out.toString().lines().filter(l -> l.startsWith("ok ")))
                    .hasSize(18)
                    .allSatisfy(l -> assertThat(l).matches("ok +\\d+ ms  .+"));
            assertThat(out.toString()).contains("wait until COMPLETED: 200 Job state: COMPLETED",
                    "remove the throwaway user: 200 User smoke-", "smoke test passed in");
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(before);
        }
    }
}
