package io.yaptide.store.results;

/**
 * The CRC-32 of two byte strings put end to end, from the CRC-32 of each and the second one's
 * length, without reading the bytes again (what zlib offers as {@code crc32_combine}; the JDK has
 * no such call). This lets one gzip member be spliced from stored deflate runs: its trailer needs
 * the CRC of the whole text, and each run's CRC is already in its own stored trailer.
 *
 * <p>The arithmetic: a CRC is the remainder of the message polynomial modulo the CRC polynomial P,
 * so appending {@code n} bytes multiplies the first remainder by x^(8n) mod P before the second
 * remainder is added (XOR). x^(8n) mod P comes from a table of x^(2^k) mod P by squaring, so a
 * combine costs at most a few dozen carry-less multiplications, whatever {@code n} is. Everything is
 * in the reflected bit order of the gzip CRC (bit 31 holds the coefficient of x^0).
 */
public final class Crc32Combine {
    /** The gzip CRC-32 polynomial, reflected. */
    private static final int POLY = 0xedb88320;
    /** x^0, the polynomial 1, in reflected order. */
    private static final int ONE = 1 << 31;
    /** {@code X2N[k]} = x^(2^k) mod P. */
    private static final int[] X2N = new int[32];

    static {
        int p = ONE >>> 1; // x^1
        for (int k = 0; k < X2N.length; k++) {
            X2N[k] = p;
            p = multiplyModP(p, p);
        }
    }

    private Crc32Combine() {
    }

    /**
     * @param crcA   CRC-32 of the first string
     * @param crcB   CRC-32 of the second string
     * @param lengthB length of the second string in bytes (any size)
     * @return CRC-32 of the first string followed by the second
     */
    public static int combine(int crcA, int crcB, long lengthB) {
        return multiplyModP(xPowerEightN(lengthB), crcA) ^ crcB;
    }

    /** a(x) * b(x) mod P, both reflected. */
    private static int multiplyModP(int a, int b) {
        int product = 0;
        for (int m = ONE; a != 0 && m != 0; m >>>= 1) {
            if ((a & m) != 0) {
                product ^= b;
                a ^= m;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
        return product;
    }

    /** x^(8n) mod P. */
    private static int xPowerEightN(long n) {
        int p = ONE;
        int k = 3; // 8n = n * 2^3
        while (n != 0) {
            if ((n & 1) != 0) {
                p = multiplyModP(X2N[k & 31], p);
            }
            n >>>= 1;
            k++;
        }
        return p;
    }
}
