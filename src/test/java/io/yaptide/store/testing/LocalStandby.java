package io.yaptide.store.testing;

import io.yaptide.store.config.DatabaseUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The streaming standby of the test PostgreSQL that {@code .ci/setup-replica} makes: a Debian cluster
 * {@code <version>/standby} on 127.0.0.1:5433, a {@code pg_basebackup -R} copy of the main cluster.
 * Every database a test creates on the primary appears there once replayed. Its absence is a failure
 * naming the setup script, never a skip: CI always runs the setup.
 */
public final class LocalStandby {
    public static final int PORT = 5433;
    public static final String CLUSTER = "standby";

    private LocalStandby() {
    }

    /** The same database on the standby. */
    public static DatabaseUrl on(DatabaseUrl primary) {
        return primary.forHost(new DatabaseUrl.HostPort("127.0.0.1", PORT));
    }

    /** A multi-host URL naming the primary first and the standby second. */
    public static DatabaseUrl multiHost(DatabaseUrl primary) {
        return DatabaseUrl.parse("postgresql://" + primary.user().orElseThrow() + ":" + primary.password().orElseThrow()
                + "@" + primary.host() + ":" + primary.port() + ",127.0.0.1:" + PORT + "/" + primary.database());
    }

    /** Fails with the setup to run when there is no streaming standby on 5433. */
    public static void require() {
        DatabaseUrl admin = TestDatabases.adminUrl();
        try (Connection c = connect(on(admin)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalStateException("PostgreSQL on 127.0.0.1:" + PORT + " is not a standby (promoted?); run .ci/setup-replica"
                        + " (as root) to make it again from a base backup of 5432");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("no PostgreSQL standby on 127.0.0.1:" + PORT + " (" + e.getMessage()
                    + "); the replica tests need it: run .ci/setup-replica (as root, after .ci/setup-postgres)", e);
        }
    }

    /** Waits until the standby has replayed everything the primary has written so far (up to 30 s). */
    public static void waitForReplay(DatabaseUrl primaryDb) {
        String lsn = queryOne(TestDatabases.adminUrl(), "SELECT pg_current_wal_insert_lsn()::text");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                String caughtUp = queryOne(on(primaryDb), "SELECT (pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn)::text");
                if (caughtUp.equals("true")) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // the database itself is not replayed yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the standby on " + PORT + " did not replay up to " + lsn + " within 30 s");
            }
            sleep(20);
        }
    }

    /** Pauses the standby's replay (superuser only: run as the postgres user, as root). */
    public static void pauseReplay() {
        asPostgres("SELECT pg_wal_replay_pause()");
    }

    public static void resumeReplay() {
        asPostgres("SELECT pg_wal_replay_resume()");
    }

    private static void asPostgres(String sql) {
        run("runuser", "-u", "postgres", "--", "psql", "-p", String.valueOf(PORT), "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql);
    }

    /** application_name and last statement of each session on the database of {@code url}'s server. */
    public static List<String[]> sessions(DatabaseUrl url) {
        List<String[]> out = new ArrayList<>();
        try (Connection c = connect(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT application_name, query FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_activity on " + url + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Stops the standby cluster (fast shutdown: its sessions are ended), as root. */
    public static void stop() {
        pgCtlCluster("stop");
    }

    /** Starts it again and waits until it streams from the primary. */
    public static void start() {
        pgCtlCluster("start");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                require();
                return;
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                sleep(100);
            }
        }
    }

    private static void pgCtlCluster(String action) {
        String version = String.valueOf(Integer.parseInt(queryOne(TestDatabases.adminUrl(), "SHOW server_version_num")) / 10000);
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER, action);
    }

    private static void run(String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip()
                        + " (the replica tests run as root, as .ci/run does; the cluster comes from .ci/setup-replica)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + " (the standby's tools, as root): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String queryOne(DatabaseUrl url, String sql) {
        try (Connection c = connect(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + url + ": " + e.getMessage(), e);
        }
    }

    public static Connection connect(DatabaseUrl url) throws SQLException {
        Properties p = new Properties();
        url.user().ifPresent(u -> p.setProperty("user", u));
        url.password().ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("connectTimeout", "3");
        p.setProperty("ApplicationName", "yaptide-test");
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
