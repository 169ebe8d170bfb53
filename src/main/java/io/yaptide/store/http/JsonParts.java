package io.yaptide.store.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
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
 * <p>Concatenated gzip members are one valid gzip stream (RFC 1952, section 2.2), and browsers,
 * curl, Python and Java decode them as one body. So the gzip answer is: each run of literal text
 * (braces, keys, the message) as a small member of stored (uncompressed) deflate blocks, which costs
 * no compression work, and each payload's stored bytes exactly as they are in the database. A
 * client that does not accept gzip gets the payloads decompressed and spliced in as JSON text;
 * nothing is ever parsed and written out again.
 */
final class JsonParts {
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    /** Deflate's stored blocks carry at most this many bytes each. */
    private static final int MAX_STORED_BLOCK = 65535;

    private final List<Object> parts = new ArrayList<>();

    JsonParts text(String literal) {
        parts.add(literal.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A value serialised as JSON (a string is quoted and escaped). */
    JsonParts value(Object value) {
        try {
            parts.add(Reply.JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
        return this;
    }

    /** A stored JSON document; null is written as JSON null. */
    JsonParts stored(Payload payload) {
        parts.add(payload == null ? NULL : payload);
        return this;
    }

    /** Starts the original's envelope: {@code {"message": "...",}. */
    static JsonParts envelope(String message) {
        return new JsonParts().text("{\"message\":").value(message);
    }

    /**
     * Sends the assembled body: stored gzip members when the client accepts gzip, plain JSON
     * otherwise. The length is known before the first byte, so the answer has a Content-Length (no
     * chunked framing; clients can show progress), and the pieces go straight to the connection's
     * output: the stored members are written from the arrays the database read returned, never
     * copied into one body first.
     */
    void send(Context ctx, int status) {
        ctx.status(status).contentType(Reply.CONTENT_TYPE).header("Vary", "Accept-Encoding");
        ctx.attribute(Reply.ANSWERED, Boolean.TRUE);
        List<byte[]> pieces;
        if (acceptsGzip(ctx.header("Accept-Encoding"))) {
            ctx.header("Content-Encoding", "gzip");
            pieces = gzipPieces();
        } else {
            pieces = List.of(identity());
        }
        long length = 0;
        for (byte[] piece : pieces) {
            length += piece.length;
        }
        HttpServletResponse response = ctx.res();
        response.setContentLengthLong(length);
        try {
            OutputStream out = response.getOutputStream();
            for (byte[] piece : pieces) {
                out.write(piece);
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
        for (byte[] piece : gzipPieces()) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }

    /** The gzip members in order: each run of literal text as one stored member, each payload's bytes as stored. */
    List<byte[]> gzipPieces() {
        List<byte[]> pieces = new ArrayList<>();
        ByteArrayOutputStream literal = new ByteArrayOutputStream(256);
        for (Object part : parts) {
            if (part instanceof Payload p) {
                if (literal.size() > 0) {
                    pieces.add(storedMember(literal.toByteArray()));
                    literal.reset();
                }
                pieces.add(p.compressed());
            } else {
                literal.writeBytes((byte[]) part);
            }
        }
        if (literal.size() > 0) {
            pieces.add(storedMember(literal.toByteArray()));
        }
        return pieces;
    }

    private static byte[] storedMember(byte[] data) {
        ByteArrayOutputStream member = new ByteArrayOutputStream(data.length + 32);
        writeStoredMember(member, data);
        return member.toByteArray();
    }

    private int estimatedSize() {
        int size = 0;
        for (Object part : parts) {
            size += part instanceof Payload p ? p.compressedSize() : ((byte[]) part).length;
        }
        return size;
    }

    /** One gzip member holding {@code data} in stored deflate blocks: header, blocks, CRC-32, size. */
    static void writeStoredMember(ByteArrayOutputStream out, byte[] data) {
        out.write(0x1f);
        out.write(0x8b);
        out.write(8);   // deflate
        out.write(0);   // no flags
        out.write(0); out.write(0); out.write(0); out.write(0); // no modification time
        out.write(0);   // no extra flags
        out.write(255); // unknown OS
        int offset = 0;
        do {
            int len = Math.min(MAX_STORED_BLOCK, data.length - offset);
            boolean last = offset + len == data.length;
            out.write(last ? 1 : 0); // BFINAL, BTYPE=00 (stored)
            out.write(len & 0xff);
            out.write((len >>> 8) & 0xff);
            out.write(~len & 0xff);
            out.write((~len >>> 8) & 0xff);
            out.write(data, offset, len);
            offset += len;
        } while (offset < data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        writeIntLE(out, (int) crc.getValue());
        writeIntLE(out, data.length);
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
