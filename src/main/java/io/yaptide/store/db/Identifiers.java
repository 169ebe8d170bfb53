package io.yaptide.store.db;

/**
 * SQL identifiers that cannot be bound as parameters (table and database names). Every such name
 * comes from code or from the catalog, never from a request; it is still always quoted.
 */
public final class Identifiers {
    private Identifiers() {
    }

    /** {@code User} -> {@code "User"}: the quoted identifier, the same on PostgreSQL and SQLite. */
    public static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
