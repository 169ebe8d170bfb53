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

/**
 * {@code ingest_1gb} and {@code results_get} run end to end at a small scale (20 MB; the service
 * as its own process): each prints its figures, named as issue 14 names them, and leaves nothing
 * behind. Their figures are never asserted (see docs/benchmarks.md).
 */
class GigabyteWorkloadsTest {

    @DatabaseTest
    void theGigabyteWorkloadsPrintTheirFiguresAndCleanUpAfterThemselves(TestDatabase db) throws Exception {
        System.setProperty("bench.scale", "0.02");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Figures figures = new Figures(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (BenchContext ctx = new BenchContext(db::database, Fixtures.dir())) {
            for (String name : List.of("ingest_1gb", "results_get")) {
                Workloads.all().get(name).workload().run(ctx, figures);
            }
        } finally {
            System.clearProperty("bench.scale");
        }
        db.closePool();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.split(" ")[0] + " " + l.split(" ")[2]).toList())
                .containsExactly("ingest_1gb_MBps MB/s", "ingest_1gb_first_post_MBps MB/s", "ingest_1gb_peak_heap_mb MB", "ingest_1gb_peak_heap_after_gc_mb MB",
                        "ingest_1gb_get_plain_MBps MB/s", "ingest_1gb_get_gzip_MBps MB/s", "ingest_1gb_get_peak_heap_mb MB",
                        "ingest_1gb_gzip_ratio x", "ingest_1gb_compress_1core_MBps MB/s", "ingest_1gb_vs_compress_1core x", "results_get_plain_MBps MB/s", "results_get_gzip_MBps MB/s");
        assertThat(SeedRows.counts(db.jdbi()).values()).containsOnly(0L);
    }
}
