package io.yaptide.store.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code list_simulations_1m} runs end to end on PostgreSQL in its smoke shape (400 simulations in
 * a database of its own beside the bench database, durations scaled down): it prints its figures,
 * named as issue 14 names them. The figures are never asserted (see docs/benchmarks.md).
 */
class ListSimulationsWorkloadTest {

    @Test
    void theListWorkloadPrintsItsFiguresInOrder() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Figures figures = new Figures(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        System.setProperty("bench.scale", "0.02");
        System.setProperty("bench.list1m.shape", "smoke");
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES)) {
            String beside = MillionSimulations.urlBeside(db.url()).database();
            try (BenchContext ctx = new BenchContext(db::database, Fixtures.dir())) {
                Workloads.all().get("list_simulations_1m").workload().run(ctx, figures);
            } finally {
                TestDatabases.drop(beside);
            }
        } finally {
            System.clearProperty("bench.scale");
            System.clearProperty("bench.list1m.shape");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.split(" ")[0] + " " + l.split(" ")[2]).toList())
                .containsExactly("list_simulations_1m_generate_s s",
                        "list_simulations_1m_cold_p99_ms ms", "list_simulations_1m_cold_p50_ms ms",
                        "list_simulations_1m_warmup_s s",
                        "list_simulations_1m_p99_ms ms", "list_simulations_1m_p50_ms ms",
                        "list_simulations_1m_big_user_p99_ms ms", "list_simulations_1m_big_user_p50_ms ms",
                        "list_simulations_1m_big_user_last_page_p99_ms ms", "list_simulations_1m_big_user_last_page_p50_ms ms",
                        "list_simulations_1m_jobs_status_p99_ms ms", "list_simulations_1m_jobs_status_p50_ms ms",
                        "list_simulations_1m_cli_p99_ms ms", "list_simulations_1m_cli_p50_ms ms",
                        "list_simulations_1m_cli_connect_p99_ms ms", "list_simulations_1m_cli_connect_p50_ms ms");
    }
}
