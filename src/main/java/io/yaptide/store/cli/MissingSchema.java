package io.yaptide.store.cli;

import io.yaptide.store.db.SqlErrors;

/**
 * Recognises "the table (or column) does not exist" from either database ({@link SqlErrors}), so
 * that a command run on a database nobody migrated (or one the original made, not upgraded yet)
 * says so in one line instead of failing as an internal error.
 */
final class MissingSchema {
    private MissingSchema() {
    }

    /** The message for the operator, or null if {@code ex} is not about a missing table. */
    static String of(Throwable ex) {
        return switch (SqlErrors.classify(ex)) {
            case MISSING_SCHEMA -> "the database has no Yaptide schema (" + SqlErrors.sqlMessage(ex)
                    + "); create it with 'bin/yaptide db upgrade', or check the URL with 'bin/yaptide db url'";
            // such as update_key_hash on a database the original took past 4027fc5cbcb1, not upgraded yet
            case OUTDATED_SCHEMA -> "the database's schema is older than this command needs (" + SqlErrors.sqlMessage(ex)
                    + "); upgrade it with 'bin/yaptide db upgrade' (see 'bin/yaptide db current')";
            default -> null;
        };
    }
}
