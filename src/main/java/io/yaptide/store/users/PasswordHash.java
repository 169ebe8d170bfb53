package io.yaptide.store.users;

/**
 * Password hashes in werkzeug's format, {@code method$salt$hex}: verifies {@code pbkdf2:sha256:N}
 * and {@code scrypt:N:r:p} hashes made by the original; writes {@code scrypt:32768:8:1}. API agreed
 * for issue 3; bodies are filled in by the storage work.
 */
public final class PasswordHash {
    public static final String DEFAULT_METHOD = "scrypt:32768:8:1";

    private PasswordHash() {
    }

    public static String hash(String password) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Constant-time check; false (never an exception) for a malformed stored hash. */
    public static boolean verify(String storedHash, String password) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** True for hashes not in the current default format (they may be upgraded after a login). */
    public static boolean needsRehash(String storedHash) {
        throw new UnsupportedOperationException("issue 3");
    }
}
