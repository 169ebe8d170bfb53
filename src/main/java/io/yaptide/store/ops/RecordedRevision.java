package io.yaptide.store.ops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The revision a database records: ours (the last Liquibase changeSet applied) or, for a database
 * the original made and nobody adopted yet, the original's {@code alembic_version}.
 */
public record RecordedRevision(String id, boolean original) {

    public static Optional<RecordedRevision> read(Connection c) throws SQLException {
        if (AppTables.exists(c, "databasechangelog") || AppTables.exists(c, "DATABASECHANGELOG")) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM databasechangelog ORDER BY orderexecuted DESC")) {
                if (rs.next()) {
                    return Optional.of(new RecordedRevision(rs.getString(1), false));
                }
            }
        }
        if (AppTables.exists(c, "alembic_version")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
                if (rs.next()) {
                    return Optional.of(new RecordedRevision(rs.getString(1), true));
                }
            }
        }
        return Optional.empty();
    }

    public String label() {
        return original ? id + " (the original's alembic_version)" : id;
    }
}
