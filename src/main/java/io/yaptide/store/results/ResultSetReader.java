package io.yaptide.store.results;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the {@code estimators} list of a worker's result set from a JSON parser, one estimator and
 * one page at a time, handing each to an {@link EstimatorSink} as soon as it has been read: nothing
 * of the set is held but the document being read, so a result set may be larger than the heap.
 *
 * <p>Each page (and each estimator's metadata) is the exact JSON text the worker sent, cut from the
 * parser's input by byte offset ({@link Source}). The shape rules are those of
 * {@link ResultSetCodec}: a page's number is {@code metadata.page_number} (a string such as
 * {@code "0"} or a number), else its index; a number seen twice in one estimator is reported again
 * ({@code repeated}), and the later page replaces the earlier. Every string and field name is checked
 * with the given {@link TextCheck} while the tokens go by.
 */
public final class ResultSetReader {
    /** While skipping a large value outside any document, the window is released every so many tokens. */
    private static final int RELEASE_EVERY = 4096;

    /** Where the bytes the parser reads can be had again, by byte offset from the start of its input. */
    public interface Source {
        /** The bytes {@code [start, end)}, as a slice (of a copy, or of the input itself). */
        Slice slice(long start, long end);

        /** Bytes before {@code offset} will not be asked for again. */
        void release(long offset);
    }

    /** The bytes of an input held whole: slices of it, not copies. */
    public static Source source(byte[] json) {
        return new Source() {
            @Override
            public Slice slice(long start, long end) {
                return new Slice(json, (int) start, (int) (end - start));
            }

            @Override
            public void release(long offset) {
            }
        };
    }

    /** {@code length} bytes of {@code bytes} from {@code offset}; never modified once handed out. */
    public record Slice(byte[] bytes, int offset, int length) {
    }

    /** Checks a string's characters; returns the problem, or null when the text is acceptable. */
    public interface TextCheck {
        String problem(char[] chars, int offset, int length);

        TextCheck NONE = (chars, offset, length) -> null;
    }

    /** What the reader reports, in the order met in the input. */
    public interface EstimatorSink {
        /** An estimator object begins ({@code index} from 0). */
        void estimatorStarted(int index);

        /** Its page list begins; the name and metadata are given if they came before it (else null). */
        void pagesStarting(String name, Payload metadata);

        /** A page, its JSON as sent; {@code repeated} when its number was given earlier in this estimator. */
        void page(int pageNumber, String pageName, int dimension, Slice json, boolean repeated);

        /** The estimator object ends: its name (never null) and metadata (null when absent or null). */
        void estimatorEnded(String name, Payload metadata);
    }

    private final JsonParser p;
    private final Source source;
    private final TextCheck check;
    private final String field;
    private int tokensSinceRelease;

    /**
     * @param field the name of the list in the body, for messages ({@code estimators})
     */
    public ResultSetReader(JsonParser p, Source source, TextCheck check, String field) {
        this.p = p;
        this.source = source;
        this.check = check;
        this.field = field;
    }

    /**
     * Reads the list the parser is at (its current token must be the value), up to and including
     * its closing bracket.
     *
     * @return the number of estimators read
     * @throws InvalidResultSetException naming what is wrong, for JSON of another shape
     */
    public int read(EstimatorSink sink) throws IOException {
        expect(p.currentToken() == JsonToken.START_ARRAY, "\"" + field + "\" must be a list");
        // pages are cut from the input by byte offset, which a parser reading another encoding does not give
        expect(p.currentTokenLocation().getByteOffset() >= 0, "a result set must be UTF-8 JSON");
        int count = 0;
        while (next() != JsonToken.END_ARRAY) {
            readEstimator(count, sink);
            count++;
        }
        release(p.currentTokenLocation().getByteOffset() + 1);
        return count;
    }

    private void readEstimator(int index, EstimatorSink sink) throws IOException {
        String owner = "estimator #" + index;
        expect(p.currentToken() == JsonToken.START_OBJECT, owner + " must be an object");
        sink.estimatorStarted(index);
        String name = null;
        Payload metadata = null;
        boolean pages = false;
        while (next() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken value = next();
            switch (f) {
                case "name" -> {
                    expect(value == JsonToken.VALUE_STRING && !p.getText().isBlank(), owner + " needs a non-empty \"name\" string");
                    name = p.getText();
                }
                case "metadata" -> metadata = value == JsonToken.VALUE_NULL ? null : document();
                case "pages" -> {
                    sink.pagesStarting(name, metadata);
                    readPages(owner, sink);
                    pages = true;
                }
                default -> skip();
            }
        }
        expect(name != null, owner + " has no \"name\"");
        expect(pages, "estimator " + name + " has no \"pages\" list");
        sink.estimatorEnded(name, metadata);
    }

    private void readPages(String owner, EstimatorSink sink) throws IOException {
        expect(p.currentToken() == JsonToken.START_ARRAY, owner + ": \"pages\" must be a list");
        Set<Integer> seen = new HashSet<>();
        int index = 0;
        while (next() != JsonToken.END_ARRAY) {
            String where = owner + ": page #" + index;
            expect(p.currentToken() == JsonToken.START_OBJECT, where + " must be an object");
            long start = p.currentTokenLocation().getByteOffset();
            release(start);
            Integer number = null;
            String pageName = "";
            int dimension = 0;
            while (next() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken value = next();
                if (f.equals("metadata") && value == JsonToken.START_OBJECT) {
                    PageMetadata m = readPageMetadata(where);
                    number = m.number();
                    pageName = m.name();
                } else if (f.equals("dimensions") && value == JsonToken.VALUE_NUMBER_INT) {
                    dimension = p.getIntValue();
                } else if (f.equals("dimensions") && value == JsonToken.VALUE_STRING && p.getText().strip().matches("-?\\d{1,9}")) {
                    dimension = Integer.parseInt(p.getText().strip());
                } else {
                    skipInDocument();
                }
            }
            long end = p.currentTokenLocation().getByteOffset() + 1;
            int pageNumber = number != null ? number : index;
            sink.page(pageNumber, pageName, dimension, source.slice(start, end), !seen.add(pageNumber));
            release(end);
            index++;
        }
    }

    /** What a page's metadata says: its number (null when absent) and its name ('' when absent). */
    private record PageMetadata(Integer number, String name) {
    }

    /** Reads {@code page_number} and {@code name} from a page's metadata object, consuming the object. */
    private PageMetadata readPageMetadata(String where) throws IOException {
        Integer number = null;
        String name = "";
        while (next() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken value = next();
            if (f.equals("page_number")) {
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
            } else if (f.equals("name") && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                name = p.getText();
            } else {
                skipInDocument();
            }
        }
        return new PageMetadata(number, name);
    }

    /** The current value as a stored document: objects and arrays straight from their bytes. */
    private Payload document() throws IOException {
        if (p.currentToken().isScalarValue()) {
            return Payload.ofJson(Payload.MAPPER.readTree(p)); // unusual metadata; not worth a fast path
        }
        long start = p.currentTokenLocation().getByteOffset();
        release(start);
        skipInDocument();
        long end = p.currentTokenLocation().getByteOffset() + 1;
        Slice json = source.slice(start, end);
        release(end);
        return Payload.ofJsonBytes(json.bytes(), json.offset(), json.length());
    }

    /** Skips the current value, which lies inside a document being kept. */
    private void skipInDocument() throws IOException {
        skip(false);
    }

    /** Skips the current value, which no document needs: what it spans may be released as it goes. */
    private void skip() throws IOException {
        skip(true);
    }

    /**
     * Skips the value the parser is at (a field of the body beside the list), checking its strings
     * and releasing what it spans as it goes.
     */
    public void skipValue() throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            String problem = check.problem(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (problem != null) {
                throw new InvalidResultSetException(field + " " + problem);
            }
        }
        skip(true);
        release(p.currentTokenLocation().getByteOffset() + 1);
    }

    private void skip(boolean releasing) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            t = next();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
            if (releasing && ++tokensSinceRelease >= RELEASE_EVERY) {
                tokensSinceRelease = 0;
                release(p.currentTokenLocation().getByteOffset());
            }
        }
    }

    /** The next token, with its text checked when it is a string or a field name; the end of input is an error. */
    private JsonToken next() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new InvalidResultSetException("the result set ends early: the body was cut off");
        }
        if ((t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) && check != TextCheck.NONE) {
            String problem = check.problem(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (problem != null) {
                throw new InvalidResultSetException((t == JsonToken.FIELD_NAME ? "a field name in " : "a string in ")
                        + field + " " + problem);
            }
        }
        return t;
    }

    private void release(long offset) {
        source.release(offset);
    }

    private static void expect(boolean condition, String problem) {
        if (!condition) {
            throw new InvalidResultSetException(problem);
        }
    }
}
