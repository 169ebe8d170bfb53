package io.yaptide.store.ops;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import io.yaptide.store.migrate.Bookkeeping;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The revision a database records: ours (the last Liquibase changeSet applied) or, for a database
 * the original made and nobody adopted yet, the original's {@code alembic_version}.
 */
public record RecordedRevision(String id, boolean original) {

    public static Optional<RecordedRevision> read(Connection c) throws SQLException {
        Optional<String> ours = Bookkeeping.lastRecorded(c);
        if (ours.isPresent()) {
            return Optional.of(new RecordedRevision(ours.get(), false));
        }
        return Bookkeeping.alembicVersion(c).map(id -> new RecordedRevision(id, true));
    }

    /**
     * The revision {@code url} records, read over its own operations connection.
     *
     * @throws OpsException with the driver's message when it cannot be read
     */
    public static Optional<RecordedRevision> read(DatabaseUrl url) {
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS)) {
            return read(c);
        } catch (SQLException e) {
            throw new OpsException(e.getMessage(), e);
        }
    }

    public String label() {
        return original ? id + " (the original's alembic_version)" : id;
    }
}
