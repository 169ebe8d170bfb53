package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.AuthProvider;
import io.yaptide.store.users.ClusterCredentials;
import io.yaptide.store.users.KeyCipher;
import io.yaptide.store.users.KeycloakUser;
import io.yaptide.store.users.UserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keycloak users in the admin CLI (listed and removed as the original does), and the two commands
 * that encrypt and decrypt their stored private keys: idempotent, resumable, and silent about keys.
 */
class KeycloakUsersCliTest {

    static Path keyFile(String hexByte) throws Exception {
        Path f = Files.createTempFile("yaptide-key", ".txt");
        f.toFile().deleteOnExit();
        Files.writeString(f, hexByte.repeat(32) + "\n");
        return f;
    }

    /** private_key as stored, by user name. */
    static Map<String, Optional<String>> storedKeys(TestDatabase db) {
        Map<String, Optional<String>> m = new TreeMap<>();
        db.jdbi().useHandle(h -> h.createQuery("""
                        SELECT u.username, k.private_key FROM "User" u JOIN "KeycloakUser" k ON k.id = u.id""")
                .map((rs, ctx) -> Map.entry(rs.getString(1), Optional.ofNullable(rs.getString(2))))
                .forEach(e -> m.put(e.getKey(), e.getValue())));
        return m;
    }

    @DatabaseTest
    void keycloakUsersAreListedAndRemovedLikeTheOriginals(TestDatabase db) {
        UserStore users = new UserStore(db.database());
        users.createPasswordUser("anna", "secret-1");
        KeycloakUser jan = users.saveKeycloakLogin("plgjan", new ClusterCredentials("CERT", "KEY"));
        long cluster = new ClusterStore(db.database()).create("ares").id();
        SeedRows.batchSimulation(db.jdbi(), jan.id(), cluster, 2);

        assertThat(Cli.run(db.url(), "list-users").outLines()).containsExactly("2 users in DB:",
                "Login anna; Auth provider YaptideUser", "Login plgjan; Auth provider KeycloakUser");
        Cli.Result refused = Cli.run(db.url(), "remove-user", "plgjan", "KeycloakUser");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("still owns 1 simulation(s) with 2 task(s)");
        Cli.Result wrongProvider = Cli.run(db.url(), "remove-user", "plgjan", "YaptideUser");
        assertThat(wrongProvider.code()).isEqualTo(1);
        assertThat(wrongProvider.outLines()).contains("Aborting, user plgjan does not exist");

        Cli.Result removed = Cli.run(db.url(), "remove-user", "plgjan", "KeycloakUser", "--cascade");
        assertThat(removed.code()).as(removed.err()).isZero();
        assertThat(removed.outLines()).last().isEqualTo("Successfully deleted user: plgjan");
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("User", 1L).containsEntry("KeycloakUser", 0L)
                .containsEntry("Simulation", 0L).containsEntry("Task", 0L);
        assertThat(users.find("plgjan", AuthProvider.KEYCLOAK)).isEmpty();
    }

    @DatabaseTest
    void privateKeysAreEncryptedAndDecryptedIdempotentlyAndResumably(TestDatabase db) throws Exception {
        UserStore plain = new UserStore(db.database());
        plain.createKeycloakUser("plga", "CERT-A", "-----BEGIN OPENSSH PRIVATE KEY----- A");
        plain.createKeycloakUser("plgb", "CERT-B", "-----BEGIN OPENSSH PRIVATE KEY----- B");
        plain.createKeycloakUser("plgc", null, null);
        Map<String, Optional<String>> original = storedKeys(db);
        Path key = keyFile("ab");
        KeyCipher cipher = KeyCipher.fromFile(key);

        Cli.Result first = Cli.run(db.url(), "encrypt-private-keys", "--key-file", key.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.outLines()).containsExactly("Encrypting private keys of Keycloak users with key " + cipher.keyId(),
                "2 encrypted, 0 already encrypted, 1 without a key");
        Map<String, Optional<String>> sealed = storedKeys(db);
        assertThat(sealed.get("plga").orElseThrow()).startsWith("yaptide-aes256gcm:v1:" + cipher.keyId() + ":")
                .doesNotContain("OPENSSH");
        assertThat(sealed.get("plgc")).isEmpty();
        // the service reads them in the clear with the key
        UserStore withKey = new UserStore(db.database(), cipher);
        KeycloakUser a = (KeycloakUser) withKey.find("plga", AuthProvider.KEYCLOAK).orElseThrow();
        assertThat(withKey.privateKey(a)).contains("-----BEGIN OPENSSH PRIVATE KEY----- A");

        // again: nothing to do, nothing changed
        Cli.Result again = Cli.run(db.url(), "encrypt-private-keys", "--key-file", key.toString());
        assertThat(again.outLines()).last().isEqualTo("0 encrypted, 2 already encrypted, 1 without a key");
        assertThat(storedKeys(db)).isEqualTo(sealed);

        // an interrupted run left one row plain: the next run finishes the job
        db.jdbi().useHandle(h -> h.execute("UPDATE \"KeycloakUser\" SET private_key = 'PLAIN B' WHERE id = "
                + "(SELECT id FROM \"User\" WHERE username = 'plgb')"));
        Cli.Result resumed = Cli.run(db.url(), "encrypt-private-keys", "--json", "--key-file", key.toString());
        assertThat(resumed.code()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(resumed.out()).path("encrypted").asLong())
                .isEqualTo(1);
        KeycloakUser b = (KeycloakUser) withKey.find("plgb", AuthProvider.KEYCLOAK).orElseThrow();
        assertThat(withKey.privateKey(b)).contains("PLAIN B");

        // another key opens nothing and changes nothing; no key or secret is printed
        Path other = keyFile("cd");
        Map<String, Optional<String>> before = storedKeys(db);
        Cli.Result wrong = Cli.run(db.url(), "decrypt-private-keys", "--key-file", other.toString());
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.out()).contains("sealed with key " + cipher.keyId() + ", not with the configured key");
        assertThat(wrong.out() + wrong.err()).doesNotContain("OPENSSH").doesNotContain("PLAIN B").doesNotContain("abab");
        assertThat(storedKeys(db)).isEqualTo(before);

        // decrypting gives the original's plain column back, and is idempotent too
        db.jdbi().useHandle(h -> h.execute("UPDATE \"KeycloakUser\" SET private_key = '-----BEGIN OPENSSH PRIVATE KEY----- B' "
                + "WHERE id = (SELECT id FROM \"User\" WHERE username = 'plgb')"));
        Cli.Result decrypted = Cli.run(db.url(), "decrypt-private-keys", "--key-file", key.toString());
        assertThat(decrypted.code()).as(decrypted.err()).isZero();
        assertThat(decrypted.outLines()).last().isEqualTo("1 decrypted, 1 already decrypted, 1 without a key");
        assertThat(storedKeys(db)).isEqualTo(original);
        assertThat(Cli.run(db.url(), "decrypt-private-keys", "--key-file", key.toString()).outLines()).last()
                .isEqualTo("0 decrypted, 2 already decrypted, 1 without a key");
        assertThat(storedKeys(db)).isEqualTo(original);
    }

    @DatabaseTest
    void aMissingOrMalformedKeyIsOneLineAndChangesNothing(TestDatabase db) throws Exception {
        new UserStore(db.database()).createKeycloakUser("plga", "C", "KEY A");
        Map<String, Optional<String>> before = storedKeys(db);
        Path bad = Files.createTempFile("yaptide-key", ".txt");
        Files.writeString(bad, "too short");
        for (List<String> args : List.of(List.of("encrypt-private-keys"),
                List.of("encrypt-private-keys", "--key-file", bad.toString()),
                List.of("decrypt-private-keys", "--key-file", bad.resolveSibling("no-such-key-file").toString()))) {
            Cli.Result r = Cli.run(db.url(), args.toArray(String[]::new));
            assertThat(r.code()).as(args.toString()).isEqualTo(ExitCode.CONFIG);
            assertThat(r.err().strip().lines()).as(args.toString()).hasSize(1);
        }
        Files.delete(bad);
        assertThat(storedKeys(db)).isEqualTo(before);
    }
}
