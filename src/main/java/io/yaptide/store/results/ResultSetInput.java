package io.yaptide.store.results;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A request body read as a stream, for a JSON parser, that keeps the bytes of the document being
 * read so it can be stored as the exact text the worker sent, without holding the body.
 *
 * <p>Every byte the parser reads passes through a window; bytes before the {@linkplain #release
 * release mark} are dropped whenever the window fills, so the window holds about one page (plus
 * the parser's read-ahead), however long the body. The parser reports byte offsets from the start
 * of the body; {@link #slice} copies a range that starts at or after the mark.
 *
 * <p>It also counts: a body longer than {@code limit} ends with {@link BodyTooLargeException} as
 * soon as the count passes it (a chunked body has no declared size to refuse up front), and a
 * document (a page or an estimator's metadata) longer than {@code maxDocument} likewise, since a
 * document is held whole to be compressed.
 */
public final class ResultSetInput extends InputStream implements ResultSetReader.Source {
    private static final int INITIAL_WINDOW = 1 << 20;

    private final InputStream in;
    private final long limit;
    private final long maxDocument;
    private final LongConsumer reserve;
    private byte[] window = new byte[INITIAL_WINDOW];
    /** Body offset of {@code window[0]}. */
    private long base;
    /** Bytes in the window. */
    private int size;
    /** Bytes before this body offset may be dropped. */
    private long mark;

    /**
     * @param limit       the largest body accepted, in bytes
     * @param maxDocument the largest page or metadata document accepted, in bytes
     * @param reserve     told how many more bytes of heap the window takes each time it grows (it may
     *                    refuse by throwing)
     */
    public ResultSetInput(InputStream in, long limit, long maxDocument, LongConsumer reserve) {
        this.in = in;
        this.limit = limit;
        this.maxDocument = maxDocument;
        this.reserve = reserve;
        reserve.accept(INITIAL_WINDOW);
    }

    /** Bytes read from the body so far. */
    public long count() {
        return base + size;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            if (count() + n > limit) {
                throw new BodyTooLargeException(count() + n, limit);
            }
            keep(b, off, n);
        }
        return n;
    }

    private void keep(byte[] b, int off, int n) {
        if (size + n > window.length) {
            int drop = (int) Math.max(0, Math.min(size, mark - base));
            System.arraycopy(window, drop, window, 0, size - drop);
            size -= drop;
            base += drop;
            if (size + n > window.length) {
                if ((long) size + n > maxDocument + INITIAL_WINDOW) {
                    // what is kept is the document being read (and the parser's read-ahead)
                    throw new DocumentTooLargeException(maxDocument);
                }
                int grown = (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) window.length * 2, (long) size + n));
                reserve.accept(grown - window.length);
                window = Arrays.copyOf(window, grown);
            }
        }
        System.arraycopy(b, off, window, size, n);
        size += n;
    }

    /** Bytes before {@code offset} are no longer needed. */
    @Override
    public void release(long offset) {
        mark = Math.max(mark, offset);
    }

    /**
     * A copy of the body's bytes {@code [start, end)}; they must not have been released.
     *
     * @throws DocumentTooLargeException if the range is longer than the largest document accepted
     */
    @Override
    public ResultSetReader.Slice slice(long start, long end) {
        if (end - start > maxDocument) {
            throw new DocumentTooLargeException(maxDocument);
        }
        if (start < base || end > base + size || start > end) {
            throw new IllegalStateException("bytes " + start + "-" + end + " are not in the window " + base + "-" + (base + size));
        }
        byte[] copy = Arrays.copyOfRange(window, (int) (start - base), (int) (end - base));
        return new ResultSetReader.Slice(copy, 0, copy.length);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The body is longer than the limit. */
    public static final class BodyTooLargeException extends IOException {
        private final long size;
        private final long limit;

        BodyTooLargeException(long size, long limit) {
            super("request body longer than " + limit + " bytes");
            this.size = size;
            this.limit = limit;
        }

        public long size() {
            return size;
        }

        public long limit() {
            return limit;
        }
    }

    /** One page or metadata document is longer than the largest accepted. */
    public static final class DocumentTooLargeException extends RuntimeException {
        private final long limit;

        DocumentTooLargeException(long limit) {
            super("a page or estimator metadata longer than " + limit + " bytes", null, false, false);
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
