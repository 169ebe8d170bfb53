package io.yaptide.store.db;

import io.yaptide.store.config.DatabaseUrl;
import java.util.Properties;

/**
 * Every JDBC connection property this project sets, each named once, and the set each
 * {@link ConnectionPurpose} gets. Nothing outside {@code db/} builds connection properties.
 */
final class ConnectionProperties {

    /** How long connecting (the socket, and the whole login) may take before the database counts as unreachable. */
    public static final int CONNECT_TIMEOUT_SECONDS = 5;

    // ---- PostgreSQL (pgjdbc) ---------------------------------------------------------------------
    static final String PG_USER = "user";
    static final String PG_PASSWORD = "password";
    /** The socket connect timeout, in seconds. */
    static final String PG_CONNECT_TIMEOUT = "connectTimeout";
    /** The timeout of the whole login (connect, TLS, authentication), in seconds. */
    static final String PG_LOGIN_TIMEOUT = "loginTimeout";
    static final String PG_APPLICATION_NAME = "ApplicationName";
    /** How long a statement's answer may take to arrive, in seconds (0: no limit); only the standby watcher sets it. */
    static final String PG_SOCKET_TIMEOUT = "socketTimeout";
    /** Connect and login timeouts of a standby's connections, in seconds: a standby that hangs is skipped. */
    static final int STANDBY_CONNECT_TIMEOUT_SECONDS = 1;
    static final int STANDBY_LOGIN_TIMEOUT_SECONDS = 2;
    static final int STANDBY_WATCH_SOCKET_TIMEOUT_SECONDS = 2;
    /**
     * Batched inserts become multi-row inserts: the stores' result ingestion depends on it for its
     * speed. Only for the stores (SERVICE, ADMIN): a rewritten batch reports SUCCESS_NO_INFO instead
     * of each row's count, and the migrations and the restore do not need the speed.
     */
    static final String PG_REWRITE_BATCHED_INSERTS = "reWriteBatchedInserts";
    /**
     * Off for every purpose: the server's DETAIL quotes the row that failed (a unique key's value, a
     * password or update-key hash), and exception messages end up in logs and on the console.
     */
    static final String PG_LOG_SERVER_ERROR_DETAIL = "logServerErrorDetail";

    // ---- SQLite (xerial sqlite-jdbc) -------------------------------------------------------------
    /**
     * On for every purpose but {@link ConnectionPurpose#MIGRATION} (see there why). SQLite's default
     * is off, which is how the original left orphan rows behind.
     */
    static final String SQLITE_FOREIGN_KEYS = "foreign_keys";
    /** How long a connection waits for another's write lock before SQLITE_BUSY, in milliseconds. */
    static final String SQLITE_BUSY_TIMEOUT = "busy_timeout";
    static final int SQLITE_BUSY_TIMEOUT_MILLIS = 30_000;
    /** WAL: readers do not block the writer. Set by the stores' connections on a file (persistent in the file). */
    static final String SQLITE_JOURNAL_MODE = "journal_mode";
    /** NORMAL in WAL mode: commits do not wait for fsync; a crash loses no committed transaction's integrity. */
    static final String SQLITE_SYNCHRONOUS = "synchronous";
    /**
     * IMMEDIATE: a transaction takes the write lock when it begins, so that two writers queue on the
     * busy timeout instead of failing on a read-to-write upgrade. Only the stores' connections.
     */
    static final String SQLITE_TRANSACTION_MODE = "transaction_mode";

    private ConnectionProperties() {
    }

    /** The properties of a connection to {@code url} for {@code purpose}, credentials included. */
    public static Properties of(DatabaseUrl url, ConnectionPurpose purpose) {
        return url.isPostgres() ? postgres(url, purpose) : sqlite(url, purpose);
    }

    private static Properties postgres(DatabaseUrl url, ConnectionPurpose purpose) {
        Properties p = new Properties();
        url.user().ifPresent(u -> p.setProperty(PG_USER, u));
        url.password().ifPresent(pw -> p.setProperty(PG_PASSWORD, pw));
        p.setProperty(PG_CONNECT_TIMEOUT, String.valueOf(CONNECT_TIMEOUT_SECONDS));
        p.setProperty(PG_LOGIN_TIMEOUT, String.valueOf(CONNECT_TIMEOUT_SECONDS));
        p.setProperty(PG_APPLICATION_NAME, purpose.applicationName());
        p.setProperty(PG_LOG_SERVER_ERROR_DETAIL, "false");
        if (purpose == ConnectionPurpose.STANDBY_READS || purpose == ConnectionPurpose.STANDBY_WATCH) {
            p.setProperty(PG_CONNECT_TIMEOUT, String.valueOf(STANDBY_CONNECT_TIMEOUT_SECONDS));
            p.setProperty(PG_LOGIN_TIMEOUT, String.valueOf(STANDBY_LOGIN_TIMEOUT_SECONDS));
        }
        if (purpose == ConnectionPurpose.STANDBY_WATCH) {
            p.setProperty(PG_SOCKET_TIMEOUT, String.valueOf(STANDBY_WATCH_SOCKET_TIMEOUT_SECONDS));
        }
        if (runsStores(purpose)) {
            p.setProperty(PG_REWRITE_BATCHED_INSERTS, "true");
        }
        return p;
    }

    private static Properties sqlite(DatabaseUrl url, ConnectionPurpose purpose) {
        Properties p = new Properties();
        p.setProperty(SQLITE_FOREIGN_KEYS, String.valueOf(purpose != ConnectionPurpose.MIGRATION));
        p.setProperty(SQLITE_BUSY_TIMEOUT, String.valueOf(SQLITE_BUSY_TIMEOUT_MILLIS));
        if (runsStores(purpose) && !url.isInMemory()) {
            p.setProperty(SQLITE_JOURNAL_MODE, "WAL");
            p.setProperty(SQLITE_SYNCHRONOUS, "NORMAL");
            p.setProperty(SQLITE_TRANSACTION_MODE, "IMMEDIATE");
        }
        return p;
    }

    private static boolean runsStores(ConnectionPurpose purpose) {
        return purpose == ConnectionPurpose.SERVICE || purpose == ConnectionPurpose.ADMIN;
    }

    /** Whether {@code key} is a credential, which a pool takes apart from the other properties. */
    static boolean isCredential(Object key) {
        return PG_USER.equals(key) || PG_PASSWORD.equals(key);
    }
}
