package io.yaptide.store.db;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;

/**
 * The one classifier of SQL failures, across PostgreSQL and SQLite, whose drivers report them
 * differently. Every caller that must tell "the database is gone" from "this statement was wrong"
 * asks here: the hot path ({@link NamedStatement}), the stores, the HTTP error mapping (503 with
 * {@code Retry-After} for {@link Kind#UNAVAILABLE}) and the CLI.
 */
public final class SqlErrors {
    /** PostgreSQL's SQLSTATE for unique_violation. */
    private static final String PG_UNIQUE_VIOLATION = "23505";
    /** PostgreSQL's SQLSTATE for foreign_key_violation. */
    private static final String PG_FOREIGN_KEY_VIOLATION = "23503";
    /** deadlock_detected and serialization_failure: the transaction may be run again. */
    private static final String PG_DEADLOCK = "40P01";
    private static final String PG_SERIALIZATION = "40001";
    /** undefined_table: the schema is missing (not migrated, or dropped under us). */
    private static final String PG_UNDEFINED_TABLE = "42P01";
    /** undefined_column: the schema is older than the code (a revision not applied yet). */
    private static final String PG_UNDEFINED_COLUMN = "42703";
    /**
     * Class 22 is "data exception": text the database cannot hold (a NUL byte, 22021), a number out
     * of the column's range (22003), a value too long (22001). The input was wrong, not the database.
     */
    private static final String PG_DATA_EXCEPTION_CLASS = "22";
    /**
     * Class 08 is "connection exception"; 57P01-57P03 are admin shutdown, crash shutdown and
     * "cannot connect now" (starting up or shutting down); 53300 too many connections; 57014
     * "canceling statement" is not here (that is our own timeout, not an outage).
     */
    private static final String PG_CONNECTION_CLASS = "08";
    /** query_canceled: a statement or query timeout we set ran out. */
    private static final String PG_QUERY_CANCELED = "57014";

    /** What went wrong, as far as callers need to know. */
    public enum Kind {
        /** The database cannot be reached now (down, restarting, connection dropped): try again later. */
        UNAVAILABLE,
        /** A deadlock or serialization failure: running the transaction again may succeed. */
        RETRYABLE,
        UNIQUE_VIOLATION,
        FOREIGN_KEY_VIOLATION,
        /** A value the database refuses to hold (NUL in text, out-of-range number): the input's fault. */
        INVALID_DATA,
        /** The table is not there: the database was never migrated (or was dropped under us). */
        MISSING_SCHEMA,
        /** A column is not there: the schema is older than the code, a revision is still to be applied. */
        OUTDATED_SCHEMA,
        /** A statement ran past the timeout we set for it (a database too slow to count as ready). */
        TIMED_OUT,
        /** Anything else: a defect or a state we did not foresee. */
        OTHER
    }

    /** Why a connection could not be opened, for the one line that tells the operator what to check. */
    public enum ConnectFailure {
        /** Wrong user name or password (28P01, 28000). */
        LOGIN_REFUSED,
        /** The server answers, the database is not there (3D000). */
        NO_SUCH_DATABASE,
        /** No server answers at the host and port (a refused or unresolvable address, 08001, 08006). */
        UNREACHABLE,
        OTHER
    }

    private static final String PG_INVALID_PASSWORD = "28P01";
    private static final String PG_INVALID_AUTHORIZATION = "28000";
    private static final String PG_INVALID_CATALOG_NAME = "3D000";
    private static final String PG_CANNOT_CONNECT = "08001";
    private static final String PG_CONNECTION_FAILURE = "08006";

    private SqlErrors() {
    }

    /** Why opening a connection failed (the failure as the driver or the pool threw it). */
    public static ConnectFailure connectFailure(Throwable failure) {
        String state = failure instanceof SQLException sql ? sql.getSQLState() : null;
        if (PG_INVALID_PASSWORD.equals(state) || PG_INVALID_AUTHORIZATION.equals(state)) {
            return ConnectFailure.LOGIN_REFUSED;
        }
        if (PG_INVALID_CATALOG_NAME.equals(state)) {
            return ConnectFailure.NO_SUCH_DATABASE;
        }
        if (Causes.has(failure, ConnectException.class) || Causes.has(failure, UnknownHostException.class)
                || PG_CANNOT_CONNECT.equals(state) || PG_CONNECTION_FAILURE.equals(state)) {
            return ConnectFailure.UNREACHABLE;
        }
        return ConnectFailure.OTHER;
    }

    /** The kind of the first SQL failure in the cause chain (connection trouble wins over anything found later). */
    public static Kind classify(Throwable failure) {
        for (Throwable t : (Iterable<Throwable>) Causes.chain(failure)::iterator) {
            if (t instanceof ConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException) {
                return Kind.UNAVAILABLE;
            }
            if (t instanceof SQLException sql) {
                Kind kind = classify(sql);
                if (kind != Kind.OTHER) {
                    return kind;
                }
            }
            if (t instanceof IOException && t.getCause() == null && failure instanceof SQLException) {
                return Kind.UNAVAILABLE; // a socket error under a driver's exception
            }
        }
        return Kind.OTHER;
    }

    private static Kind classify(SQLException sql) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        String m = String.valueOf(sql.getMessage());
        if (state.startsWith(PG_CONNECTION_CLASS) || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300")
                || m.contains("This connection has been closed") || m.contains("An I/O error occurred")) {
            return Kind.UNAVAILABLE;
        }
        if (state.equals(PG_QUERY_CANCELED)) {
            return Kind.TIMED_OUT;
        }
        if (state.equals(PG_DEADLOCK) || state.equals(PG_SERIALIZATION)) {
            return Kind.RETRYABLE;
        }
        if (PG_UNIQUE_VIOLATION.equals(state)
                || m.contains("SQLITE_CONSTRAINT_UNIQUE") || m.contains("SQLITE_CONSTRAINT_PRIMARYKEY")) {
            return Kind.UNIQUE_VIOLATION;
        }
        if (PG_FOREIGN_KEY_VIOLATION.equals(state) || m.contains("SQLITE_CONSTRAINT_FOREIGNKEY")) {
            return Kind.FOREIGN_KEY_VIOLATION;
        }
        if (state.startsWith(PG_DATA_EXCEPTION_CLASS) || m.contains("SQLITE_TOOBIG")) {
            return Kind.INVALID_DATA;
        }
        if (PG_UNDEFINED_TABLE.equals(state) || m.contains("no such table")) {
            return Kind.MISSING_SCHEMA;
        }
        if (PG_UNDEFINED_COLUMN.equals(state) || m.contains("no such column") || m.contains("has no column named")) {
            return Kind.OUTDATED_SCHEMA;
        }
        if (m.contains("SQLITE_CANTOPEN") || m.contains("SQLITE_IOERR") || m.contains("SQLITE_BUSY")
                || m.contains("SQLITE_FULL") || m.contains("SQLITE_READONLY")) {
            return Kind.UNAVAILABLE; // the file cannot be opened, written or locked now
        }
        return Kind.OTHER;
    }

    /**
     * The first line of the driver's message of the first SQL failure in the chain (for an operator's
     * one-line message about the schema); empty if there is none.
     */
    public static String sqlMessage(Throwable failure) {
        return Causes.chain(failure).filter(SQLException.class::isInstance).findFirst()
                .map(t -> Causes.firstLine(t.getMessage())).orElse("");
    }

    /**
     * The innermost cause's class and, for an SQL failure, its SQLSTATE: what a log line may say
     * about a failure whose message could quote a statement's values.
     */
    public static String describe(Throwable failure) {
        Throwable c = Causes.root(failure);
        return c.getClass().getName() + (c instanceof SQLException sql ? " SQLSTATE " + sql.getSQLState() : "");
    }

    /** True if the failure means the database is unavailable now (the service answers 503). */
    public static boolean isUnavailable(Throwable failure) {
        return classify(failure) == Kind.UNAVAILABLE;
    }

    /** True if the failure (or one of its causes) is a unique or primary-key constraint violation. */
    public static boolean isUniqueViolation(Throwable failure) {
        return classify(failure) == Kind.UNIQUE_VIOLATION;
    }

    /** True if the failure (or one of its causes) is a foreign-key constraint violation. */
    public static boolean isForeignKeyViolation(Throwable failure) {
        return classify(failure) == Kind.FOREIGN_KEY_VIOLATION;
    }
}
