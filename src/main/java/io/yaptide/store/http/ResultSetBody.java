package io.yaptide.store.http;

import io.yaptide.store.results.Estimator;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultSetCodec.EstimatorPages;
import io.yaptide.store.results.ResultStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one writer of the original's {@code GET /results} body, {@code {"message", "estimators":
 * [{"metadata", "name", "pages"}]}}, spliced from the stored JSON, fed estimator by estimator and
 * page by page as a streamed read hands them out ({@link ResultStore#streamResultSet}). The sink is
 * opened at the first estimator, so a set with none has written nothing and can still be a 404.
 */
final class ResultSetBody implements ResultStore.ResultSetVisitor {
    /** Opens the sink the body goes to. */
    interface Opener {
        JsonSink open() throws IOException;
    }

    private final String message;
    private final Opener opener;
    private JsonSink body;
    private int pagesOfEstimator;

    ResultSetBody(String message, Opener opener) {
        this.message = message;
        this.opener = opener;
    }

    /** The body of a set held in memory (estimators in order, each with its pages), by the same writer. */
    static JsonParts of(String message, List<EstimatorPages> all) {
        JsonParts parts = new JsonParts();
        ResultSetBody writer = new ResultSetBody(message, () -> parts);
        try {
            for (EstimatorPages e : all) {
                writer.estimator(e.estimator());
                for (ResultPage page : e.pages()) {
                    writer.page(page);
                }
            }
            if (!writer.started()) {
                parts.text("{\"message\":").value(message).text(",\"estimators\":[]}");
                return parts;
            }
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a JsonParts holds its pieces: it does not fail
        }
        return parts;
    }

    @Override
    public void estimator(Estimator estimator) throws IOException {
        if (body == null) {
            body = opener.open();
            body.text("{\"message\":").value(message).text(",\"estimators\":[{");
        } else {
            body.text("]},{");
        }
        pagesOfEstimator = 0;
        estimatorHead(body, estimator);
    }

    @Override
    public void page(ResultPage page) throws IOException {
        body.text(pagesOfEstimator++ == 0 ? "" : ",").stored(page.data());
    }

    /** Whether an estimator has been written (the body exists). */
    boolean started() {
        return body != null;
    }

    /** Closes the last estimator and the body; the caller then finishes the sink. */
    void end() throws IOException {
        body.text("]}]}");
    }

    /** An estimator's fields up to the opening of its page list. */
    static void estimatorHead(JsonSink body, Estimator estimator) throws IOException {
        body.text("\"metadata\":").stored(estimator.metadata())
                .text(",\"name\":").value(estimator.name())
                .text(",\"pages\":[");
    }
}
