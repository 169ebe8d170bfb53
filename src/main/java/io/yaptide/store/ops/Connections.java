package io.yaptide.store.ops;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Single plain JDBC connections for the operations tools: a backup or a copy needs one connection
 * with a chosen transaction mode, not a pool.
 */
public final class Connections {
    private Connections() {
    }

    public static Connection open(DatabaseUrl url) {
        Properties p = new Properties();
        if (url.isPostgres()) {
            url.user().ifPresent(u -> p.setProperty("user", u));
            url.password().ifPresent(pw -> p.setProperty("password", pw));
            p.setProperty("connectTimeout", "5");
            p.setProperty("ApplicationName", "yaptide-store-ops");
        } else {
            p.setProperty("foreign_keys", "true");
            p.setProperty("busy_timeout", "30000");
        }
        try {
            return DriverManager.getConnection(url.jdbcUrl(), p);
        } catch (SQLException e) {
            // Database.open turns a failed connection into the one-line message operators get.
            throw unavailable(url, e);
        }
    }

    static RuntimeException unavailable(DatabaseUrl url, SQLException e) {
        try (Database ignored = Database.open(url, 1)) {
            // the server answers a pool but refused this connection: still "unavailable" (exit 4), not "aborted"
            return new io.yaptide.store.db.DatabaseUnavailableException("cannot connect to " + url + ": "
                    + e.getMessage() + "; check the URL and that the database accepts connections", e);
        } catch (RuntimeException r) {
            return r;
        }
    }

    /** The maintenance database of the same server, for CREATE/DROP DATABASE. */
    public static DatabaseUrl maintenance(DatabaseUrl url) {
        return url.withDatabase("postgres");
    }

    /** A database name as a quoted identifier (names come from the URL or from code). */
    public static String quotedDatabase(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
