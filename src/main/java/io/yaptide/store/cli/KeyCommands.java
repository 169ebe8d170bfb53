package io.yaptide.store.cli;

import io.yaptide.store.config.ConfigException;
import io.yaptide.store.db.Database;
import io.yaptide.store.users.KeyCipher;
import io.yaptide.store.users.PrivateKeyRows;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code encrypt-private-keys} and {@code decrypt-private-keys}: turn encryption at rest of Keycloak
 * users' private keys on for the rows already stored, or off (to hand the database back to the
 * original). Both are idempotent and resumable ({@link PrivateKeyRows}); they print counts and user
 * ids, never a key.
 */
final class KeyCommands {
    private KeyCommands() {
    }

    abstract static class KeyCommand extends AdminCommands.Admin {
        @Option(names = "--key-file", paramLabel = "FILE",
                description = "File holding the 32-byte key (64 hex digits or base64). Default: $YAPTIDE_SECRET_KEY_FILE.")
        Path keyFile;

        KeyCipher cipher() {
            if (keyFile != null) {
                return KeyCipher.fromFile(keyFile);
            }
            return KeyCipher.fromEnvironment(GlobalOptions.environment).orElseThrow(() -> new ConfigException(
                    "no key: set " + KeyCipher.ENV_KEY_FILE + " or give --key-file (make a key with openssl rand -hex 32)"));
        }

        void run(Database db, PrivateKeyRows.Direction direction) {
            KeyCipher cipher = cipher();
            boolean seal = direction == PrivateKeyRows.Direction.SEAL;
            out().line((seal ? "Encrypting" : "Decrypting") + " private keys of Keycloak users with key " + cipher.keyId());
            PrivateKeyRows.Report r = new PrivateKeyRows(db, cipher).run(direction);
            String done = seal ? "encrypted" : "decrypted";
            out().line(r.changed() + " " + done + ", " + r.alreadyDone() + " already " + done + ", " + r.empty()
                    + " without a key" + (r.raced() == 0 ? "" : ", " + r.raced() + " changed meanwhile by a login (left as it wrote them)"));
            r.refused().forEach(line -> out().line("Not " + done + ": " + line));
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("key_id", cipher.keyId());
            doc.put(done, r.changed());
            doc.put("already_" + done, r.alreadyDone());
            doc.put("without_key", r.empty());
            doc.put("changed_meanwhile", r.raced());
            doc.put("refused", r.refused());
            out().document(doc);
            if (!r.refused().isEmpty()) {
                throw new CliException(ExitCode.ABORTED, r.refused().size() + " key(s) could not be " + done
                        + " with key " + cipher.keyId() + "; they are unchanged");
            }
        }
    }

    @Command(name = "encrypt-private-keys", description = {
            "Encrypt Keycloak users' stored private keys (AES-GCM, key from $YAPTIDE_SECRET_KEY_FILE or --key-file).",
            "Rows already encrypted are skipped: run it again to finish an interrupted run."})
    static final class Encrypt extends KeyCommand {
        @Override
        void run(Database db) {
            run(db, PrivateKeyRows.Direction.SEAL);
        }
    }

    @Command(name = "decrypt-private-keys", description = {
            "Decrypt Keycloak users' stored private keys back to the original's plain form (e.g. to hand the "
                    + "database back to the original). Rows already plain are skipped."})
    static final class Decrypt extends KeyCommand {
        @Override
        void run(Database db) {
            run(db, PrivateKeyRows.Direction.OPEN);
        }
    }
}
