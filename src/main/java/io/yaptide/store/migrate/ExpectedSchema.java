package io.yaptide.store.migrate;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.ScratchDatabases;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schema our migrations produce at a revision, on the engine of a given database: made by
 * migrating a scratch database (a temporary file for SQLite; a temporary database on the same
 * PostgreSQL server, dropped afterwards) and reading it back. Computed once per engine and revision
 * per process.
 */
public final class ExpectedSchema {

    private static final Map<String, SchemaSnapshot> CACHE = new ConcurrentHashMap<>();

    private ExpectedSchema() {
    }

    /** The schema at {@code revision} (null: base, no tables) for the engine of {@code like}. */
    public static SchemaSnapshot at(DatabaseUrl like, String revision) {
        if (revision == null) {
            return new SchemaSnapshot(Map.of());
        }
        String key = like.kind() + "@" + revision;
        SchemaSnapshot known = CACHE.get(key);
        if (known != null) {
            return known;
        }
        SchemaSnapshot made = build(like, revision);
        CACHE.put(key, made);
        return made;
    }

    /** Builds it afresh, without the cache. */
    static SchemaSnapshot build(DatabaseUrl like, String revision) {
        return like.isPostgres() ? onPostgres(like, revision) : onSqlite(revision);
    }

    private static SchemaSnapshot onSqlite(String revision) {
        Path dir = null;
        try {
            dir = ScratchDatabases.temporaryDirectory("yaptide-expected-");
            DatabaseUrl scratch = DatabaseUrl.parse("sqlite:///" + dir.resolve("expected.db").toAbsolutePath());
            new Migrator(scratch).upgrade(revision);
            return SchemaSnapshot.read(scratch);
        } catch (IOException e) {
            throw new MigrationException("cannot create a temporary SQLite database to build the expected schema: " + e.getMessage(), e);
        } finally {
            ScratchDatabases.deleteTree(dir);
        }
    }

    private static SchemaSnapshot onPostgres(DatabaseUrl like, String revision) {
        String name = "yaptide_expected_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            ScratchDatabases.create(like, name, null);
        } catch (SQLException e) {
            throw new MigrationException("cannot create the scratch database " + name + " on " + like.host() + ":" + like.port()
                    + " to build the expected schema (" + e.getMessage().lines().findFirst().orElse("")
                    + "); the user needs the CREATEDB privilege", e);
        }
        try {
            DatabaseUrl scratch = like.withDatabase(name);
            new Migrator(scratch).upgrade(revision);
            return SchemaSnapshot.read(scratch);
        } finally {
            try {
                ScratchDatabases.drop(like, name);
            } catch (SQLException e) {
                System.err.println("Warning: could not drop the scratch database " + name + ": " + e.getMessage());
            }
        }
    }

}
