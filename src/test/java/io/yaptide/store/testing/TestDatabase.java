package io.yaptide.store.testing;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import org.jdbi.v3.core.Jdbi;

/**
 * A fresh database of one engine for one test, dropped (PostgreSQL) or deleted (SQLite) when the
 * test ends. JUnit closes it: parameterized-test arguments that are AutoCloseable are closed after
 * each invocation.
 */
public final class TestDatabase implements AutoCloseable {
    private final Engine engine;
    private final DatabaseUrl url;
    private final Runnable dispose;
    private Database database;

    TestDatabase(Engine engine, DatabaseUrl url, Runnable dispose) {
        this.engine = engine;
        this.url = url;
        this.dispose = dispose;
    }

    public Engine engine() { return engine; }

    public DatabaseUrl url() { return url; }

    public boolean isPostgres() { return engine == Engine.POSTGRES; }

    /** The pooled database, opened on first use. */
    public synchronized Database database() {
        if (database == null) {
            database = Database.open(url);
        }
        return database;
    }

    public Jdbi jdbi() { return database().jdbi(); }

    /** Closes the pool (keeping the database) so that another process or connection can take over. */
    public synchronized void closePool() {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    @Override
    public synchronized void close() {
        closePool();
        dispose.run();
    }

    @Override
    public String toString() {
        return engine.name().toLowerCase(java.util.Locale.ROOT);
    }
}
