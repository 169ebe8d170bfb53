package io.yaptide.store.ops;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables of the Yaptide schema, parents before children, so that copying rows in this order
 * never breaks a foreign key and deleting in the reverse order never either. Every identifier that
 * the operations tools put into SQL comes from here (or from the live catalog, checked against it).
 */
public final class AppTables {

    /** Application tables, parents first. */
    public static final List<String> ALL = List.of(
            "User", "YaptideUser", "KeycloakUser", "Cluster",
            "Simulation", "CelerySimulation", "BatchSimulation",
            "Task", "CeleryTask", "BatchTask",
            "Input", "Estimator", "Page", "Logfiles");

    /** Tables with a SERIAL id on PostgreSQL (their sequences are reset after a row-level restore). */
    public static final List<String> SERIAL = List.of(
            "User", "Cluster", "Simulation", "Task", "Input", "Estimator", "Page", "Logfiles");

    /** Migration bookkeeping: ours (Liquibase) and the original's (Alembic). */
    public static final List<String> BOOKKEEPING = List.of("databasechangelog", "databasechangeloglock", "alembic_version",
            "yaptide_update_key_carry", "yaptide_celery_outbox");

    private AppTables() {
    }

    /** "User" -> {@code "User"}: the quoted identifier (the names are mixed case). */
    public static String quoted(String table) {
        return "\"" + table.replace("\"", "\"\"") + "\"";
    }

    /** The application tables present in the database, parents first. */
    public static List<String> present(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String t : ALL) {
            if (exists(c, t)) {
                out.add(t);
            }
        }
        return out;
    }

    public static boolean exists(Connection c, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, null, table, new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema == null || schema.equals("public") || schema.equals("main")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Number of user tables of any name (for "is the target empty?"). */
    public static int countAnyTables(Connection c, boolean postgres) throws SQLException {
        String sql = postgres
                ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A table name as the catalog spells it, matched case-insensitively against ours; null if not ours. */
    public static String ours(String catalogName) {
        for (String t : ALL) {
            if (t.toLowerCase(Locale.ROOT).equals(catalogName.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }
}
