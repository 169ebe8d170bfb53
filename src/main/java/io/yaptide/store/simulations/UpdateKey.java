package io.yaptide.store.simulations;

import io.yaptide.store.db.StoreException;
import io.yaptide.store.users.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A simulation's update key: the secret its workers present with every progress update.
 *
 * <p>The key is 256 random bits, so a single SHA-256 is as strong as any slow KDF here: a slow hash
 * only helps against guessing low-entropy passwords. Storing {@code sha256$<hex>} makes a check cost
 * about a microsecond, where the original's password hash cost 60-100 ms per worker update.
 * Keys the original stored (werkzeug password hashes of a UUID) still verify, through
 * {@link PasswordHash}; {@link #isLegacy} tells the caller such a hash could be replaced.
 */
public final class UpdateKey {
    /** Prefix of the fast format; werkzeug's formats always have two {@code $} separators, ours one. */
    public static final String FAST_PREFIX = "sha256$";

    private static final int KEY_BYTES = 32;
    private static final int SHA256_HEX_LENGTH = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private UpdateKey() {
    }

    /** A new key: 256 random bits as URL-safe base64 without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The value to keep in {@code update_key_hash}: {@code sha256$} and the hex of SHA-256(key). */
    public static String hash(String key) {
        if (key == null || key.isEmpty()) {
            throw new StoreException.Invalid("update key must not be empty");
        }
        return FAST_PREFIX + HexFormat.of().formatHex(sha256(key));
    }

    /**
     * Checks a presented key against the stored hash in constant time; accepts the fast format and
     * the original's werkzeug password hashes. False for a null, empty or malformed hash.
     */
    public static boolean verify(String storedHash, String key) {
        if (storedHash == null || key == null || key.isEmpty()) {
            return false;
        }
        if (isFast(storedHash)) {
            byte[] expected = storedHash.substring(FAST_PREFIX.length()).getBytes(StandardCharsets.UTF_8);
            byte[] actual = HexFormat.of().formatHex(sha256(key)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(actual, expected);
        }
        return PasswordHash.verify(storedHash, key);
    }

    /** True when the stored hash is a werkzeug password hash from the original (slow to check). */
    public static boolean isLegacy(String storedHash) {
        return storedHash != null && !isFast(storedHash) && storedHash.split("\\$", -1).length == 3;
    }

    private static boolean isFast(String storedHash) {
        return storedHash.startsWith(FAST_PREFIX)
                && storedHash.length() == FAST_PREFIX.length() + SHA256_HEX_LENGTH
                && storedHash.indexOf('$', FAST_PREFIX.length()) < 0;
    }

    private static byte[] sha256(String key) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    /** One digest per thread: looking the algorithm up costs more than hashing a 43-character key (every worker report hashes one). */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    });
}
