package io.yaptide.store.results;

/**
 * A run of deflate blocks that ends on a byte boundary and holds no final block, with the CRC-32
 * and length of the text it decodes to: a piece that can be put between other such runs inside one
 * gzip member. The bytes are {@code bytes[offset, offset + length)}; the array is shared, never
 * modified.
 */
public record DeflateRun(byte[] bytes, int offset, int length, int crc, long textLength) {
}
