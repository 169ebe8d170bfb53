package io.yaptide.store.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.config.ReplicaConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Reads that may be served by a streaming standby, everything else on the primary (docs/replica.md).
 *
 * <p>The stores run on {@link #database()}, whose connections come from the primary's pool unless the
 * calling thread is inside a {@link #standbyReads(Object) standby-reads scope}: only the HTTP routes
 * that read what a user looks at (result pages, estimators, inputs, log files, simulation lists) open
 * one. So every write, every worker endpoint, every read that decides a write and every migration
 * stays on the primary without being marked, and a route forgotten here is merely slower, never wrong.
 *
 * <p>A watcher looks at every server every {@link #POLL_INTERVAL}: its role ({@code pg_is_in_recovery()}),
 * and for a standby how far its replay is behind the primary's WAL, in bytes and seconds. A standby is
 * read from while it is up and no more than {@link ReplicaConfig#maxLag()} behind; one that fails to
 * give a connection is skipped at once (the read goes to the primary) and left out until the watcher
 * sees it answer again.
 *
 * <p>Read your writes: after a user's write the caller {@link #recordWrite(Object) records} the
 * primary's WAL insert position; that user's reads go to the primary until a standby has replayed past
 * it ({@code pg_last_wal_replay_lsn()}), then to the standby again. The watcher's replay position is
 * at most one poll old, so the check errs towards the primary, never towards a standby that lacks the write.
 */
public final class ReplicaRouting implements AutoCloseable {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ReplicaRouting.class);

    public static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** The application_name of the standby pools' connections (pg_stat_activity tells them apart). */
    public static final String STANDBY_APPLICATION_NAME = "yaptide-store-standby";
    public static final String WATCH_APPLICATION_NAME = "yaptide-store-watch";
    static final int STANDBY_POOL_SIZE = 6;
    /** Hikari's smallest wait for a connection: a standby that just went down costs a read this much, once. */
    static final long STANDBY_CONNECTION_TIMEOUT_MILLIS = 250;
    /** A recorded write no standby replayed for this long is forgotten (its user reads the primary meanwhile). */
    static final Duration FORGET_WRITES_AFTER = Duration.ofMinutes(10);

    /** What a server is, as last seen. */
    public enum Role { PRIMARY, STANDBY, DOWN }

    /**
     * One server as the watcher last saw it.
     *
     * @param lagBytes   for a standby, how much of the primary's WAL it has not replayed (0 for the primary; -1 unknown)
     * @param lagSeconds for a standby, how old its replay is when it is behind (0 when caught up; -1 unknown)
     * @param inUse      for a standby, whether reads go to it now; for the primary, true
     * @param problem    why it is down or skipped, or null
     */
    public record ServerStatus(DatabaseUrl.HostPort server, Role role, long lagBytes, double lagSeconds,
                               boolean inUse, String problem) {
    }

    /** How many read scopes were served by a standby and by the primary since the start. */
    public record ReadCounts(long standby, long primary) {
        public double standbyShare() {
            long all = standby + primary;
            return all == 0 ? 0 : (double) standby / all;
        }
    }

    private final Database primary;
    private final Database routed;
    private final ReplicaConfig config;
    private final List<Server> servers = new ArrayList<>();
    private final Map<Object, RecordedWrite> writes = new ConcurrentHashMap<>();
    private final ThreadLocal<Scope> current = new ThreadLocal<>();
    private final ScheduledExecutorService watcher;
    private final AtomicLong standbyReads = new AtomicLong();
    private final AtomicLong primaryReads = new AtomicLong();
    private volatile long lastPrimarySeenNanos = System.nanoTime();

    private record RecordedWrite(long lsn, long atNanos) {
    }

    private ReplicaRouting(Database primary, ReplicaConfig config) {
        this.primary = primary;
        this.config = config;
        for (DatabaseUrl url : config.servers()) {
            servers.add(new Server(url));
        }
        this.routed = primary == null ? null : Database.over(primary, new RoutingDataSource());
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "yaptide-replica-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching the configured servers; the first look is taken before this returns, so that the
     * service's first reads already know which standbys are usable.
     */
    public static ReplicaRouting start(Database primary, ReplicaConfig config) {
        if (!primary.isPostgres()) {
            throw new IllegalArgumentException("standbys need a PostgreSQL primary, not " + primary.url());
        }
        ReplicaRouting routing = new ReplicaRouting(primary, config);
        routing.lookAtServers();
        routing.watcher.scheduleWithFixedDelay(routing::lookAtServersQuietly, POLL_INTERVAL.toMillis(),
                POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return routing;
    }

    /**
     * One look at every configured server, for an operator's tool ({@code db replicas}): needs no
     * primary to answer, so it also shows the servers while the primary is lost.
     */
    public static List<ServerStatus> survey(ReplicaConfig config) {
        ReplicaRouting once = new ReplicaRouting(null, config);
        try {
            once.lookAtServers();
            return once.status();
        } finally {
            once.close();
        }
    }

    /**
     * True when the server of a single-host URL is a standby ({@code pg_is_in_recovery()}): such a
     * server is read-only, so schema changes must be refused there with a clear message.
     *
     * @throws DatabaseUnavailableException when it does not answer
     */
    public static boolean isStandby(DatabaseUrl url) {
        if (!url.isPostgres()) {
            return false;
        }
        try (Database db = Database.openSingleConnection(url)) {
            return db.jdbi().withHandle(h -> h.createQuery("SELECT pg_is_in_recovery()").mapTo(Boolean.class).one());
        }
    }

    /** The database the stores run on: the primary, except inside a standby-reads scope. */
    public Database database() {
        return routed;
    }

    public ReplicaConfig config() {
        return config;
    }

    /**
     * Until the scope is closed, this thread's connections may come from a standby that has replayed
     * the writes recorded for {@code user} (null: someone who wrote nothing, or is not known yet).
     * Every connection of one scope comes from the same server.
     */
    public Scope standbyReads(Object user) {
        Scope scope = new Scope(user, current.get());
        current.set(scope);
        return scope;
    }

    /** A scope's state; close it on the thread that opened it. */
    public final class Scope implements AutoCloseable {
        private final Object user;
        private final Scope outer;
        private Server server;
        private boolean counted;

        private Scope(Object user, Scope outer) {
            this.user = user;
            this.outer = outer;
        }

        /** True when a connection of this scope came from a standby. */
        public boolean usedStandby() {
            return server != null;
        }

        /**
         * The standby this scope read from failed under a statement (stopped, crashed): it is left out
         * until the watcher sees it answer again, and the caller runs the reads again on the primary.
         */
        public void standbyFailed(Throwable failure) {
            if (server != null) {
                server.skip("a read failed: " + SqlErrors.classify(failure));
            }
        }

        @Override
        public void close() {
            if (current.get() == this) {
                if (outer == null) {
                    current.remove();
                } else {
                    current.set(outer);
                }
            }
        }
    }

    /**
     * After a write by {@code user} committed on the primary: that user's reads stay on the primary until
     * a standby has replayed this far. One query on the primary ({@code pg_current_wal_insert_lsn()}, at or
     * past the end of the commit record), made only for users' own writes, not for workers' reports.
     */
    public void recordWrite(Object user) {
        if (user == null) {
            return;
        }
        long lsn;
        try {
            lsn = primary.jdbi().withHandle(h -> h.createQuery("SELECT pg_current_wal_insert_lsn()::text")
                    .mapTo(String.class).one()).transform(ReplicaRouting::parseLsn);
        } catch (RuntimeException e) {
            // the write committed but the primary is gone now: read the primary (or nothing) until it is back
            lsn = Long.MAX_VALUE;
        }
        long at = System.nanoTime();
        long recorded = lsn;
        writes.merge(user, new RecordedWrite(recorded, at), (a, b) -> new RecordedWrite(Math.max(a.lsn(), b.lsn()), at));
    }

    /** Every server as last seen, in the configured order. */
    public List<ServerStatus> status() {
        List<ServerStatus> out = new ArrayList<>();
        for (Server s : servers) {
            out.add(s.status());
        }
        return out;
    }

    public ReadCounts readCounts() {
        return new ReadCounts(standbyReads.get(), primaryReads.get());
    }

    /** Looks at every server now (the watcher does it every {@link #POLL_INTERVAL}); for tests and tools. */
    public synchronized void lookAtServers() {
        // the primary first: a standby's lag is measured against a WAL position taken before its own
        List<Server> order = new ArrayList<>(servers);
        order.sort((a, b) -> Boolean.compare(b.role == Role.PRIMARY, a.role == Role.PRIMARY));
        long primaryLsn = -1;
        for (Server s : order) {
            s.look();
            if (s.role == Role.PRIMARY) {
                primaryLsn = Math.max(primaryLsn, s.lsn);
            }
        }
        // a standby that was looked at before a newly found primary: compared with that primary's position
        if (primaryLsn >= 0) {
            lastPrimarySeenNanos = System.nanoTime();
        }
        double sincePrimary = (System.nanoTime() - lastPrimarySeenNanos) / 1e9;
        for (Server s : servers) {
            if (s.role == Role.STANDBY) {
                if (routed != null) {
                    s.pool(); // made (and filled) before the first read needs it
                }
                s.lagBytes = primaryLsn < 0 ? -1 : Math.max(0, primaryLsn - s.lsn);
                double seconds = s.lagBytes == 0 ? 0 : Math.max(0, s.replayAgeSeconds);
                // no primary in sight (a failover under way): the standby's data ages from the last time one was seen
                s.lagSeconds = primaryLsn < 0 ? Math.max(seconds, sincePrimary) : seconds;
            }
        }
        forgetReplayedWrites();
    }

    private void lookAtServersQuietly() {
        try {
            lookAtServers();
        } catch (RuntimeException e) {
            LOG.warn("looking at the database servers failed: {}", e.getClass().getName());
        }
    }

    private void forgetReplayedWrites() {
        long minReplay = Long.MAX_VALUE;
        boolean anyStandby = false;
        for (Server s : servers) {
            if (s.role == Role.STANDBY) {
                anyStandby = true;
                minReplay = Math.min(minReplay, s.lsn);
            }
        }
        long now = System.nanoTime();
        long replayed = anyStandby ? minReplay : -1;
        writes.values().removeIf(w -> w.lsn() <= replayed || now - w.atNanos() > FORGET_WRITES_AFTER.toNanos());
    }

    /** A usable standby that has replayed the user's recorded writes, or null for the primary. */
    private Server chooseStandby(Object user) {
        RecordedWrite write = user == null ? null : writes.get(user);
        long needed = write == null ? 0 : write.lsn();
        List<Server> usable = new ArrayList<>(servers.size());
        for (Server s : servers) {
            if (s.usable() && s.lsn >= needed) {
                usable.add(s);
            }
        }
        if (usable.isEmpty()) {
            return null;
        }
        return usable.size() == 1 ? usable.get(0) : usable.get(ThreadLocalRandom.current().nextInt(usable.size()));
    }

    static long parseLsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        try {
            watcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Server s : servers) {
            s.close();
        }
    }

    /** One server of the configured set: a watch connection, and a read pool made when first needed. */
    private final class Server {
        final DatabaseUrl url;
        private Connection watch; // the watcher thread's only
        private HikariDataSource pool;
        volatile Role role = Role.DOWN;
        volatile long lsn = -1; // replay position of a standby, WAL insert position of a primary
        volatile double replayAgeSeconds;
        volatile long lagBytes = -1;
        volatile double lagSeconds = -1;
        volatile String problem = "not looked at yet";
        volatile long skippedUntilSeen; // nanoTime of the skip; cleared by the next good look after it

        Server(DatabaseUrl url) {
            this.url = url;
        }

        void look() {
            long started = System.nanoTime();
            try {
                if (watch == null || watch.isClosed()) {
                    watch = connectForWatching(url);
                }
                try (Statement st = watch.createStatement();
                     ResultSet rs = st.executeQuery("""
                             SELECT pg_is_in_recovery(),
                                    CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END::text,
                                    COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)""")) {
                    rs.next();
                    boolean recovery = rs.getBoolean(1);
                    String position = rs.getString(2);
                    replayAgeSeconds = rs.getDouble(3);
                    lsn = position == null ? -1 : parseLsn(position);
                    role = recovery ? Role.STANDBY : Role.PRIMARY;
                    if (role == Role.PRIMARY) {
                        lagBytes = 0;
                        lagSeconds = 0;
                    }
                    if (skippedUntilSeen != 0 && skippedUntilSeen < started) {
                        skippedUntilSeen = 0;
                    }
                    if (skippedUntilSeen == 0) {
                        problem = null;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                closeWatch();
                if (role != Role.DOWN) {
                    LOG.warn("database server {} is down: {}", url.hosts().get(0), SqlErrors.classify(e));
                }
                role = Role.DOWN;
                lagBytes = -1;
                lagSeconds = -1;
                problem = "not answering (" + SqlErrors.classify(e).name().toLowerCase(java.util.Locale.ROOT) + ")";
            }
        }

        boolean usable() {
            return role == Role.STANDBY && skippedUntilSeen == 0 && lagSeconds >= 0
                    && lagSeconds * 1000 <= config.maxLag().toMillis();
        }

        void skip(String why) {
            skippedUntilSeen = System.nanoTime();
            problem = why;
            LOG.warn("database server {} skipped for reads: {}", url.hosts().get(0), why);
        }

        /** All of the pool's connections are in use (the server answers): a wait timed out, nothing failed. */
        synchronized boolean busy() {
            return pool != null && pool.getHikariPoolMXBean() != null
                    && pool.getHikariPoolMXBean().getActiveConnections() >= STANDBY_POOL_SIZE;
        }

        ServerStatus status() {
            String why = problem;
            if (why == null && role == Role.STANDBY && !usable()) {
                why = lagSeconds < 0 ? "lag unknown (no primary seen)" : "lags more than " + config.maxLag().toMillis() / 1000.0 + " s";
            }
            return new ServerStatus(url.hosts().get(0), role, lagBytes, lagSeconds,
                    role == Role.PRIMARY || usable(), why);
        }

        synchronized DataSource pool() {
            if (pool == null) {
                pool = new HikariDataSource(standbyPoolConfig(url));
            }
            return pool;
        }

        private void closeWatch() {
            if (watch != null) {
                try {
                    watch.close();
                } catch (SQLException ignored) {
                    // the server is gone anyway
                }
                watch = null;
            }
        }

        synchronized void close() {
            closeWatch();
            if (pool != null) {
                pool.close();
            }
        }
    }

    private static Connection connectForWatching(DatabaseUrl url) throws SQLException {
        Properties p = ConnectionProperties.of(url, ConnectionPurpose.STANDBY_WATCH);
        Connection c = new org.postgresql.Driver().connect(url.jdbcUrl(), p);
        if (c == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + url);
        }
        c.setAutoCommit(true);
        return c;
    }

    /** Built like the primary's pool ({@link Database}), smaller, failing fast, and read-only. */
    private static HikariConfig standbyPoolConfig(DatabaseUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("yaptide-standby-" + url.hosts().get(0).port());
        config.setJdbcUrl(url.jdbcUrl());
        config.setDriverClassName("org.postgresql.Driver");
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(STANDBY_POOL_SIZE);
        config.setMinimumIdle(STANDBY_POOL_SIZE); // kept full: a read must not wait for a connection being made
        config.setInitializationFailTimeout(-1); // made while the service runs: no connection needed to exist
        config.setConnectionTimeout(STANDBY_CONNECTION_TIMEOUT_MILLIS);
        config.setValidationTimeout(STANDBY_CONNECTION_TIMEOUT_MILLIS);
        config.setReadOnly(true);
        ConnectionProperties.of(url, ConnectionPurpose.STANDBY_READS).forEach((k, v) -> {
            if (!ConnectionProperties.isCredential(k)) {
                config.addDataSourceProperty((String) k, v);
            }
        });
        return config;
    }

    /** The stores' DataSource: the primary's pool, or inside a scope a chosen standby's. */
    private final class RoutingDataSource implements DataSource {
        private final DataSource primaryPool = primary.dataSource();

        @Override
        public Connection getConnection() throws SQLException {
            Scope scope = current.get();
            if (scope == null) {
                return primaryPool.getConnection();
            }
            if (scope.server == null && !scope.counted) {
                scope.server = chooseStandby(scope.user);
            }
            if (scope.server != null) {
                try {
                    Connection c = scope.server.pool().getConnection();
                    count(scope, true);
                    return c;
                } catch (SQLException e) {
                    // Hikari's timeout carries the last failure to connect as its cause; without one the
                    // pool was only busy or slow to connect (a loaded machine), not failing
                    boolean failing = !(e instanceof java.sql.SQLTransientConnectionException) || e.getCause() != null;
                    if (failing && !scope.server.busy()) {
                        scope.server.skip("no connection: " + SqlErrors.classify(e));
                    }
                    scope.server = null; // busy, slow or down: this read goes to the primary
                }
            }
            count(scope, false);
            return primaryPool.getConnection();
        }

        private void count(Scope scope, boolean standby) {
            if (!scope.counted) {
                scope.counted = true;
                (standby ? standbyReads : primaryReads).incrementAndGet();
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the routed pools have their own credentials");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // not used
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // set per pool
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper of " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }
    }
}
