package io.yaptide.store.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * A JSON document stored gzip-compressed, as the original stores inputs, estimators, pages and log
 * files: {@code gzip(json.dumps(obj).encode())}.
 *
 * <p>A payload holds the compressed bytes and decodes them only when asked, so that a result page
 * can be served to a client that accepts gzip without being decompressed: what we write is in the
 * {@link SpliceableGzip} form, whose deflate data goes into the answer's one gzip member as it is.
 * Any gzip level reads back the same; {@link #LEVEL} is chosen for speed (see docs/design.md, "Payloads").
 */
public final class Payload {

    /** gzip level for what we write; see docs/design.md, "Payloads", for the size/speed figures behind it. */
    public static final int LEVEL = 1;

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final byte[] compressed;

    private Payload(byte[] compressed) {
        this.compressed = compressed;
    }

    /** Wraps bytes as stored (gzip of UTF-8 JSON). */
    public static Payload ofCompressed(byte[] compressed) {
        if (compressed == null) {
            throw new IllegalArgumentException("null payload bytes");
        }
        return new Payload(compressed);
    }

    /** Serialises a JSON tree (or any Jackson-serialisable value) and compresses it. */
    public static Payload ofJson(Object value) {
        try {
            return ofJsonBytes(MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise payload", e);
        }
    }

    /** Compresses JSON text given as UTF-8 bytes (not validated: the caller parsed it already). */
    public static Payload ofJsonBytes(byte[] json) {
        return ofJsonBytes(json, 0, json.length);
    }

    /** Compresses {@code length} bytes of UTF-8 JSON text starting at {@code offset} (not validated). */
    public static Payload ofJsonBytes(byte[] json, int offset, int length) {
        return ofJsonBytes(json, offset, length, LEVEL);
    }

    /** As {@link #ofJsonBytes(byte[], int, int)} at a chosen gzip level (1-9); for measuring levels. */
    public static Payload ofJsonBytes(byte[] json, int offset, int length, int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("gzip level must be 1..9, not " + level);
        }
        return new Payload(SpliceableGzip.compress(json, offset, length, level));
    }

    /** The stored bytes, as they are (gzip). Do not modify the returned array. */
    public byte[] compressed() {
        return compressed;
    }

    /** The decompressed JSON text as UTF-8 bytes. */
    public byte[] jsonBytes() {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 64 * 1024)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("stored payload is not valid gzip: " + e.getMessage(), e);
        }
    }

    /** The decoded JSON tree. */
    public JsonNode json() {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 64 * 1024)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("stored payload cannot be decoded: " + e.getMessage(), e);
        }
    }

    public int compressedSize() {
        return compressed.length;
    }

    /** True when the stored bytes are in the form whose deflate data can be spliced ({@link SpliceableGzip}). */
    public boolean isSpliceable() {
        return SpliceableGzip.run(compressed) != null;
    }

    /**
     * The document's deflate data as a run that can be placed inside a larger gzip member: a slice
     * of the stored bytes when they are in our spliceable form, else (a document the original
     * stored, or one written before that form) the text recompressed now at {@link #LEVEL}.
     */
    public DeflateRun deflateRun() {
        DeflateRun run = SpliceableGzip.run(compressed);
        if (run != null) {
            return run;
        }
        byte[] text = jsonBytes();
        return SpliceableGzip.run(SpliceableGzip.compress(text, 0, text.length, LEVEL));
    }
}
