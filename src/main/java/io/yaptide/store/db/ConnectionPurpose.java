package io.yaptide.store.db;

/**
 * Why a connection is opened. Each purpose gets the connection properties it needs, and only those
 * ({@link ConnectionProperties}); where purposes differ, the difference is needed and says why there.
 */
public enum ConnectionPurpose {
    /** The service's pool: the stores, the hot path, many threads. */
    SERVICE("yaptide-store"),
    /**
     * An admin command's single connection (the CLI's user, simulation and cluster commands): it runs
     * the same stores as the service, so it gets the same properties, without a pool.
     */
    ADMIN("yaptide-store"),
    /**
     * The dedicated connection a migration runs on (Liquibase, adoption, the schema snapshot). On
     * SQLite with foreign keys off: a revision that rebuilds a table (SQLite's only way to change a
     * column) drops and re-creates it, which with foreign keys on would cascade into, or refuse
     * because of, the rows that refer to it. The migration checks the foreign keys afterwards.
     */
    MIGRATION("yaptide-store-migrate"),
    /**
     * The operations tools' plain connection (backup, restore, inspect, rehearse, list-dispatch):
     * one connection whose transaction mode the tool chooses. On SQLite the file keeps its journal
     * mode and transactions stay DEFERRED: a backup reads while the service writes, and an
     * IMMEDIATE read would take the write lock from it; switching a copy or a restored file to WAL
     * would leave -wal and -shm files beside it.
     */
    OPERATIONS("yaptide-store-ops"),
    /**
     * A connection to a PostgreSQL server's maintenance (or the source) database, to create and drop
     * a scratch database ({@code db check}, {@code db rehearse}): {@code CREATE DATABASE} cannot run
     * in a transaction, and nothing else runs on it.
     */
    SCRATCH("yaptide-store-ops"),
    /**
     * A standby's read-only pool (users' reads, docs/replica.md). It fails fast: a standby that
     * does not answer within a second or two is skipped and the read goes to the primary, so its
     * connect and login timeouts are short.
     */
    STANDBY_READS(ReplicaRouting.STANDBY_APPLICATION_NAME),
    /**
     * The watcher's connection to each server of a multi-host URL (its role and lag). Short timeouts
     * and a socket timeout as well: a server that hangs must not stop the watcher looking at the others.
     */
    STANDBY_WATCH(ReplicaRouting.WATCH_APPLICATION_NAME);

    private final String applicationName;

    ConnectionPurpose(String applicationName) {
        this.applicationName = applicationName;
    }

    /**
     * PostgreSQL's {@code application_name}: how an operator (and the crash tests) tell the service's
     * sessions from a migration's in {@code pg_stat_activity}.
     */
    public String applicationName() {
        return applicationName;
    }
}
