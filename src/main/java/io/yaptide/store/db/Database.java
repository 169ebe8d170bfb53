package io.yaptide.store.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.yaptide.store.config.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * The connection pool and the JDBI handle for one database, PostgreSQL or SQLite.
 *
 * <p>Opening checks that the database answers, so that a wrong URL or an unreachable server is
 * reported once, at start, as one clear line ({@link DatabaseUnavailableException}), never later as
 * a stack trace from deep inside a request.
 *
 * <p>Its connections have the properties of {@link ConnectionPurpose#SERVICE} (or
 * {@link ConnectionPurpose#ADMIN} for the single connection), see {@link ConnectionProperties}: on
 * SQLite foreign keys on, WAL mode, a busy timeout and IMMEDIATE transactions. An in-memory
 * SQLite database is a named shared-cache database kept alive by one connection outside the pool, so
 * every pooled connection sees the same data.
 */
public final class Database implements AutoCloseable {

    /** Default pool size for PostgreSQL: enough for 8 concurrent workers plus readers on 2 cores. */
    public static final int DEFAULT_POSTGRES_POOL_SIZE = 12;
    /** SQLite has one writer at a time; a few connections serve concurrent readers in WAL mode. */
    public static final int DEFAULT_SQLITE_POOL_SIZE = 4;

    private final DatabaseUrl url;
    private final Dialect dialect;
    private final DataSource pool;
    private final AutoCloseable closePool;
    private final Connection memoryKeeper;
    /** Made on first use: a command whose statements all go through plain JDBC never loads JDBI. */
    private volatile Jdbi jdbi;

    private Database(DatabaseUrl url, DataSource pool, AutoCloseable closePool, Connection memoryKeeper) {
        this.url = url;
        this.dialect = url.isPostgres() ? Dialect.POSTGRESQL : Dialect.SQLITE;
        this.pool = pool;
        this.closePool = closePool;
        this.memoryKeeper = memoryKeeper;
    }

    private static Jdbi configuredJdbi(DataSource pool, Dialect dialect) {
        Jdbi jdbi = Jdbi.create(pool);
        // A failed statement's message names neither its SQL nor its bound values: they include
        // password and update-key hashes, and the message ends up in the log
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        registerTimeMapping(jdbi, dialect);
        return jdbi;
    }

    /**
     * One connection and no pool, for a short single-threaded command (the admin CLI): starting a
     * pool (and the logging it brings) takes longer than such a command runs.
     *
     * @throws DatabaseUnavailableException with one line naming the URL and what to check
     */
    public static Database openSingleConnection(DatabaseUrl url) {
        Connection keeper = null;
        try {
            if (url.isSqlite()) {
                prepareSqliteFile(url);
            }
            keeper = Connections.connect(url, ConnectionPurpose.ADMIN);
            SingleConnectionDataSource single = new SingleConnectionDataSource(keeper);
            return new Database(url, single, single, null);
        } catch (SQLException | RuntimeException e) {
            throw openFailed(url, keeper, e);
        }
    }

    /**
     * The primary's database with connections from another source: {@link ReplicaRouting}'s, which
     * hands out the primary's pool except inside a standby-reads scope. Closing it closes nothing; the
     * routing and the primary are closed by their owner.
     */
    static Database over(Database primary, DataSource connections) {
        return new Database(primary.url, connections, () -> { }, null);
    }

    /** Opens a pool with the default size. */
    public static Database open(DatabaseUrl url) {
        return open(url, url.isPostgres() ? DEFAULT_POSTGRES_POOL_SIZE : DEFAULT_SQLITE_POOL_SIZE);
    }

    /**
     * Opens a pool on the URL and checks that the database answers.
     *
     * @throws DatabaseUnavailableException with one line naming the URL and what to check
     */
    public static Database open(DatabaseUrl url, int poolSize) {
        Connection keeper = null;
        try {
            if (url.isSqlite()) {
                prepareSqliteFile(url);
                if (url.isInMemory()) {
                    keeper = Connections.connect(url, ConnectionPurpose.SERVICE);
                    poolSize = 1; // shared-cache memory databases lock per table; one connection avoids SQLITE_LOCKED
                }
            }
            HikariDataSource pool = new HikariDataSource(poolConfig(url, poolSize));
            return new Database(url, pool, pool, keeper);
        } catch (HikariPool.PoolInitializationException e) {
            throw openFailed(url, keeper, e.getCause() != null ? e.getCause() : e);
        } catch (SQLException | RuntimeException e) {
            throw openFailed(url, keeper, e);
        }
    }

    /** Closes what was opened so far; the failure as the one line the operator gets. */
    private static DatabaseUnavailableException openFailed(DatabaseUrl url, Connection opened, Throwable e) {
        closeQuietly(opened);
        return e instanceof DatabaseUnavailableException d ? d : unavailable(url, e);
    }

    private static void prepareSqliteFile(DatabaseUrl url) {
        Path file = url.sqliteFile().orElse(null);
        if (file == null) {
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new DatabaseUnavailableException("cannot create the directory " + dir + " for SQLite database "
                    + url + ": " + e.getMessage() + "; check the path and its permissions", e);
        }
        if (Files.isDirectory(file)) {
            throw new DatabaseUnavailableException("SQLite database path " + file + " is a directory; point the URL at a file", null);
        }
    }

    private static HikariConfig poolConfig(DatabaseUrl url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("yaptide-" + (url.isPostgres() ? "pg" : "sqlite"));
        config.setJdbcUrl(url.jdbcUrl());
        config.setMaximumPoolSize(Math.max(1, poolSize));
        config.setMinimumIdle(1);
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(ConnectionProperties.CONNECT_TIMEOUT_SECONDS * 1000L);
        config.setDriverClassName(url.isPostgres() ? "org.postgresql.Driver" : "org.sqlite.JDBC");
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        ConnectionProperties.of(url, ConnectionPurpose.SERVICE).forEach((k, v) -> {
            if (!ConnectionProperties.isCredential(k)) {
                config.addDataSourceProperty((String) k, v);
            }
        });
        return config;
    }

    /** Translates a connection failure into one line an operator can act on. */
    static DatabaseUnavailableException unavailable(DatabaseUrl url, Throwable cause) {
        String detail = Causes.rootMessage(cause);
        SqlErrors.ConnectFailure why = SqlErrors.connectFailure(cause);
        String advice;
        if (url.isSqlite()) {
            advice = "cannot open SQLite database " + url + " (" + detail + "); check the path, its directory and permissions";
        } else if (why == SqlErrors.ConnectFailure.LOGIN_REFUSED) {
            advice = "PostgreSQL refused the login for user '" + url.user().orElse("(none)") + "' at " + url
                    + "; check the user name and password in the URL";
        } else if (why == SqlErrors.ConnectFailure.NO_SUCH_DATABASE) {
            advice = "database '" + url.database() + "' does not exist on " + url.host() + ":" + url.port()
                    + " (" + url + "); create it (createdb " + url.database() + ") or fix the name in the URL";
        } else if (why == SqlErrors.ConnectFailure.UNREACHABLE) {
            advice = "cannot reach PostgreSQL at " + url.host() + ":" + url.port() + " (" + url + "): " + detail
                    + "; check that the server is running and the host and port are right";
        } else {
            advice = "cannot connect to " + url + ": " + detail + "; check the URL and that the database is up";
        }
        return new DatabaseUnavailableException(advice, cause);
    }

    private static void registerTimeMapping(Jdbi jdbi, Dialect dialect) {
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(
                dialect == Dialect.POSTGRESQL ? java.sql.Types.TIMESTAMP_WITH_TIMEZONE : java.sql.Types.VARCHAR) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, ctx) -> dialect.bindTime(statement, position, value);
            }
        });
        jdbi.registerColumnMapper(Instant.class, (ColumnMapper<Instant>) (rs, column, ctx) -> {
            String name = rs.getMetaData().getColumnLabel(column);
            return dialect.readTime(rs, name);
        });
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a connection that failed to open
            }
        }
    }

    public Jdbi jdbi() {
        Jdbi j = jdbi;
        if (j == null) {
            synchronized (this) {
                j = jdbi;
                if (j == null) {
                    j = configuredJdbi(pool, dialect);
                    jdbi = j;
                }
            }
        }
        return j;
    }

    public DataSource dataSource() { return pool; }

    public Dialect dialect() { return dialect; }

    public DatabaseUrl url() { return url; }

    public boolean isPostgres() { return dialect == Dialect.POSTGRESQL; }

    public boolean isSqlite() { return dialect == Dialect.SQLITE; }

    @Override
    public void close() {
        try {
            closePool.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the connections of " + url + " failed: " + e.getMessage(), e);
        }
        closeQuietly(memoryKeeper);
    }
}
