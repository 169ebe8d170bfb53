package io.yaptide.store.users;

import io.yaptide.store.db.Database;
import java.util.ArrayList;
import java.util.List;

/**
 * Seals or opens the {@code KeycloakUser.private_key} column of existing rows: turning encryption at
 * rest on for a database, or off again to hand it back to the original.
 *
 * <p>Rows go in id order, a batch per transaction, each row changed only if it still holds the value
 * read (a login writing meanwhile wins). A row already in the wanted form is skipped, so a run is
 * idempotent, and a run stopped half-way (crash, Ctrl-C) is finished by running it again: every
 * committed batch stays done, the rest is done then.
 */
public final class PrivateKeyRows {
    static final int BATCH = 200;

    public enum Direction { SEAL, OPEN }

    /**
     * What a run did. {@code changed}: rows sealed (or opened); {@code alreadyDone}: rows already in
     * that form; {@code empty}: rows without a key; {@code raced}: rows changed by someone else between
     * read and write, left as that writer made them; {@code refused}: why rows could not be changed
     * (sealed with another key, altered), by user id, never with the key.
     */
    public record Report(long changed, long alreadyDone, long empty, long raced, List<String> refused) {
        public Report {
            refused = List.copyOf(refused);
        }
    }

    private record Row(long id, String key) {
    }

    private final Database db;
    private final KeyCipher cipher;

    public PrivateKeyRows(Database db, KeyCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    public Report run(Direction direction) {
        long changed = 0;
        long already = 0;
        long empty = 0;
        long raced = 0;
        List<String> refused = new ArrayList<>();
        long after = Long.MIN_VALUE;
        while (true) {
            long from = after;
            List<Row> rows = db.jdbi().withHandle(h -> h.createQuery("""
                            SELECT id, private_key FROM "KeycloakUser" WHERE id > :after ORDER BY id LIMIT :batch""")
                    .bind("after", from).bind("batch", BATCH)
                    .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("private_key"))).list());
            if (rows.isEmpty()) {
                return new Report(changed, already, empty, raced, refused);
            }
            after = rows.get(rows.size() - 1).id();
            List<Row[]> updates = new ArrayList<>(); // {old, new}
            for (Row row : rows) {
                if (row.key() == null || row.key().isEmpty()) {
                    empty++;
                    continue;
                }
                boolean sealed = KeyCipher.isSealed(row.key());
                if (direction == Direction.SEAL && sealed || direction == Direction.OPEN && !sealed) {
                    String id = KeyCipher.keyIdOf(row.key()).orElse(null);
                    if (sealed && !cipher.keyId().equals(id)) {
                        refused.add("user " + row.id() + ": sealed with key " + id + ", not the configured key "
                                + cipher.keyId() + "; left as it is");
                    } else {
                        already++;
                    }
                    continue;
                }
                try {
                    String next = direction == Direction.SEAL ? cipher.seal(row.key(), row.id()) : cipher.open(row.key(), row.id());
                    updates.add(new Row[] {row, new Row(row.id(), next)});
                } catch (KeyCipher.CannotOpen e) {
                    refused.add(e.getMessage() + "; left as it is");
                }
            }
            int[] counts = db.jdbi().inTransaction(h -> {
                int[] c = new int[2];
                for (Row[] u : updates) {
                    int n = h.createUpdate("UPDATE \"KeycloakUser\" SET private_key = :new WHERE id = :id AND private_key = :old")
                            .bind("new", u[1].key()).bind("id", u[0].id()).bind("old", u[0].key()).execute();
                    c[n == 1 ? 0 : 1]++;
                }
                return c;
            });
            changed += counts[0];
            raced += counts[1];
        }
    }
}
