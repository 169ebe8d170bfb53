package io.yaptide.store.bench;

/** One benchmark: does bounded work against the context and prints its figures. */
@FunctionalInterface
public interface Workload {
    void run(BenchContext ctx, Figures out) throws Exception;
}
