package io.yaptide.store.cli;

import java.sql.SQLException;

/**
 * Recognises "the table (or column) does not exist" from either database, so that a command run on
 * a database nobody migrated (or one the original made, not upgraded yet) says so in one line
 * instead of failing as an internal error.
 */
final class MissingSchema {
    private MissingSchema() {
    }

    /** The message for the operator, or null if {@code ex} is not about a missing table. */
    static String of(Throwable ex) {
        for (Throwable c = ex; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql) {
                String m = sql.getMessage() == null ? "" : sql.getMessage();
                if ("42P01".equals(sql.getSQLState()) || m.contains("no such table")) {
                    return "the database has no Yaptide schema (" + m.lines().findFirst().orElse(m).strip()
                            + "); create it with 'bin/yaptide db upgrade', or check the URL with 'bin/yaptide db url'";
                }
                if ("42703".equals(sql.getSQLState()) || m.contains("no such column") || m.contains("has no column named")) {
                    // such as update_key_hash on a database the original took past 4027fc5cbcb1, not upgraded yet
                    return "the database's schema is older than this command needs (" + m.lines().findFirst().orElse(m).strip()
                            + "); upgrade it with 'bin/yaptide db upgrade' (see 'bin/yaptide db current')";
                }
            }
        }
        return null;
    }
}
