package io.yaptide.store.ops;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Catalog;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code db inspect} shows, read over one operations connection: the server, the recorded
 * revision, each application table's rows and size, and the Celery dispatch outbox when there is one.
 */
public final class Inspection {

    /** One application table: its rows and its size in bytes (negative when the engine cannot tell). */
    public record TableRow(String table, long rows, long bytes) {
    }

    /**
     * @param product  the server's product name and version
     * @param dispatch the outbox's rows not yet ended, when the database has an outbox
     */
    public record Report(String product, Optional<RecordedRevision> revision, List<TableRow> tables,
                         Optional<List<DispatchView.Row>> dispatch) {
    }

    private Inspection() {
    }

    /**
     * @throws OpsException with the driver's message when the database cannot be read
     */
    public static Report read(DatabaseUrl url) {
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS)) {
            DatabaseMetaData md = c.getMetaData();
            String product = md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
            Optional<RecordedRevision> revision = RecordedRevision.read(c);
            List<TableRow> tables = new ArrayList<>();
            for (String t : AppTables.present(c)) {
                tables.add(new TableRow(t, TableStats.count(c, t), TableStats.sizeBytes(c, t, url.isPostgres())));
            }
            Optional<List<DispatchView.Row>> dispatch = Catalog.tableExists(c, DispatchView.TABLE)
                    ? Optional.of(DispatchView.read(c, false)) : Optional.empty();
            return new Report(product, revision, tables, dispatch);
        } catch (SQLException e) {
            throw new OpsException(e.getMessage(), e);
        }
    }
}
