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
 * <p>{@link #decode(byte[])} does not build a JSON tree: it walks the tokens, notes where each page
 * lies in the request bytes and compresses it straight from there, so a 2.5 MB result set is never copied into objects and written out again. Each stored page
 * is therefore the exact JSON text the worker sent.
 *
 * <p>Out, the original's {@code GET /results} body is written by the HTTP layer
 * ({@code http/ResultsRoutes.resultSetBody}), from {@link EstimatorPages} as {@link ResultStore#resultSet} reads them.
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
            List<EstimatorResult> estimators = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("estimators")) {
                    estimators = readEstimators(p, json);
                } else {
                    p.skipChildren();
                }
            }
            expect(estimators != null, "the result set has no \"estimators\" list");
            expect(p.nextToken() == null, "unexpected content after the result set's closing brace");
            return estimators;
        } catch (StreamReadException e) {
            // malformed JSON, or a number out of range
            throw new InvalidResultSetException("the result set is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page found in the request: its number, name, dimension and where its JSON lies in the request bytes. */
    private record PageSlice(int number, String name, int dimension, int start, int length) {
    }

    /** An estimator as parsed, its pages not compressed yet. */
    private record ParsedEstimator(String name, Payload metadata, List<PageSlice> pages) {
    }

    private static List<EstimatorResult> readEstimators(JsonParser p, byte[] json) throws IOException {
        expect(p.currentToken() == JsonToken.START_ARRAY, "\"estimators\" must be a list");
        List<ParsedEstimator> parsed = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int index = parsed.size();
            expect(p.currentToken() == JsonToken.START_OBJECT, "estimator #" + index + " must be an object");
            String name = null;
            Payload metadata = null;
            List<PageSlice> pages = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "name" -> {
                        expect(value == JsonToken.VALUE_STRING && !p.getText().isBlank(),
                                "estimator #" + index + " needs a non-empty \"name\" string");
                        name = p.getText();
                    }
                    case "metadata" -> metadata = value == JsonToken.VALUE_NULL ? null : slice(p, json);
                    case "pages" -> pages = readPages(p, "estimator #" + index);
                    default -> p.skipChildren();
                }
            }
            expect(name != null, "estimator #" + index + " has no \"name\"");
            expect(pages != null, "estimator " + name + " has no \"pages\" list");
            parsed.add(new ParsedEstimator(name, metadata, pages));
        }
        return compressPages(parsed, json);
    }

    /**
     * Compresses every page of the set, after parsing, so that a malformed set is refused before any
     * compression work. (Compressing pages in parallel was tried: on this 2-core machine, shared
     * with other work, it gained nothing measurable, so it is not done.)
     */
    private static List<EstimatorResult> compressPages(List<ParsedEstimator> parsed, byte[] json) {
        List<EstimatorResult> estimators = new ArrayList<>(parsed.size());
        for (ParsedEstimator e : parsed) {
            List<EstimatorResult.PageData> pages = new ArrayList<>(e.pages().size());
            for (PageSlice page : e.pages()) {
                pages.add(new EstimatorResult.PageData(page.number(), page.name(), page.dimension(),
                        Payload.ofJsonBytes(json, page.start(), page.length())));
            }
            estimators.add(new EstimatorResult(e.name(), e.metadata(), pages));
        }
        return estimators;
    }

    private static List<PageSlice> readPages(JsonParser p, String owner) throws IOException {
        expect(p.currentToken() == JsonToken.START_ARRAY, owner + ": \"pages\" must be a list");
        Map<Integer, PageSlice> byNumber = new LinkedHashMap<>();
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p.currentToken() == JsonToken.START_OBJECT, owner + ": page #" + index + " must be an object");
            int start = (int) p.currentTokenLocation().getByteOffset();
            PageMetadata metadata = new PageMetadata(null, "");
            int dimension = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
                    metadata = readPageMetadata(p, owner + ": page #" + index);
                } else if (field.equals("dimensions") && value == JsonToken.VALUE_NUMBER_INT) {
                    dimension = p.getIntValue();
                } else if (field.equals("dimensions") && value == JsonToken.VALUE_STRING && p.getText().strip().matches("-?\\d{1,9}")) {
                    dimension = Integer.parseInt(p.getText().strip());
                } else {
                    p.skipChildren();
                }
            }
            int end = (int) p.currentTokenLocation().getByteOffset() + 1;
            int pageNumber = metadata.number() != null ? metadata.number() : index;
            byNumber.remove(pageNumber); // a repeated number keeps the later page, at its position
            byNumber.put(pageNumber, new PageSlice(pageNumber, metadata.name(), dimension, start, end - start));
            index++;
        }
        return new ArrayList<>(byNumber.values());
    }

    /** What a page's metadata says: its number (null when absent) and its name ('' when absent). */
    private record PageMetadata(Integer number, String name) {
    }

    /** Reads {@code page_number} and {@code name} from a page's metadata object, consuming the object. */
    private static PageMetadata readPageMetadata(JsonParser p, String where) throws IOException {
        Integer number = null;
        String name = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("page_number")) {
                if (value == JsonToken.VALUE_NUMBER_INT) {
                    number = p.getIntValue();
                } else if (value == JsonToken.VALUE_STRING) {
                    try {
                        number = Integer.parseInt(p.getText().strip());
                    } catch (NumberFormatException e) {
                        throw new InvalidResultSetException(where + ": page_number \"" + p.getText() + "\" is not an integer");
                    }
                } else {
                    expect(value == JsonToken.VALUE_NULL, where + ": page_number must be an integer");
                }
            } else if (field.equals("name") && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                name = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new PageMetadata(number, name);
    }

    /** The current value as a payload: objects and arrays straight from their bytes in the input. */
    private static Payload slice(JsonParser p, byte[] json) throws IOException {
        if (p.currentToken().isScalarValue()) {
            return Payload.ofJson(Payload.MAPPER.readTree(p)); // unusual metadata; not worth a fast path
        }
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentTokenLocation().getByteOffset() + 1;
        return Payload.ofJsonBytes(json, start, end - start);
    }

    private static void expect(boolean condition, String problem) {
        if (!condition) {
            throw new InvalidResultSetException(problem);
        }
    }
}
