package io.yaptide.store.users;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Password hashes in werkzeug's format, {@code method$salt$hex}: verifies {@code pbkdf2:sha256:N}
 * and {@code scrypt:N:r:p} hashes made by the original; writes {@code scrypt:32768:8:1}.
 *
 * <p>Werkzeug uses the salt string's UTF-8 bytes as the salt (not a decoded value) and compares the
 * hex digests, so we do the same: the hex we compute is compared, in constant time, with the stored
 * hex text. Parameters come from the stored hash itself; they are bounded so that a corrupt row
 * cannot make a login allocate gigabytes or spin for minutes.
 */
public final class PasswordHash {
    public static final String DEFAULT_METHOD = "scrypt:32768:8:1";

    /** werkzeug's {@code SALT_CHARS} and default salt length. */
    private static final String SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final int SALT_LENGTH = 16;
    /** {@code hashlib.scrypt}'s default {@code dklen}. */
    private static final int SCRYPT_KEY_BYTES = 64;
    /** {@code hashlib.pbkdf2_hmac} with sha256 returns the digest size. */
    private static final int PBKDF2_SHA256_KEY_BITS = 256;

    private static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
    private static final long MAX_SCRYPT_MEMORY_BYTES = 256L * 1024 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** A new hash of {@code password} in the default format, with a fresh 16-character salt. */
    public static String hash(String password) {
        if (password == null) {
            throw new IllegalArgumentException("password must not be null");
        }
        String salt = randomSalt();
        return DEFAULT_METHOD + "$" + salt + "$" + scryptHex(password, salt, 32768, 8, 1);
    }

    /** Constant-time check; false (never an exception) for a malformed stored hash. */
    public static boolean verify(String storedHash, String password) {
        if (storedHash == null || password == null) {
            return false;
        }
        String[] parts = storedHash.split("\\$", 3);
        if (parts.length != 3 || parts[2].isEmpty()) {
            return false;
        }
        String computed;
        try {
            computed = computeHex(parts[0], parts[1], password);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
        if (computed == null) {
            return false;
        }
        return MessageDigest.isEqual(
                computed.getBytes(StandardCharsets.US_ASCII), parts[2].getBytes(StandardCharsets.UTF_8));
    }

    /** True for hashes not in the current default format (they may be upgraded after a login). */
    public static boolean needsRehash(String storedHash) {
        return storedHash == null || !storedHash.startsWith(DEFAULT_METHOD + "$");
    }

    /** The hex digest for a method and salt, or null when the method is not one we support. */
    private static String computeHex(String method, String salt, String password) {
        String[] m = method.split(":", -1);
        if (m.length == 3 && m[0].equals("pbkdf2") && m[1].equals("sha256")) {
            int iterations = Integer.parseInt(m[2]);
            if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
                return null;
            }
            return pbkdf2Sha256Hex(password, salt, iterations);
        }
        if (m.length == 4 && m[0].equals("scrypt")) {
            int n = Integer.parseInt(m[1]);
            int r = Integer.parseInt(m[2]);
            int p = Integer.parseInt(m[3]);
            boolean powerOfTwo = n > 1 && (n & (n - 1)) == 0;
            if (!powerOfTwo || r < 1 || p < 1 || 128L * n * r > MAX_SCRYPT_MEMORY_BYTES || (long) p * r > 1024) {
                return null;
            }
            return scryptHex(password, salt, n, r, p);
        }
        return null;
    }

    private static String pbkdf2Sha256Hex(String password, String salt, int iterations) {
        // The JDK's PBKDF2 encodes the char[] password as UTF-8, as werkzeug does.
        PBEKeySpec spec = new PBEKeySpec(
                password.toCharArray(), salt.getBytes(StandardCharsets.UTF_8), iterations, PBKDF2_SHA256_KEY_BITS);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return HexFormat.of().formatHex(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String scryptHex(String password, String salt, int n, int r, int p) {
        byte[] key = SCrypt.generate(password.getBytes(StandardCharsets.UTF_8),
                salt.getBytes(StandardCharsets.UTF_8), n, r, p, SCRYPT_KEY_BYTES);
        return HexFormat.of().formatHex(key);
    }

    private static String randomSalt() {
        StringBuilder salt = new StringBuilder(SALT_LENGTH);
        for (int i = 0; i < SALT_LENGTH; i++) {
            salt.append(SALT_CHARS.charAt(RANDOM.nextInt(SALT_CHARS.length())));
        }
        return salt.toString();
    }
}
