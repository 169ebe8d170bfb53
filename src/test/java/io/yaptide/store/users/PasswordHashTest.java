package io.yaptide.store.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.OriginalCredentials;
import io.yaptide.store.testing.OriginalCredentials.Login;
import io.yaptide.store.testing.OriginalDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void fixtureUsersVerifyWithTheirPasswordsAgainstThePostgresDump() {
        Map<String, String> idByName = OriginalDatabases.postgresRows("User").stream()
                .collect(Collectors.toMap(r -> r.get("username"), r -> r.get("id")));
        Map<String, String> hashById = OriginalDatabases.postgresRows("YaptideUser").stream()
                .collect(Collectors.toMap(r -> r.get("id"), r -> r.get("password_hash")));

        List<Login> logins = OriginalCredentials.logins();
        assertThat(logins).extracting(Login::hashMethod).contains("pbkdf2:sha256:260000", "scrypt:32768:8:1");
        for (Login login : logins) {
            String stored = hashById.get(idByName.get(login.username()));
            assertThat(stored).as(login.username()).startsWith(login.hashMethod() + "$");
            assertThat(PasswordHash.verify(stored, login.password())).as(login.username()).isTrue();
            assertThat(PasswordHash.verify(stored, login.password() + "x")).as(login.username()).isFalse();
            assertThat(PasswordHash.verify(stored, "")).isFalse();
        }
    }

    @Test
    void fixtureUsersVerifyWithTheirPasswordsAgainstTheSqliteDump() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + OriginalDatabases.sqliteFile());
                PreparedStatement s = c.prepareStatement(
                        "SELECT y.password_hash FROM \"User\" u JOIN \"YaptideUser\" y ON y.id = u.id WHERE u.username = ?")) {
            for (Login login : OriginalCredentials.logins()) {
                s.setString(1, login.username());
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).as(login.username()).isTrue();
                    String stored = rs.getString(1);
                    assertThat(PasswordHash.verify(stored, login.password())).as(login.username()).isTrue();
                    assertThat(PasswordHash.verify(stored, login.password().toUpperCase())).isFalse();
                }
            }
        }
    }

    @Test
    void newHashesUseScryptWithASixteenCharacterAlphanumericSaltAndVerify() {
        String hash = PasswordHash.hash("correct horse");
        String[] parts = hash.split("\\$");

        assertThat(parts).hasSize(3);
        assertThat(parts[0]).isEqualTo(PasswordHash.DEFAULT_METHOD).isEqualTo("scrypt:32768:8:1");
        assertThat(parts[1]).matches("[A-Za-z0-9]{16}");
        assertThat(parts[2]).matches("[0-9a-f]{128}");
        assertThat(PasswordHash.verify(hash, "correct horse")).isTrue();
        assertThat(PasswordHash.verify(hash, "correct horsE")).isFalse();
        assertThat(PasswordHash.needsRehash(hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(PasswordHash.hash("same")).isNotEqualTo(PasswordHash.hash("same"));
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8() {
        String hash = PasswordHash.hash("zażółć gęślą jaźń");
        assertThat(PasswordHash.verify(hash, "zażółć gęślą jaźń")).isTrue();
        assertThat(PasswordHash.verify(hash, "zazolc gesla jazn")).isFalse();
    }

    @Test
    void pbkdf2HashesAreUpgradeCandidatesAndScryptDefaultsAreNot() {
        String pbkdf2 = OriginalDatabases.postgresRows("YaptideUser").get(0).get("password_hash");
        assertThat(pbkdf2).startsWith("pbkdf2:sha256:");
        assertThat(PasswordHash.needsRehash(pbkdf2)).isTrue();
        assertThat(PasswordHash.needsRehash("scrypt:16384:8:1$abc$00")).isTrue();
        assertThat(PasswordHash.needsRehash(null)).isTrue();
    }

    @Test
    void malformedOrUnsupportedHashesAreRejectedWithoutAnException() {
        String good = PasswordHash.hash("pw");
        String salt = good.split("\\$")[1];
        String hex = good.split("\\$")[2];
        List<String> malformed = List.of(
                "",
                "no-dollars-at-all",
                "scrypt:32768:8:1$" + salt,
                "scrypt:32768:8:1$" + salt + "$",
                "scrypt:32768:8$" + salt + "$" + hex,
                "scrypt:1000:8:1$" + salt + "$" + hex,       // N not a power of two
                "scrypt:x:8:1$" + salt + "$" + hex,
                "scrypt:32768:0:1$" + salt + "$" + hex,
                "scrypt:1073741824:8:1$" + salt + "$" + hex, // would need 1 TiB
                "pbkdf2:sha256$" + salt + "$" + hex,
                "pbkdf2:sha256:-5$" + salt + "$" + hex,
                "pbkdf2:md5:1000$" + salt + "$" + hex,
                "plain$$pw",
                "sha256$" + salt + "$" + hex);
        for (String stored : malformed) {
            assertThat(PasswordHash.verify(stored, "pw")).as(stored).isFalse();
        }
        assertThat(PasswordHash.verify(null, "pw")).isFalse();
        assertThat(PasswordHash.verify(good, null)).isFalse();
    }

    @Test
    void aHashWithTheRightPasswordButAlteredDigestDoesNotVerify() {
        String good = PasswordHash.hash("pw");
        char last = good.charAt(good.length() - 1);
        String altered = good.substring(0, good.length() - 1) + (last == '0' ? '1' : '0');
        assertThat(PasswordHash.verify(altered, "pw")).isFalse();
        assertThat(PasswordHash.verify(good.toUpperCase().replace("SCRYPT", "scrypt"), "pw")).isFalse();
    }
}
