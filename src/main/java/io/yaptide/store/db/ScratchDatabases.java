package io.yaptide.store.db;

import io.yaptide.store.config.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;

/**
 * Databases made to be thrown away: the expected schema of {@code db check} is built on one, and
 * {@code db rehearse} migrates a copy of the live database on one. On SQLite a file in a temporary
 * directory; on PostgreSQL a database created beside the others on the same server, over a
 * {@link ConnectionPurpose#SCRATCH} connection, and dropped with {@code WITH (FORCE)}.
 */
public final class ScratchDatabases {
    private ScratchDatabases() {
    }

    /** A new temporary directory for scratch files; {@link #deleteTree} removes it. */
    public static Path temporaryDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Deletes a scratch directory with everything in it; a leftover temporary directory is harmless, so failures are ignored. */
    public static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }

    /**
     * The database an operator's role can create others from: the server's maintenance database,
     * or, when that is closed to the role, {@code source} itself.
     */
    public static DatabaseUrl serverOf(DatabaseUrl source) {
        DatabaseUrl maintenance = Connections.maintenance(source);
        return Connections.reachable(maintenance, ConnectionPurpose.SCRATCH) ? maintenance : source;
    }

    /**
     * Creates database {@code name} on the server of {@code server} (a URL of any database there),
     * empty or, with a {@code template}, as a copy of that database (which then must have no other
     * sessions).
     */
    public static void create(DatabaseUrl server, String name, String template) throws SQLException {
        execute(server, "CREATE DATABASE " + Identifiers.quoted(name)
                + (template == null ? "" : " TEMPLATE " + Identifiers.quoted(template)));
    }

    /** Drops database {@code name}, ending any session still on it. */
    public static void drop(DatabaseUrl server, String name) throws SQLException {
        execute(server, "DROP DATABASE IF EXISTS " + Identifiers.quoted(name) + " WITH (FORCE)");
    }

    private static void execute(DatabaseUrl server, String sql) throws SQLException {
        try (Connection c = Connections.connect(server, ConnectionPurpose.SCRATCH); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
