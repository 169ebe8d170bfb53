package io.yaptide.store.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens revoked by a logout, by their SHA-256, until they expire: the set holds at most the tokens
 * of the logouts of one refresh-token lifetime, and expired ones are dropped as new ones come.
 */
final class RevokedTokens {
    /** A revocation of an unreadable token (no expiry) is kept this long. */
    static final long DEFAULT_KEEP_SECONDS = 24 * 3600;
    private final Map<String, Instant> until = new ConcurrentHashMap<>();

    void revoke(String token, Instant expires) {
        Instant now = Instant.now();
        until.values().removeIf(t -> t.isBefore(now));
        until.put(digest(token), expires == null ? now.plusSeconds(DEFAULT_KEEP_SECONDS) : expires);
    }

    boolean isRevoked(String token) {
        if (until.isEmpty()) {
            return false;
        }
        Instant t = until.get(digest(token));
        return t != null && !t.isBefore(Instant.now());
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
