package io.yaptide.store.bench;

import io.yaptide.store.results.Estimator;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultStore;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code read_pages_json} and {@code read_pages_raw}: every page of the ingested result sets read
 * back through {@link ResultStore#pages(long)}, either decoded to JSON bytes or as the stored gzip
 * bytes. Both are MB/s of the JSON the pages hold, so the two figures compare directly.
 */
final class ReadPages implements Workload {
    private final boolean decode;

    ReadPages(boolean decode) {
        this.decode = decode;
    }

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        Ingest.prepare(ctx);
        ResultStore results = ctx.results();
        List<Long> estimators = new ArrayList<>();
        long jsonBytes = 0;
        for (long sim : ctx.resultSimulations()) {
            for (Estimator e : results.estimators(sim)) {
                estimators.add(e.id());
                for (ResultPage p : results.pages(e.id())) {
                    jsonBytes += p.data().jsonBytes().length;
                }
            }
        }
        long[] sink = new long[1];
        Stopwatch.Run run = Stopwatch.repeat(0.5, 2.0, () -> {
            for (long estimator : estimators) {
                for (ResultPage page : results.pages(estimator)) {
                    sink[0] += decode ? page.data().jsonBytes().length : page.data().compressed().length;
                }
            }
        });
        if (sink[0] == 0) {
            throw new IllegalStateException("no pages were read");
        }
        out.print(decode ? "read_pages_json" : "read_pages_raw", run.perSecond() * jsonBytes / 1e6, "MB/s");
    }
}
