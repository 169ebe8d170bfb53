package io.yaptide.store.users;

import io.yaptide.store.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a Keycloak user's {@code private_key} (the SSH key of their cluster account) with AES-256-GCM,
 * so that a database dump does not carry it in the clear.
 *
 * <p>A sealed value is text, so it fits the original's {@code VARCHAR} column:
 * {@code yaptide-aes256gcm:v1:<key id>:<base64 of nonce | ciphertext | tag>}. The key id (8 hex digits
 * of a hash of the key, never the key) tells which key sealed a row, so a wrong key is named as such
 * rather than reported as corruption. The user id is bound in as associated data: a sealed key copied
 * into another user's row does not open.
 *
 * <p>The key file holds 32 random bytes as 64 hex digits or as base64 ({@code openssl rand -hex 32}).
 */
public final class KeyCipher {
    public static final String ENV_KEY_FILE = "YAPTIDE_SECRET_KEY_FILE";
    static final String PREFIX = "yaptide-aes256gcm:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    /** Why a sealed value cannot be opened with this key. */
    public static final class CannotOpen extends RuntimeException {
        CannotOpen(String message) {
            super(message, null, false, false);
        }
    }

    public KeyCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key is 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.keyId = keyId(key);
    }

    /** The cipher of {@value #ENV_KEY_FILE}, or empty when it is not set. */
    public static Optional<KeyCipher> fromEnvironment(Map<String, String> env) {
        String file = env.get(ENV_KEY_FILE);
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(fromFile(Path.of(file.strip())));
    }

    public static KeyCipher fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(ENV_KEY_FILE + " names " + file + ", which cannot be read ("
                    + e.getClass().getSimpleName() + "); it must hold 32 random bytes, e.g. openssl rand -hex 32 > " + file);
        }
        byte[] key = decodeKey(text);
        if (key == null) {
            throw new ConfigException(ENV_KEY_FILE + " names " + file + ", which does not hold a 32-byte key as 64 hex "
                    + "digits or base64; make one with openssl rand -hex 32 > " + file);
        }
        return new KeyCipher(key);
    }

    private static byte[] decodeKey(String text) {
        try {
            if (text.matches("[0-9a-fA-F]{64}")) {
                return HexFormat.of().parseHex(text);
            }
            byte[] b = Base64.getDecoder().decode(text);
            return b.length == 32 ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Short public name of this key (not secret: a hash prefix). */
    public String keyId() {
        return keyId;
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** Id of the key that sealed the value, if it is sealed. */
    public static Optional<String> keyIdOf(String stored) {
        if (!isSealed(stored)) {
            return Optional.empty();
        }
        int end = stored.indexOf(':', PREFIX.length());
        return end < 0 ? Optional.empty() : Optional.of(stored.substring(PREFIX.length(), end));
    }

    public String seal(String plaintext, long userId) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData(userId));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] all = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + keyId + ":" + Base64.getEncoder().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** The plaintext of a sealed value; a value that is not sealed is returned as it is. */
    public String open(String stored, long userId) {
        if (!isSealed(stored)) {
            return stored;
        }
        String id = keyIdOf(stored).orElseThrow(() -> new CannotOpen("the sealed key of user " + userId + " is malformed"));
        if (!id.equals(keyId)) {
            throw new CannotOpen("the key of user " + userId + " was sealed with key " + id
                    + ", not with the configured key " + keyId);
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(stored.substring(PREFIX.length() + id.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new CannotOpen("the sealed key of user " + userId + " is malformed");
        }
        if (all.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new CannotOpen("the sealed key of user " + userId + " is truncated");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            c.updateAAD(associatedData(userId));
            return new String(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new CannotOpen("the sealed key of user " + userId + " does not verify (altered, or not this user's)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    private static byte[] associatedData(long userId) {
        return ("KeycloakUser.private_key " + userId).getBytes(StandardCharsets.UTF_8);
    }

    private static String keyId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("yaptide key id ".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "KeyCipher[key " + keyId + "]";
    }
}
