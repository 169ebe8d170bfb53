package io.yaptide.store.results;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The gzip form we store documents in: an ordinary single-member gzip file (the original's
 * {@code gzip.decompress} reads it, as does any gzip reader) whose deflate data can also be spliced,
 * without decompressing, into one larger gzip member that answers a request.
 *
 * <p>Layout (RFC 1952): a header with one extra field, subfield {@code YS} holding a 4-byte
 * little-endian length L; then L bytes of deflate blocks that end with a sync flush (an empty stored
 * block {@code 00 00 ff ff}, so they end on a byte boundary and none of them is final); then the
 * final block (an empty one); then the CRC-32 and length of the text. The L bytes are the
 * {@link DeflateRun}. Deflate back-references never reach before the start of the document's own
 * text, so the run decodes the same wherever it is placed.
 *
 * <p>Documents without the subfield (written by the original at level 9, or by earlier versions of
 * this service with a plain gzip writer) end with a final block at an arbitrary bit position and
 * cannot be spliced; {@link Payload#deflateRun()} recompresses those at serving time.
 */
final class SpliceableGzip {
    /** Header: magic, deflate, FEXTRA, no mtime, no extra flags, unknown OS; XLEN 8; YS, LEN 4, L. */
    static final int HEADER_LENGTH = 20;
    private static final int TRAILER_LENGTH = 8;
    private static final byte FLAG_EXTRA = 0x04;
    private static final byte[] SYNC_FLUSH_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int BUFFER = 64 * 1024;

    private SpliceableGzip() {
    }

    /** Compresses {@code length} bytes of {@code text} from {@code offset} at {@code level}. */
    static byte[] compress(byte[] text, int offset, int length, int level) {
        Deflater deflater = new Deflater(level, true);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4) + HEADER_LENGTH + 16);
            out.write(0x1f);
            out.write(0x8b);
            out.write(Deflater.DEFLATED);
            out.write(FLAG_EXTRA);
            out.writeBytes(new byte[] {0, 0, 0, 0, 0, (byte) 0xff}); // mtime, xfl, os
            writeShortLE(out, 8);
            out.write('Y');
            out.write('S');
            writeShortLE(out, 4);
            writeIntLE(out, 0); // the run's length, patched below
            byte[] buffer = new byte[BUFFER];
            deflater.setInput(text, offset, length);
            int n;
            do { // a sync flush returns less than the buffer only once everything is out
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length);
            int runLength = out.size() - HEADER_LENGTH;
            deflater.finish();
            while (!deflater.finished()) {
                n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            CRC32 crc = new CRC32();
            crc.update(text, offset, length);
            writeIntLE(out, (int) crc.getValue());
            writeIntLE(out, length);
            byte[] gzip = out.toByteArray();
            putIntLE(gzip, 16, runLength);
            return gzip;
        } finally {
            deflater.end();
        }
    }

    /** The spliceable run of a document in our form, or null for any other gzip. */
    static DeflateRun run(byte[] gzip) {
        if (gzip.length < HEADER_LENGTH + TRAILER_LENGTH + SYNC_FLUSH_TAIL.length
                || (gzip[0] & 0xff) != 0x1f || (gzip[1] & 0xff) != 0x8b || gzip[2] != Deflater.DEFLATED
                || gzip[3] != FLAG_EXTRA || intLE(gzip, 10, 2) != 8
                || gzip[12] != 'Y' || gzip[13] != 'S' || intLE(gzip, 14, 2) != 4) {
            return null;
        }
        long runLength = intLE(gzip, 16, 4) & 0xffffffffL;
        long runEnd = HEADER_LENGTH + runLength;
        if (runLength < SYNC_FLUSH_TAIL.length || runEnd > gzip.length - TRAILER_LENGTH) {
            return null;
        }
        for (int i = 0; i < SYNC_FLUSH_TAIL.length; i++) {
            if (gzip[(int) runEnd - SYNC_FLUSH_TAIL.length + i] != SYNC_FLUSH_TAIL[i]) {
                return null;
            }
        }
        int crc = intLE(gzip, gzip.length - TRAILER_LENGTH, 4);
        long textLength = intLE(gzip, gzip.length - 4, 4) & 0xffffffffL;
        return new DeflateRun(gzip, HEADER_LENGTH, (int) runLength, crc, textLength);
    }

    private static int intLE(byte[] b, int at, int bytes) {
        int v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }

    private static void putIntLE(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void writeShortLE(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
    }

    private static void writeIntLE(ByteArrayOutputStream out, int v) {
        writeShortLE(out, v & 0xffff);
        writeShortLE(out, (v >>> 16) & 0xffff);
    }
}
