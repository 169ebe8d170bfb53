package io.yaptide.store.ops;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Catalog;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import java.sql.Connection;
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

    private AppTables() {
    }

    /** The application tables present in the database, parents first. */
    public static List<String> present(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String t : ALL) {
            if (Catalog.tableExists(c, t)) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Whether {@code url} holds any table at all (a fresh, empty database has nothing to back up);
     * true when that cannot be read, so that the caller errs on the side of the backup.
     *
     * @throws io.yaptide.store.db.DatabaseUnavailableException when it cannot be reached
     */
    public static boolean anyTables(DatabaseUrl url) {
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS)) {
            return Catalog.countTables(c, url.isPostgres()) > 0;
        } catch (SQLException e) {
            return true;
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
