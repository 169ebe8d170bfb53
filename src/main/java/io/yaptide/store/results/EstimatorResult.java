package io.yaptide.store.results;

import java.util.List;

/**
 * One estimator of a result set as workers post it, ready to store: its name, its metadata (the
 * estimator JSON without its pages) and its pages, each already compressed.
 */
public record EstimatorResult(String name, Payload metadata, List<PageData> pages) {
    public record PageData(int pageNumber, Payload data) {
    }
}
