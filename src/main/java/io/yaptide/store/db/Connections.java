package io.yaptide.store.db;

import io.yaptide.store.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;

/**
 * The one way to open a single plain JDBC connection (the pool is {@link Database#open}): for a
 * migration, an operations tool or a scratch database, each with the properties of its
 * {@link ConnectionPurpose}.
 *
 * <p>The driver is called directly, not through {@code DriverManager}: that would load every driver
 * on the class path, and the SQLite driver's start-up initialises the logging system, for nothing
 * in a short command.
 */
public final class Connections {
    private Connections() {
    }

    /**
     * Opens a connection, or throws the driver's failure as it is (for callers that report it in
     * their own words, such as a migration).
     */
    public static Connection connect(DatabaseUrl url, ConnectionPurpose purpose) throws SQLException {
        Driver driver = url.isPostgres() ? new org.postgresql.Driver() : new org.sqlite.JDBC();
        Connection c = driver.connect(url.jdbcUrl(), ConnectionProperties.of(url, purpose));
        if (c == null) {
            throw new SQLException("no driver accepts the URL " + url, "08001");
        }
        return c;
    }

    /**
     * Opens a connection.
     *
     * @throws DatabaseUnavailableException with the one line naming the URL and what to check
     */
    public static Connection open(DatabaseUrl url, ConnectionPurpose purpose) {
        try {
            return connect(url, purpose);
        } catch (SQLException e) {
            throw Database.unavailable(url, e);
        }
    }

    /** Whether a connection to {@code url} can be opened now (for choosing among databases, never for reporting). */
    public static boolean reachable(DatabaseUrl url, ConnectionPurpose purpose) {
        try (Connection ignored = connect(url, purpose)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The maintenance database of the same PostgreSQL server, for CREATE/DROP DATABASE. */
    public static DatabaseUrl maintenance(DatabaseUrl url) {
        return url.withDatabase("postgres");
    }
}
