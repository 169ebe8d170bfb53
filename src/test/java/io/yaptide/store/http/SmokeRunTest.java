package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;

/** {@code bin/yaptide smoke} against a real server: every step passes and the throwaway user leaves nothing behind. */
class SmokeRunTest {

    @DatabaseTest
    void theSmokeTestPassesAndLeavesNoRowsBehind(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            Map<String, Long> before = SeedRows.counts(db.jdbi());
            StringWriter out = new StringWriter();
            new SmokeRun(server.url(), Duration.ofSeconds(60), new PrintWriter(out)).run();

            assertThat(out.toString().lines().filter(l -> l.startsWith("ok ")))
                    .hasSize(18)
                    .allSatisfy(l -> assertThat(l).matches("ok +\\d+ ms  .+"));
            assertThat(out.toString()).contains("wait until COMPLETED: 200 Job state: COMPLETED",
                    "remove the throwaway user: 200 User smoke-", "smoke test passed in");
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(before);
        }
    }
}
