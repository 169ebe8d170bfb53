package io.yaptide.store.db;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/** What the database's catalog says, the same way on PostgreSQL and SQLite. */
public final class Catalog {
    private Catalog() {
    }

    /**
     * Whether a table of this name is in the default schema ({@code public} or SQLite's {@code
     * main}). An unquoted name is folded to lower case by PostgreSQL and kept as written by some
     * tools, so the name's upper-case spelling counts too (Liquibase's {@code DATABASECHANGELOG}).
     */
    public static boolean tableExists(Connection c, String name) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String upper = name.toUpperCase(Locale.ROOT);
        for (String candidate : upper.equals(name) ? new String[] {name} : new String[] {name, upper}) {
            try (ResultSet rs = md.getTables(null, null, candidate, new String[] {"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || schema.equals("public") || schema.equals("main")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Number of user tables of any name (for "is the database empty?"). */
    public static int countTables(Connection c, boolean postgres) throws SQLException {
        String sql = postgres
                ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
