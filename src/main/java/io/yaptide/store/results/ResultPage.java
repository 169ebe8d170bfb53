package io.yaptide.store.results;

/** One page of an estimator's results (a 0-, 1- or 2-D data set with its axes). */
public record ResultPage(long id, long estimatorId, int pageNumber, Payload data) {
}
