package io.yaptide.store.results;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between a result set as JSON and what {@link ResultStore} stores.
 *
 * <h2>In: a worker's result set</h2>
 * The shape workers post (and {@code json_with_results.json} holds):
 * <pre>{"estimators": [{"name": "z_profile_", "metadata": {...},
 *                  "pages": [{"metadata": {"page_number": "0", ...}, "dimensions": 1,
 *                             "data": {...}, "axis_dim1": {...}}, ...]}, ...], ...}</pre>
 * Other top-level fields ({@code message}, {@code simulation_id}, {@code update_key}) are ignored
 * here. As in the original, an estimator stores its {@code metadata} object and each page stores the
 * whole page object (metadata included). The page number is {@code metadata.page_number} (the
 * original's rule; it arrives as a string such as {@code "0"} or as a number); a page without one
 * gets its index in the list, where the original failed. Within one estimator a page number seen
 * twice keeps the later page, as the original's update-in-place did.
 *
 * <p>{@link #decode(byte[])} does not build a JSON tree: it walks the tokens ({@link ResultSetReader}),
 * notes where each page lies in the request bytes and compresses it straight from there, so a result
 * set is never copied into objects and written out again. Each stored page is therefore the exact JSON
 * text the worker sent. The HTTP route reads the same way from the socket, page by page
 * ({@link ResultSetIngest}), for result sets larger than the heap.
 *
 * <p>Out, the original's {@code GET /results} body is written by the HTTP layer
 * ({@code http/ResultSetBody}), from {@link EstimatorPages} as {@link ResultStore#resultSet} reads them.
 */
public final class ResultSetCodec {

    private static final JsonFactory JSON = Payload.MAPPER.getFactory();

    /** An estimator with its pages, read back for a response. */
    public record EstimatorPages(Estimator estimator, List<ResultPage> pages) {
    }

    private ResultSetCodec() {
    }

    /**
     * Reads a worker's result set into estimators ready for {@link ResultStore#storeResults}.
     *
     * @throws InvalidResultSetException naming what is wrong, for JSON of another shape
     */
    public static List<EstimatorResult> decode(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "a result set must be a JSON object with an \"estimators\" list");
            Collected estimators = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("estimators")) {
                    estimators = new Collected();
                    new ResultSetReader(p, ResultSetReader.source(json), ResultSetReader.TextCheck.NONE, "estimators").read(estimators);
                } else {
                    p.skipChildren();
                }
            }
            expect(estimators != null, "the result set has no \"estimators\" list");
            expect(p.nextToken() == null, "unexpected content after the result set's closing brace");
            return estimators.compressed();
        } catch (StreamReadException e) {
            // malformed JSON, or a number out of range
            throw new InvalidResultSetException("the result set is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An estimator as read, its pages not compressed yet. */
    private record ParsedEstimator(String name, Payload metadata, List<PageSlice> pages) {
    }

    private record PageSlice(int number, String name, int dimension, ResultSetReader.Slice json) {
    }

    /**
     * Collects the estimators and compresses their pages after reading, so that a malformed set is
     * refused before any compression work. (Compressing pages in parallel was tried: on this 2-core
     * machine, shared with other work, it gained nothing measurable, so it is not done here.)
     */
    private static final class Collected implements ResultSetReader.EstimatorSink {
        private final List<ParsedEstimator> estimators = new ArrayList<>();
        private Map<Integer, PageSlice> pages;

        @Override
        public void estimatorStarted(int index) {
            pages = new LinkedHashMap<>();
        }

        @Override
        public void pagesStarting(String name, Payload metadata) {
            pages = new LinkedHashMap<>(); // a second "pages" list replaces the first, as a JSON object's later key does
        }

        @Override
        public void page(int pageNumber, String pageName, int dimension, ResultSetReader.Slice json, boolean repeated) {
            pages.remove(pageNumber); // a repeated number keeps the later page, at its position
            pages.put(pageNumber, new PageSlice(pageNumber, pageName, dimension, json));
        }

        @Override
        public void estimatorEnded(String name, Payload metadata) {
            estimators.add(new ParsedEstimator(name, metadata, new ArrayList<>(pages.values())));
        }

        List<EstimatorResult> compressed() {
            List<EstimatorResult> out = new ArrayList<>(estimators.size());
            for (ParsedEstimator e : estimators) {
                List<EstimatorResult.PageData> data = new ArrayList<>(e.pages().size());
                for (PageSlice page : e.pages()) {
                    data.add(new EstimatorResult.PageData(page.number(), page.name(), page.dimension(),
                            Payload.ofJsonBytes(page.json().bytes(), page.json().offset(), page.json().length())));
                }
                out.add(new EstimatorResult(e.name(), e.metadata(), data));
            }
            return out;
        }
    }

    private static void expect(boolean condition, String problem) {
        if (!condition) {
            throw new InvalidResultSetException(problem);
        }
    }
}
