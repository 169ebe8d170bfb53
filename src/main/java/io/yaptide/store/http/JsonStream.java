package io.yaptide.store.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.yaptide.store.results.Crc32Combine;
import io.yaptide.store.results.DeflateRun;
import io.yaptide.store.results.Payload;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON answer written while it is assembled from literal text and stored payloads, for answers
 * that may be larger than the heap (a whole result set): the same bytes as {@link JsonParts}, one
 * gzip member spliced from the stored deflate data when the client accepts gzip, plain JSON
 * otherwise, but nothing is held beyond {@link #HELD_BYTES}.
 *
 * <p>An answer that ends within {@link #HELD_BYTES} is sent with a {@code Content-Length}, as
 * {@link JsonParts} sends every answer (its pieces held by reference, not copied). A larger one is
 * committed when it passes that size and goes out as it is made, with chunked transfer (its length
 * is not known up front: an original's document is recompressed while it is sent); the gzip
 * trailer's CRC-32 is combined from the pieces' as they pass ({@link Crc32Combine}).
 */
final class JsonStream implements JsonSink {
    /** Answers up to this size get a Content-Length; beyond it they stream. */
    static final int HELD_BYTES = 8 << 20;
    /** Literal text is written out as stored blocks once this much has gathered. */
    private static final int LITERAL_FLUSH = 64 * 1024;
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final byte[] FINAL_EMPTY_BLOCK = {1, 0, 0, (byte) 0xff, (byte) 0xff};

    private final HttpServletResponse response;
    private final boolean gzip;
    private final List<DeflateRun> held = new ArrayList<>();
    private long heldBytes;
    private OutputStream out;
    private final ByteArrayOutputStream literal = new ByteArrayOutputStream(256);
    private int crc;
    private long textLength;

    private JsonStream(Context ctx, int status) {
        ctx.status(status).contentType(Reply.CONTENT_TYPE);
        Reply.vary(ctx, "Accept-Encoding");
        ctx.attribute(Reply.ANSWERED, Boolean.TRUE);
        this.gzip = JsonParts.acceptsGzip(ctx.header("Accept-Encoding"));
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
        }
        this.response = ctx.res();
        if (gzip) {
            held.add(new DeflateRun(GZIP_HEADER, 0, GZIP_HEADER.length, 0, 0));
            heldBytes = GZIP_HEADER.length;
        }
    }

    /** An answer with this status, nothing written yet. */
    static JsonStream start(Context ctx, int status) {
        return new JsonStream(ctx, status);
    }

    /** Starts the original's envelope, {@code {"message": "...",}, of an answer with this status. */
    static JsonStream envelope(Context ctx, int status, String message) throws IOException {
        return new JsonStream(ctx, status).text("{\"message\":").value(message);
    }

    @Override
    public JsonStream text(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            literal.writeBytes(bytes);
            if (literal.size() >= LITERAL_FLUSH) {
                flushLiteral();
            }
        } else {
            emit(new DeflateRun(bytes, 0, bytes.length, 0, bytes.length));
        }
        return this;
    }

    /** A value serialised as JSON (a string is quoted and escaped). */
    @Override
    public JsonStream value(Object value) throws IOException {
        try {
            return text(new String(Reply.JSON.writeValueAsBytes(value), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }

    /** A stored JSON document, spliced in as stored (gzip) or decompressed (plain); null is JSON null. */
    @Override
    public JsonStream stored(Payload payload) throws IOException {
        if (payload == null) {
            return text(new String(NULL, StandardCharsets.US_ASCII));
        }
        if (gzip) {
            flushLiteral();
            add(payload.deflateRun());
        } else {
            byte[] json = payload.jsonBytes();
            emit(new DeflateRun(json, 0, json.length, 0, json.length));
        }
        return this;
    }

    /** Ends the answer: the gzip member's final block and trailer; the Content-Length if it was held whole. */
    void finish() throws IOException {
        if (gzip) {
            flushLiteral();
            byte[] tail = new byte[FINAL_EMPTY_BLOCK.length + 8];
            System.arraycopy(FINAL_EMPTY_BLOCK, 0, tail, 0, FINAL_EMPTY_BLOCK.length);
            putIntLE(tail, FINAL_EMPTY_BLOCK.length, crc);
            putIntLE(tail, FINAL_EMPTY_BLOCK.length + 4, (int) textLength); // ISIZE is the length modulo 2^32
            emit(new DeflateRun(tail, 0, tail.length, 0, 0));
        }
        if (out == null) {
            response.setContentLengthLong(heldBytes);
            out = response.getOutputStream();
            writeHeld();
        }
        out.flush();
    }

    /** True once bytes have gone to the client: the status can no longer change. */
    boolean committed() {
        return out != null;
    }

    private void flushLiteral() throws IOException {
        if (literal.size() > 0) {
            add(JsonParts.storedBlocks(literal.toByteArray()));
            literal.reset();
        }
    }

    private void add(DeflateRun run) throws IOException {
        crc = Crc32Combine.combine(crc, run.crc(), run.textLength());
        textLength += run.textLength();
        emit(run);
    }

    /** Holds the piece (its array is never modified) or, once streaming, writes it. */
    private void emit(DeflateRun piece) throws IOException {
        if (out == null) {
            held.add(piece);
            heldBytes += piece.length();
            if (heldBytes > HELD_BYTES) {
                out = response.getOutputStream(); // no Content-Length: Jetty sends it chunked
                writeHeld();
            }
            return;
        }
        out.write(piece.bytes(), piece.offset(), piece.length());
    }

    /**
     * Ends a committed answer that cannot be finished (the database failed half way, the client went
     * away): the connection is closed without the last chunk, so the client sees a cut-off answer
     * rather than one that looks whole.
     */
    static void abort(Context ctx, Throwable cause) {
        org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getHttpChannel().abort(cause);
    }

    private void writeHeld() throws IOException {
        for (DeflateRun piece : held) {
            out.write(piece.bytes(), piece.offset(), piece.length());
        }
        held.clear();
    }

    private static void putIntLE(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
