package io.yaptide.store.db;

import java.sql.SQLException;

/** Recognises constraint violations across PostgreSQL and SQLite, whose drivers report them differently. */
public final class SqlErrors {
    /** PostgreSQL's SQLSTATE for unique_violation. */
    private static final String PG_UNIQUE_VIOLATION = "23505";
    /** PostgreSQL's SQLSTATE for foreign_key_violation. */
    private static final String PG_FOREIGN_KEY_VIOLATION = "23503";

    private SqlErrors() {
    }

    /** True if the failure (or one of its causes) is a unique or primary-key constraint violation. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (PG_UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    return true;
                }
                String m = String.valueOf(sql.getMessage());
                if (m.contains("SQLITE_CONSTRAINT_UNIQUE") || m.contains("SQLITE_CONSTRAINT_PRIMARYKEY")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True if the failure (or one of its causes) is a foreign-key constraint violation. */
    public static boolean isForeignKeyViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (PG_FOREIGN_KEY_VIOLATION.equals(sql.getSQLState())
                        || String.valueOf(sql.getMessage()).contains("SQLITE_CONSTRAINT_FOREIGNKEY")) {
                    return true;
                }
            }
        }
        return false;
    }
}
