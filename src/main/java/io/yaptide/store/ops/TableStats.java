package io.yaptide.store.ops;

import io.yaptide.store.db.Identifiers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Row counts, sizes and content checksums of the application tables: what {@code db inspect} shows,
 * what a backup records, and what {@code db rehearse} compares before and after each round trip.
 */
public final class TableStats {

    private TableStats() {
    }

    /** Row count of each present application table, parents first. */
    public static Map<String, Long> rowCounts(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : AppTables.present(c)) {
            out.put(t, count(c, t));
        }
        return out;
    }

    public static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + Identifiers.quoted(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Bytes on disk of a table with its indexes; -1 when the database cannot say. */
    public static long sizeBytes(Connection c, String table, boolean postgres) {
        String sql = postgres
                ? "SELECT pg_total_relation_size(to_regclass(?))"
                : "SELECT SUM(pgsize) FROM dbstat WHERE name = ? OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = ? AND type = 'index')";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (postgres) {
                ps.setString(1, "public." + Identifiers.quoted(table));
            } else {
                ps.setString(1, table);
                ps.setString(2, table);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1; // dbstat is optional in SQLite builds; the size column then shows "-"
        }
    }

    /** Count and a SHA-256 of the content of one table. */
    public record TableDigest(long rows, String sha256) {
    }

    /**
     * A digest of every present application table: rows in id order, columns in name order (so that
     * a table rebuilt with another column order still digests the same), NULL told apart from empty.
     */
    public static Map<String, TableDigest> digests(Connection c) throws SQLException {
        Map<String, TableDigest> out = new LinkedHashMap<>();
        for (String t : AppTables.present(c)) {
            out.put(t, digest(c, t));
        }
        return out;
    }

    static TableDigest digest(Connection c, String table) throws SQLException {
        MessageDigest sha = sha256();
        long rows = 0;
        boolean auto = c.getAutoCommit();
        try (Statement s = c.createStatement()) {
            s.setFetchSize(200); // PostgreSQL streams only outside autocommit; payload tables are large
            if (auto && !c.getMetaData().getURL().startsWith("jdbc:sqlite")) {
                c.setAutoCommit(false);
            }
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + Identifiers.quoted(table) + " ORDER BY id")) {
                ResultSetMetaData md = rs.getMetaData();
                TreeMap<String, Integer> columns = new TreeMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.put(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), i);
                }
                while (rs.next()) {
                    rows++;
                    for (Map.Entry<String, Integer> col : columns.entrySet()) {
                        sha.update(col.getKey().getBytes(StandardCharsets.UTF_8));
                        byte[] value = rs.getBytes(col.getValue());
                        if (value == null) {
                            sha.update((byte) 0);
                        } else {
                            sha.update((byte) 1);
                            sha.update(Integer.toString(value.length).getBytes(StandardCharsets.US_ASCII));
                            sha.update(value);
                        }
                    }
                }
            }
        } finally {
            if (auto && !c.getAutoCommit()) {
                c.commit();
                c.setAutoCommit(true);
            }
        }
        return new TableDigest(rows, HexFormat.of().formatHex(sha.digest()));
    }

    /** Lines describing how two sets of digests differ; empty when equal. */
    public static List<String> differences(String what, Map<String, TableDigest> before, Map<String, TableDigest> after) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, TableDigest> e : before.entrySet()) {
            TableDigest other = after.get(e.getKey());
            if (other == null) {
                out.add(what + ": table " + e.getKey() + " is missing");
            } else if (other.rows() != e.getValue().rows()) {
                out.add(what + ": table " + e.getKey() + " had " + e.getValue().rows() + " rows, now " + other.rows());
            } else if (!other.sha256().equals(e.getValue().sha256())) {
                out.add(what + ": table " + e.getKey() + " has the same " + other.rows() + " rows but different content");
            }
        }
        for (String t : after.keySet()) {
            if (!before.containsKey(t)) {
                out.add(what + ": table " + t + " appeared");
            }
        }
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
