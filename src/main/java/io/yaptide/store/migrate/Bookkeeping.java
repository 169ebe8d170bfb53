package io.yaptide.store.migrate;

import io.yaptide.store.db.Catalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tables that record a revision or the state of the machinery rather than the data (ours,
 * Liquibase's and the original's Alembic), and the one place that reads the revisions they record.
 */
public final class Bookkeeping {
    /** Liquibase's changelog; unquoted, so lower case on PostgreSQL. */
    public static final String CHANGELOG = "databasechangelog";
    /** Liquibase's lock row. */
    public static final String CHANGELOG_LOCK = "databasechangeloglock";
    /** The original's Alembic revision. */
    public static final String ALEMBIC_VERSION = "alembic_version";

    /**
     * Every bookkeeping table: left out of schema comparisons and data digests, dropped with the
     * application tables by a restore. Our own two hold a revision's carried-over keys and the
     * Celery dispatch outbox.
     */
    public static final List<String> TABLES = List.of(CHANGELOG, CHANGELOG_LOCK, ALEMBIC_VERSION,
            "yaptide_update_key_carry", "yaptide_celery_outbox");

    private Bookkeeping() {
    }

    /** Our revisions as recorded, oldest first; empty when the changelog table is missing. */
    static List<Migrator.AppliedRevision> applied(Connection c) throws SQLException {
        List<Migrator.AppliedRevision> out = new ArrayList<>();
        if (!Catalog.tableExists(c, CHANGELOG)) {
            return out;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, dateexecuted FROM " + CHANGELOG + " ORDER BY orderexecuted")) {
            while (rs.next()) {
                out.add(new Migrator.AppliedRevision(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    /** The last revision our changelog records, as recorded (no realignment). */
    public static Optional<String> lastRecorded(Connection c) throws SQLException {
        List<Migrator.AppliedRevision> applied = applied(c);
        return applied.isEmpty() ? Optional.empty() : Optional.of(applied.get(applied.size() - 1).id());
    }

    /** The original's Alembic revision, for a database the original made. */
    public static Optional<String> alembicVersion(Connection c) throws SQLException {
        if (!Catalog.tableExists(c, ALEMBIC_VERSION)) {
            return Optional.empty();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version_num FROM " + ALEMBIC_VERSION)) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }
}
