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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A JSON response assembled from literal text and stored payloads (gzip JSON), sent without
 * decompressing the payloads when the client accepts gzip.
 *
 * <p>The gzip answer is exactly one gzip member, as browsers require: they decode the first member
 * of a body only, so several concatenated members (valid as a gzip file, and read whole by Java,
 * curl's library and Python's {@code gzip} module) show a browser just the text of the first. The
 * member is spliced: a header, then for each run of literal text (braces, keys, the message) stored
 * deflate blocks, which cost no compression work, and for each payload its stored deflate data as it
 * is ({@link Payload#deflateRun()}: our stored form ends on a byte boundary with no final block),
 * then an empty final block and a trailer whose CRC-32 is combined from the pieces'
 * ({@link Crc32Combine}). A client that does not accept gzip gets the payloads decompressed and
 * spliced in as JSON text; nothing is ever parsed and written out again.
 */
final class JsonParts implements JsonSink {
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    /** Deflate's stored blocks carry at most this many bytes each. */
    private static final int MAX_STORED_BLOCK = 65535;
    /** gzip header: magic, deflate, no flags, no modification time, no extra flags, unknown OS. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** An empty stored block with BFINAL set: ends the member's deflate data. */
    private static final byte[] FINAL_EMPTY_BLOCK = {1, 0, 0, (byte) 0xff, (byte) 0xff};

    private final List<Object> parts = new ArrayList<>();

    @Override
    public JsonParts text(String literal) {
        parts.add(literal.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A value serialised as JSON (a string is quoted and escaped). */
    @Override
    public JsonParts value(Object value) {
        try {
            parts.add(Reply.JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
        return this;
    }

    /** A stored JSON document; null is written as JSON null. */
    @Override
    public JsonParts stored(Payload payload) {
        parts.add(payload == null ? NULL : payload);
        return this;
    }

    /** Starts the original's envelope: {@code {"message": "...",}. */
    static JsonParts envelope(String message) {
        return new JsonParts().text("{\"message\":").value(message);
    }

    /**
     * Sends the assembled body: one spliced gzip member when the client accepts gzip, plain JSON
     * otherwise. The length is known before the first byte, so the answer has a Content-Length (no
     * chunked framing; clients can show progress), and the pieces go straight to the connection's
     * output: the stored runs are written from the arrays the database read returned, never copied
     * into one body first.
     */
    void send(Context ctx, int status) {
        ctx.status(status).contentType(Reply.CONTENT_TYPE);
        Reply.vary(ctx, "Accept-Encoding");
        ctx.attribute(Reply.ANSWERED, Boolean.TRUE);
        List<DeflateRun> pieces;
        if (acceptsGzip(ctx.header("Accept-Encoding"))) {
            ctx.header("Content-Encoding", "gzip");
            pieces = gzipPieces();
        } else {
            byte[] body = identity();
            pieces = List.of(new DeflateRun(body, 0, body.length, 0, body.length));
        }
        long length = 0;
        for (DeflateRun piece : pieces) {
            length += piece.length();
        }
        HttpServletResponse response = ctx.res();
        response.setContentLengthLong(length);
        try {
            OutputStream out = response.getOutputStream();
            for (DeflateRun piece : pieces) {
                out.write(piece.bytes(), piece.offset(), piece.length());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] identity() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimatedSize() * 4);
        for (Object part : parts) {
            out.writeBytes(part instanceof Payload p ? p.jsonBytes() : (byte[]) part);
        }
        return out.toByteArray();
    }

    /** The gzip body as one array (tests; the service sends {@link #gzipPieces} as they are). */
    byte[] gzip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(estimatedSize() + 64);
        for (DeflateRun piece : gzipPieces()) {
            out.write(piece.bytes(), piece.offset(), piece.length());
        }
        return out.toByteArray();
    }

    /**
     * The one gzip member, in pieces to write in order: header, then each run of literal text as
     * stored blocks and each payload's deflate run, then the final block and the trailer.
     */
    List<DeflateRun> gzipPieces() {
        Member member = new Member();
        ByteArrayOutputStream literal = new ByteArrayOutputStream(256);
        for (Object part : parts) {
            if (part instanceof Payload p) {
                if (literal.size() > 0) {
                    member.add(storedBlocks(literal.toByteArray()));
                    literal.reset();
                }
                member.add(p.deflateRun());
            } else {
                literal.writeBytes((byte[]) part);
            }
        }
        if (literal.size() > 0) {
            member.add(storedBlocks(literal.toByteArray()));
        }
        return member.end();
    }

    /** The pieces of one gzip member as they are added, with the CRC-32 and length of their text. */
    private static final class Member {
        private final List<DeflateRun> pieces = new ArrayList<>();
        private int crc;
        private long textLength;

        Member() {
            pieces.add(new DeflateRun(GZIP_HEADER, 0, GZIP_HEADER.length, 0, 0));
        }

        void add(DeflateRun run) {
            pieces.add(run);
            crc = Crc32Combine.combine(crc, run.crc(), run.textLength());
            textLength += run.textLength();
        }

        List<DeflateRun> end() {
            ByteArrayOutputStream end = new ByteArrayOutputStream(FINAL_EMPTY_BLOCK.length + 8);
            end.writeBytes(FINAL_EMPTY_BLOCK);
            writeIntLE(end, crc);
            writeIntLE(end, (int) textLength); // ISIZE is the length modulo 2^32
            byte[] tail = end.toByteArray();
            pieces.add(new DeflateRun(tail, 0, tail.length, 0, 0));
            return pieces;
        }
    }

    /** {@code data} as non-final stored deflate blocks (each at most 65,535 bytes). */
    static DeflateRun storedBlocks(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 5 * (data.length / MAX_STORED_BLOCK + 1));
        for (int offset = 0; offset < data.length; offset += MAX_STORED_BLOCK) {
            int len = Math.min(MAX_STORED_BLOCK, data.length - offset);
            out.write(0); // BFINAL 0, BTYPE 00 (stored); the rest of the byte is padding
            out.write(len & 0xff);
            out.write((len >>> 8) & 0xff);
            out.write(~len & 0xff);
            out.write((~len >>> 8) & 0xff);
            out.write(data, offset, len);
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        byte[] blocks = out.toByteArray();
        return new DeflateRun(blocks, 0, blocks.length, (int) crc.getValue(), data.length);
    }

    private int estimatedSize() {
        int size = 0;
        for (Object part : parts) {
            size += part instanceof Payload p ? p.compressedSize() : ((byte[]) part).length;
        }
        return size;
    }

    private static void writeIntLE(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
        out.write((v >>> 16) & 0xff);
        out.write((v >>> 24) & 0xff);
    }

    /** True when Accept-Encoding lists gzip (or *) without q=0. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String item : acceptEncoding.split(",")) {
            String[] pieces = item.split(";");
            String coding = pieces[0].strip().toLowerCase(java.util.Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].strip().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
                if (param.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(param.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }
}
