package io.yaptide.store.results;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a body the way a browser does: exactly one gzip member, whose trailer must match, and
 * nothing after it. Java's {@code GZIPInputStream} reads on through concatenated members, which is
 * how answers that browsers cannot read once passed every check; the tests and benchmarks decode
 * answers with this instead.
 */
public final class StrictGunzip {
    private StrictGunzip() {
    }

    /**
     * @return the decoded text
     * @throws IllegalArgumentException when {@code gzip} is not exactly one valid gzip member
     */
    public static byte[] decode(byte[] gzip) {
        if (gzip.length < 18 || (gzip[0] & 0xff) != 0x1f || (gzip[1] & 0xff) != 0x8b || gzip[2] != 8) {
            throw new IllegalArgumentException("not a gzip member (no gzip header)");
        }
        int flags = gzip[3] & 0xff;
        int at = 10;
        if ((flags & 0x04) != 0) { // FEXTRA
            at += 2 + ((gzip[10] & 0xff) | (gzip[11] & 0xff) << 8);
        }
        if ((flags & 0x08) != 0) { // FNAME
            at = afterZeroTerminated(gzip, at);
        }
        if ((flags & 0x10) != 0) { // FCOMMENT
            at = afterZeroTerminated(gzip, at);
        }
        if ((flags & 0x02) != 0) { // FHCRC
            at += 2;
        }
        if (at > gzip.length) {
            throw new IllegalArgumentException("the gzip header runs past the end of the body");
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(gzip, at, gzip.length - at);
            ByteArrayOutputStream out = new ByteArrayOutputStream(gzip.length * 4);
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("the gzip member ends before its final deflate block");
                }
                out.write(buffer, 0, n);
            }
            int trailer = gzip.length - inflater.getRemaining();
            if (inflater.getRemaining() != 8) {
                throw new IllegalArgumentException(inflater.getRemaining() < 8 ? "the gzip member has no complete trailer"
                        : (inflater.getRemaining() - 8) + " bytes follow the first gzip member (a browser ignores them)");
            }
            byte[] text = out.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(text);
            if (intLE(gzip, trailer) != (int) crc.getValue() || intLE(gzip, trailer + 4) != text.length) {
                throw new IllegalArgumentException("the gzip trailer's CRC-32 or length does not match the text");
            }
            return text;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("invalid deflate data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** The index after the zero byte that ends a header string starting at {@code at}. */
    private static int afterZeroTerminated(byte[] gzip, int at) {
        while (at < gzip.length && gzip[at] != 0) {
            at++;
        }
        if (at == gzip.length) {
            throw new IllegalArgumentException("the gzip header runs past the end of the body");
        }
        return at + 1;
    }

    private static int intLE(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
