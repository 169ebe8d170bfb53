package io.yaptide.store.bench;

import io.yaptide.store.results.ResultSetCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ingest}: MB/s of result JSON stored when {@code json_with_results.json} is stored
 * {@link BenchContext#RESULT_SETS} times, each into its own simulation, the way the HTTP route does
 * it: decode the request bytes (pages compressed on the way) and store the set in one transaction.
 * A few untimed rounds first let the JIT and the connection pool warm up.
 */
final class Ingest implements Workload {
    private static final int WARMUP_ROUNDS = 5;

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        byte[] json = ctx.resultsFixture();
        long warmup = ctx.newSimulation(1).simulation().id();
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            ctx.results().storeResults(warmup, ResultSetCodec.decode(json));
        }

        List<Long> simulations = new ArrayList<>();
        for (int i = 0; i < BenchContext.RESULT_SETS; i++) {
            simulations.add(ctx.newSimulation(1).simulation().id());
        }
        double seconds = Stopwatch.time(() -> {
            for (long sim : simulations) {
                ctx.results().storeResults(sim, ResultSetCodec.decode(json));
            }
        });
        ctx.setResultSimulations(simulations);
        out.print("ingest", (double) json.length * simulations.size() / seconds / 1e6, "MB/s");
    }

    /** Stores the result sets untimed, for read workloads run without {@code ingest}. */
    static void prepare(BenchContext ctx) {
        if (ctx.resultSimulations() != null) {
            return;
        }
        byte[] json = ctx.resultsFixture();
        List<Long> simulations = new ArrayList<>();
        for (int i = 0; i < BenchContext.RESULT_SETS; i++) {
            long sim = ctx.newSimulation(1).simulation().id();
            ctx.results().storeResults(sim, ResultSetCodec.decode(json));
            simulations.add(sim);
        }
        ctx.setResultSimulations(simulations);
    }
}
