package io.yaptide.store.cli;

/**
 * Exit codes of {@code bin/yaptide}, distinct per kind of failure so that scripts can tell them apart.
 * 1 and 2 keep the original admin script's meaning ("Aborted!" and a usage error).
 */
final class ExitCode {
    public static final int OK = 0;
    /** The command was refused: the thing exists already, does not exist, or would lose data. */
    public static final int ABORTED = 1;
    /** Wrong options or arguments (picocli's usage error). */
    public static final int USAGE = 2;
    /** A configuration value (such as the database URL) is malformed. */
    public static final int CONFIG = 3;
    /** The database cannot be reached or opened. */
    public static final int UNAVAILABLE = 4;
    /** A migration failed, or the schema is not what this version expects. */
    public static final int MIGRATION = 5;
    /** A check found differences (db check, db rehearse, smoke). */
    public static final int CHECK_FAILED = 6;
    /** Anything else: a bug; the message says so. */
    public static final int INTERNAL = 70;

    private ExitCode() {
    }
}
