package io.yaptide.store.results;

import java.util.List;

/**
 * One estimator of a result set as workers post it, ready to store: the name users see, the name
 * the simulator gave it ({@code fileName}, the original's {@code Estimator.file_name}), its metadata
 * (the estimator JSON without its pages) and its pages, each already compressed.
 */
public record EstimatorResult(String name, String fileName, Payload metadata, List<PageData> pages) {

    /** An estimator whose shown name is the simulator's. */
    public EstimatorResult(String name, Payload metadata, List<PageData> pages) {
        this(name, name, metadata, pages);
    }

    /** The same estimator shown under another name (an editor project's output name). */
    public EstimatorResult named(String shownName) {
        return new EstimatorResult(shownName, fileName, metadata, pages);
    }

    /**
     * A page: its number, and the name ({@code metadata.name}) and dimension ({@code dimensions})
     * that {@code GET /estimators} lists without decoding the page.
     */
    public record PageData(int pageNumber, String pageName, int dimension, Payload data) {
        public PageData(int pageNumber, Payload data) {
            this(pageNumber, "", 0, data);
        }
    }
}
