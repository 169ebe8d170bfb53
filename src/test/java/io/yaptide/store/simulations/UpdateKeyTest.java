package io.yaptide.store.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.db.StoreException;
import io.yaptide.store.testing.OriginalCredentials;
import io.yaptide.store.testing.OriginalCredentials.SimulationKey;
import io.yaptide.store.testing.OriginalDatabases;
import io.yaptide.store.users.PasswordHash;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UpdateKeyTest {

    @Test
    void generatedKeysCarryAtLeast128RandomBitsInUrlSafeText() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String key = UpdateKey.generate();
            assertThat(key).matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(key).length * 8).isGreaterThanOrEqualTo(128);
            keys.add(key);
        }
        assertThat(keys).hasSize(200);
    }

    @Test
    void newHashesAreTheFastFormatAndVerifyOnlyTheirKey() {
        String key = UpdateKey.generate();
        String hash = UpdateKey.hash(key);

        assertThat(hash).matches("sha256\\$[0-9a-f]{64}");
        assertThat(UpdateKey.isLegacy(hash)).isFalse();
        assertThat(UpdateKey.verify(hash, key)).isTrue();
        assertThat(UpdateKey.verify(hash, UpdateKey.generate())).isFalse();
        assertThat(UpdateKey.verify(hash, key.substring(1))).isFalse();
    }

    @Test
    void theFastFormatIsPlainSha256OfTheKey() {
        // SHA-256("abc"), FIPS 180-2 test vector
        assertThat(UpdateKey.hash("abc"))
                .isEqualTo("sha256$ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void keysStoredByTheOriginalVerifyAgainstThePostgresDump() {
        Map<Long, String> hashBySimulation = OriginalDatabases.postgresRows("Simulation").stream()
                .collect(Collectors.toMap(r -> Long.parseLong(r.get("id")), r -> r.get("update_key_hash")));
        List<SimulationKey> keys = OriginalCredentials.simulationKeys();
        assertThat(keys).isNotEmpty();
        for (SimulationKey k : keys) {
            String stored = hashBySimulation.get(k.simulationId());
            assertThat(UpdateKey.isLegacy(stored)).as(k.jobId()).isTrue();
            assertThat(UpdateKey.verify(stored, k.updateKey())).as(k.jobId()).isTrue();
            assertThat(UpdateKey.verify(stored, k.updateKey().replace('-', '_'))).as(k.jobId()).isFalse();
        }
    }

    @Test
    void keysStoredByTheOriginalVerifyAgainstTheSqliteDump() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + OriginalDatabases.sqliteFile());
                PreparedStatement s = c.prepareStatement("SELECT update_key_hash FROM \"Simulation\" WHERE id = ?")) {
            for (SimulationKey k : OriginalCredentials.simulationKeys()) {
                s.setLong(1, k.simulationId());
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(UpdateKey.verify(rs.getString(1), k.updateKey())).as(k.jobId()).isTrue();
                    assertThat(UpdateKey.verify(rs.getString(1), "")).isFalse();
                }
            }
        }
    }

    @Test
    void aScryptHashAsWrittenByNewerWerkzeugAlsoVerifiesAsALegacyKey() {
        String stored = PasswordHash.hash("9f4b56d2-ab00-4a3e-a989-6e777218d06e");
        assertThat(UpdateKey.isLegacy(stored)).isTrue();
        assertThat(UpdateKey.verify(stored, "9f4b56d2-ab00-4a3e-a989-6e777218d06e")).isTrue();
    }

    @Test
    void missingOrMalformedHashesNeverVerify() {
        String key = UpdateKey.generate();
        String good = UpdateKey.hash(key);
        for (String stored : new String[] {"", "sha256$", "sha256$abc", good + "0", good.substring(0, good.length() - 1),
                good.toUpperCase(), "sha256$" + "z".repeat(64), "md5$" + good.substring(7), "garbage"}) {
            assertThat(UpdateKey.verify(stored, key)).as(stored).isFalse();
        }
        assertThat(UpdateKey.verify(null, key)).isFalse();
        assertThat(UpdateKey.verify(good, null)).isFalse();
        assertThat(UpdateKey.isLegacy(null)).isFalse();
        assertThat(UpdateKey.isLegacy("garbage")).isFalse();
    }

    @Test
    void anEmptyKeyCannotBeHashed() {
        assertThatThrownBy(() -> UpdateKey.hash("")).isInstanceOf(StoreException.Invalid.class);
    }
}
