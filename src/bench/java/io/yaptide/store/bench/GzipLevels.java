package io.yaptide.store.bench;

import io.yaptide.store.results.EstimatorResult;
import io.yaptide.store.results.Payload;
import io.yaptide.store.results.ResultSetCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Compresses and decompresses the fixture's result pages at each gzip level, as the stores would
 * (one gzip stream per page), and prints speed and ratio per level: the figures behind
 * {@link Payload#LEVEL}. Needs no database.
 */
final class GzipLevels implements Workload {
    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        List<byte[]> pages = new ArrayList<>();
        for (EstimatorResult e : ResultSetCodec.decode(ctx.resultsFixture())) {
            for (EstimatorResult.PageData p : e.pages()) {
                pages.add(p.data().jsonBytes());
            }
        }
        long jsonBytes = pages.stream().mapToLong(b -> b.length).sum();
        for (int level = 1; level <= 9; level++) {
            int lvl = level;
            List<Payload> compressed = new ArrayList<>();
            for (byte[] page : pages) {
                compressed.add(Payload.ofJsonBytes(page, 0, page.length, lvl));
            }
            long compressedBytes = compressed.stream().mapToLong(Payload::compressedSize).sum();
            Stopwatch.Run c = Stopwatch.repeat(0.2, 0.6, () -> {
                for (byte[] page : pages) {
                    Payload.ofJsonBytes(page, 0, page.length, lvl);
                }
            });
            Stopwatch.Run d = Stopwatch.repeat(0.1, 0.4, () -> {
                for (Payload p : compressed) {
                    p.jsonBytes();
                }
            });
            out.print("gzip_level_" + level + "_compress", c.perSecond() * jsonBytes / 1e6, "MB/s");
            out.print("gzip_level_" + level + "_decompress", d.perSecond() * jsonBytes / 1e6, "MB/s");
            out.print("gzip_level_" + level + "_ratio", (double) jsonBytes / compressedBytes, "x");
        }
    }
}
