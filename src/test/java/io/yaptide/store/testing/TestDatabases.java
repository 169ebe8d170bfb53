package io.yaptide.store.testing;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import io.yaptide.store.migrate.Migrator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentest4j.TestAbortedException;

/**
 * Gives tests fresh databases on real PostgreSQL and real SQLite, empty or with the real
 * migrations applied.
 *
 * <p>Migrating takes about a second, so each engine is migrated once per JVM into a template (a
 * PostgreSQL template database, an SQLite file) and each test gets a copy: {@code CREATE DATABASE
 * ... TEMPLATE} or a file copy, tens of milliseconds.
 *
 * <p>PostgreSQL is found through {@code YAPTIDE_TEST_POSTGRES_URL} (default
 * {@code postgresql://yaptide:yaptide@127.0.0.1:5432/yaptide_test}, which {@code .ci/run} creates).
 * When it cannot be reached the PostgreSQL half of each test is skipped with a message, except
 * under {@code CI=true}, where that is a failure: CI must exercise PostgreSQL.
 */
public final class TestDatabases {

    public static final String ENV_TEST_POSTGRES_URL = "YAPTIDE_TEST_POSTGRES_URL";
    public static final String DEFAULT_TEST_POSTGRES_URL = "postgresql://yaptide:yaptide@127.0.0.1:5432/yaptide_test";
    private static final String PREFIX = "yt_" + ProcessHandle.current().pid() + "_";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final List<String> CREATED = new ArrayList<>();

    private static Path sqliteTemplate;
    private static String postgresTemplate;
    private static Path tempDir;

    private TestDatabases() {
    }

    /** A fresh database with every revision applied (head). */
    public static TestDatabase migrated(Engine engine) {
        return engine == Engine.SQLITE ? sqliteCopy() : postgresCopy();
    }

    /** A fresh, empty database (no tables at all). */
    public static TestDatabase empty(Engine engine) {
        return engine == Engine.SQLITE ? sqliteEmpty() : postgresEmpty();
    }

    /** The server-level URL used to create and drop test databases. */
    public static DatabaseUrl adminUrl() {
        String configured = System.getenv(ENV_TEST_POSTGRES_URL);
        return DatabaseUrl.parse(configured == null || configured.isBlank() ? DEFAULT_TEST_POSTGRES_URL : configured);
    }

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    // ---- SQLite ---------------------------------------------------------------------------------

    private static synchronized Path tempDir() {
        if (tempDir == null) {
            try {
                tempDir = Files.createTempDirectory("yaptide-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(tempDir)));
        }
        return tempDir;
    }

    private static TestDatabase sqliteEmpty() {
        Path file = tempDir().resolve("db-" + COUNTER.incrementAndGet() + ".db");
        return new TestDatabase(Engine.SQLITE, DatabaseUrl.parse("sqlite:///" + file), () -> deleteSqlite(file));
    }

    private static synchronized Path sqliteTemplate() {
        if (sqliteTemplate == null) {
            Path file = tempDir().resolve("template.db");
            new Migrator(DatabaseUrl.parse("sqlite:///" + file)).upgrade(Migrator.HEAD);
            sqliteTemplate = file;
        }
        return sqliteTemplate;
    }

    private static TestDatabase sqliteCopy() {
        Path template = sqliteTemplate();
        Path file = tempDir().resolve("db-" + COUNTER.incrementAndGet() + ".db");
        try {
            Files.copy(template, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestDatabase(Engine.SQLITE, DatabaseUrl.parse("sqlite:///" + file), () -> deleteSqlite(file));
    }

    private static void deleteSqlite(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm", ".migrate-lock"}) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException ignored) {
                // temp dir is removed at exit anyway
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }

    // ---- PostgreSQL -----------------------------------------------------------------------------

    /** Runs SQL on the admin database (for creating and dropping databases). */
    public static void adminExecute(String sql) {
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("admin SQL failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    static Connection adminConnection() throws SQLException {
        return Connections.connect(adminUrl(), ConnectionPurpose.SCRATCH);
    }

    private static void requirePostgres() {
        try (Connection c = adminConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            String why = "PostgreSQL for tests is not reachable at " + adminUrl() + " (" + e.getMessage()
                    + "); start it and run .ci/run's setup, or set " + ENV_TEST_POSTGRES_URL;
            if (isCi()) {
                throw new IllegalStateException(why + " -- under CI=true PostgreSQL tests must not be skipped", e);
            }
            throw new TestAbortedException(why);
        }
    }

    private static synchronized String postgresTemplate() {
        if (postgresTemplate == null) {
            requirePostgres();
            dropLeftoversOfDeadProcesses();
            String name = PREFIX + "template";
            adminExecute("DROP DATABASE IF EXISTS " + name);
            adminExecute("CREATE DATABASE " + name);
            registerForDrop(name);
            new Migrator(adminUrl().withDatabase(name)).upgrade(Migrator.HEAD);
            postgresTemplate = name;
        }
        return postgresTemplate;
    }

    private static TestDatabase postgresCopy() {
        String template = postgresTemplate();
        String name = PREFIX + COUNTER.incrementAndGet();
        adminExecute("CREATE DATABASE " + name + " TEMPLATE " + template);
        registerForDrop(name);
        return new TestDatabase(Engine.POSTGRES, adminUrl().withDatabase(name), () -> drop(name));
    }

    private static TestDatabase postgresEmpty() {
        requirePostgres();
        String name = PREFIX + COUNTER.incrementAndGet();
        adminExecute("CREATE DATABASE " + name);
        registerForDrop(name);
        return new TestDatabase(Engine.POSTGRES, adminUrl().withDatabase(name), () -> drop(name));
    }

    /** Creates an empty scratch database on the test server and returns its URL; dropped at exit. */
    public static DatabaseUrl scratchPostgres(String hint) {
        requirePostgres();
        String name = PREFIX + hint + "_" + COUNTER.incrementAndGet();
        adminExecute("CREATE DATABASE " + name);
        registerForDrop(name);
        return adminUrl().withDatabase(name);
    }

    /** A scratch copy of another database of the test server ({@code CREATE DATABASE ... TEMPLATE}); dropped at exit. */
    public static DatabaseUrl copyOfPostgres(String template, String hint) {
        requirePostgres();
        String name = PREFIX + hint + "_" + COUNTER.incrementAndGet();
        adminExecute("CREATE DATABASE " + name + " TEMPLATE " + template);
        registerForDrop(name);
        return adminUrl().withDatabase(name);
    }

    public static void drop(String name) {
        adminExecute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        synchronized (CREATED) {
            CREATED.remove(name);
        }
    }

    private static void registerForDrop(String name) {
        synchronized (CREATED) {
            if (CREATED.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    List<String> all;
                    synchronized (CREATED) {
                        all = new ArrayList<>(CREATED);
                    }
                    for (String db : all) {
                        try {
                            adminExecute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                        } catch (RuntimeException ignored) {
                            // best effort at exit
                        }
                    }
                }));
            }
            CREATED.add(name);
        }
    }

    /** Test databases are named yt_PID_...; those of processes that died without cleaning up go. */
    private static void dropLeftoversOfDeadProcesses() {
        List<String> stale = new ArrayList<>();
        try (Connection c = adminConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'yt\\_%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                String[] parts = name.split("_");
                if (parts.length >= 3 && parts[1].matches("\\d+")
                        && ProcessHandle.of(Long.parseLong(parts[1])).isEmpty()) {
                    stale.add(name);
                }
            }
        } catch (SQLException e) {
            return;
        }
        stale.forEach(TestDatabases::drop);
    }
}
