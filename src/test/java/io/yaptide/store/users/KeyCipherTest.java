package io.yaptide.store.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCipherTest {
    static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    @Test
    void aSealedKeyOpensOnlyWithTheSameKeyForTheSameUser() {
        KeyCipher cipher = new KeyCipher(key(1));
        String sealed = cipher.seal("-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n", 7);
        assertThat(sealed).startsWith("yaptide-aes256gcm:v1:" + cipher.keyId() + ":").doesNotContain("secret");
        assertThat(cipher.seal("same", 7)).as("a fresh nonce each time").isNotEqualTo(cipher.seal("same", 7));
        assertThat(cipher.open(sealed, 7)).isEqualTo("-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n");
        assertThat(cipher.open("plain text", 7)).isEqualTo("plain text");

        assertThatThrownBy(() -> cipher.open(sealed, 8)).isInstanceOf(KeyCipher.CannotOpen.class)
                .hasMessageContaining("not this user's");
        KeyCipher other = new KeyCipher(key(2));
        assertThatThrownBy(() -> other.open(sealed, 7)).isInstanceOf(KeyCipher.CannotOpen.class)
                .hasMessageContaining("sealed with key " + cipher.keyId());
        String body = sealed.substring(sealed.lastIndexOf(':') + 1);
        byte[] raw = Base64.getDecoder().decode(body);
        raw[raw.length - 1] ^= 1;
        String tampered = sealed.substring(0, sealed.lastIndexOf(':') + 1) + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> cipher.open(tampered, 7)).isInstanceOf(KeyCipher.CannotOpen.class);
        assertThatThrownBy(() -> cipher.open(sealed.substring(0, 40), 7)).isInstanceOf(KeyCipher.CannotOpen.class);
    }

    @Test
    void theKeyFileHoldsHexOrBase64AndAnythingElseIsAConfigurationError(@TempDir Path dir) throws Exception {
        Path hex = Files.writeString(dir.resolve("hex"), "01".repeat(32) + "\n");
        Path b64 = Files.writeString(dir.resolve("b64"), Base64.getEncoder().encodeToString(key(1)));
        assertThat(KeyCipher.fromFile(hex).keyId()).isEqualTo(new KeyCipher(key(1)).keyId())
                .isEqualTo(KeyCipher.fromFile(b64).keyId());
        Path shortKey = Files.writeString(dir.resolve("short"), "0102");
        assertThatThrownBy(() -> KeyCipher.fromFile(shortKey)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("YAPTIDE_SECRET_KEY_FILE").hasMessageNotContaining("0102");
        assertThatThrownBy(() -> KeyCipher.fromFile(dir.resolve("missing"))).isInstanceOf(ConfigException.class);
    }
}
