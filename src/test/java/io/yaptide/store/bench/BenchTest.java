package io.yaptide.store.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark machinery works; figures are printed, never asserted (see docs/benchmarks.md). */
class BenchTest {

    @Test
    void registersTheFiguresTheIssueNamesAsDefaults() {
        assertThat(Workloads.all()).containsKeys("task_updates_1thread", "task_updates_8threads", "ingest",
                "read_pages_json", "read_pages_raw", "gzip_levels");
        assertThat(Workloads.all().entrySet().stream().filter(e -> e.getValue().byDefault()).map(e -> e.getKey()).toList())
                .containsSubsequence("task_updates_1thread", "task_updates_8threads", "ingest", "read_pages_json", "read_pages_raw")
                .doesNotContain("gzip_levels");
    }

    @Test
    void anUnknownWorkloadIsAUsageError() {
        assertThat(Bench.run(new String[] {"no_such_workload"})).isEqualTo(2);
    }

    @DatabaseTest
    void eachDefaultWorkloadPrintsOneFigureLineAndCleansUpAfterItself(TestDatabase db) throws Exception {
        System.setProperty("bench.scale", "0.02"); // a smoke run: short, its figures mean nothing
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Figures figures = new Figures(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (BenchContext ctx = new BenchContext(db::database, Fixtures.dir())) {
            for (String name : List.of("ingest", "read_pages_json", "read_pages_raw", "task_updates_1thread", "task_updates_8threads")) {
                Workloads.all().get(name).workload().run(ctx, figures);
            }
        } finally {
            System.clearProperty("bench.scale");
        }
        db.closePool();

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).satisfiesExactly(
                l -> assertThat(l).matches("ingest [0-9.]+ MB/s"),
                l -> assertThat(l).matches("read_pages_json [0-9.]+ MB/s"),
                l -> assertThat(l).matches("read_pages_raw [0-9.]+ MB/s"),
                l -> assertThat(l).matches("task_updates_1thread [0-9.]+ updates/s"),
                l -> assertThat(l).matches("task_updates_8threads [0-9.]+ updates/s"));
        assertThat(SeedRows.counts(db.jdbi()).values()).containsOnly(0L);
    }

    @DatabaseTest
    void theWorkerReportWorkloadPrintsItsFiguresWithTheCeilingOnPostgres(TestDatabase db) throws Exception {
        System.setProperty("bench.scale", "0.02");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Figures figures = new Figures(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (BenchContext ctx = new BenchContext(db::database, Fixtures.dir())) {
            Workloads.all().get("http_task_updates_realistic").workload().run(ctx, figures);
        } finally {
            System.clearProperty("bench.scale");
        }
        db.closePool();

        List<String> names = bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.split(" ")[0]).toList();
        List<String> always = List.of("http_task_updates_realistic_warmup_s", "http_task_updates_realistic",
                "http_task_updates_realistic_p99", "http_task_updates_realistic_p50", "http_task_updates_realistic_jvm_cpu_us");
        if (db.isPostgres()) {
            // pgbench's own figure is printed only where pgbench is installed (CI installs it with PostgreSQL)
            assertThat(names).containsSubsequence(always).contains("http_task_updates_ceiling_jdbc_tps")
                    .endsWith("http_task_updates_ceiling_ratio");
            assertThat(bytes.toString(StandardCharsets.UTF_8)).containsPattern("http_task_updates_ceiling_ratio [0-9.]+ x_of_(jdbc|pgbench)");
        } else {
            assertThat(names).isEqualTo(always);
        }
    }
}
