package io.yaptide.store.bench;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import io.yaptide.store.migrate.Migrator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database of {@code list_simulations_1m}: 1,000,000 simulations and 10,000,000 tasks on
 * PostgreSQL, in a scratch database of its own beside the bench database ({@code <bench>_list1m}),
 * built once by {@code generate_series} in SQL (a few minutes) and reused by later runs while it
 * holds what a run expects (drop it to rebuild: {@code dropdb <bench>_list1m}).
 *
 * <p>The full shape ({@link Shape#FULL}): 1,001 password users. {@value #BIG_USER} owns 100,000 simulations
 * (a tenth of the database: the deep-paging case); the other 1,000 users own 900 each, one of them,
 * {@value #USER}, being the typical heavy user the figure is about. Every simulation is a direct
 * (Celery) job with 10 tasks; start times one second apart, newest last; 95 % have ended
 * (COMPLETED, end time an hour after the start), 5 % are RUNNING without an end time, so that both
 * orders meet NULLs. The database is migrated to head first, so the indexes are those of the revisions.
 */
final class MillionSimulations {
    static final int TASKS_PER_SIMULATION = 10;
    static final String USER = "list1m-user-1";
    static final String BIG_USER = "list1m-big";
    private static final String MARKER = "bench_list_1m";

    private MillionSimulations() {
    }

    /**
     * How many: {@code users} typical users with {@code perUser} simulations each, and the big user's
     * {@code bigUserSimulations}. {@link #FULL} is the figure's; {@link #SMOKE}, chosen by
     * {@code -Dbench.list1m.shape=smoke}, is for the test that runs the workload end to end.
     */
    record Shape(int users, int perUser, int bigUserSimulations) {
        static final Shape FULL = new Shape(1_000, 900, 100_000);
        static final Shape SMOKE = new Shape(10, 30, 100);

        static Shape current() {
            return "smoke".equals(System.getProperty("bench.list1m.shape")) ? SMOKE : FULL;
        }

        long simulations() {
            return (long) users * perUser + bigUserSimulations;
        }
    }

    /** The scratch database's URL beside {@code bench}. */
    static DatabaseUrl urlBeside(DatabaseUrl bench) {
        return bench.withDatabase(bench.database() + "_list1m");
    }

    /** Creates (if missing), migrates and fills (if not filled) the database; returns it open, and the seconds generation took (0 when reused). */
    static Opened open(Database bench, DatabaseUrl url, Shape shape) throws SQLException {
        try (Connection c = bench.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + url.database().replace("'", "''") + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE \"" + url.database().replace("\"", "\"\"") + "\"");
                }
            }
        }
        System.err.println("bench: list_simulations_1m database " + url + " (migrating to head)");
        new Migrator(url).upgrade(Migrator.HEAD);
        Database db = Database.open(url);
        try {
            double seconds = 0;
            if (!filled(db, shape)) {
                long t0 = System.nanoTime();
                generate(db, shape);
                seconds = (System.nanoTime() - t0) / 1e9;
            }
            return new Opened(db, seconds);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    record Opened(Database db, double generationSeconds) {
    }

    private static boolean filled(Database db, Shape shape) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + MARKER + "') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return false;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT simulations, tasks FROM " + MARKER)) {
                return rs.next() && rs.getLong(1) == shape.simulations() && rs.getLong(2) == shape.simulations() * TASKS_PER_SIMULATION;
            }
        }
    }

    private static void generate(Database db, Shape shape) throws SQLException {
        long big = shape.bigUserSimulations();
        int users = shape.users();
        long simulations = shape.simulations();
        String[] steps = {
            "TRUNCATE \"User\", \"Simulation\", \"Task\", \"CelerySimulation\", \"CeleryTask\", \"YaptideUser\" CASCADE",
            "DROP TABLE IF EXISTS " + MARKER,
            // user 1..users the typical users, users + 1 the big one; the hash is no one's password
            "INSERT INTO \"User\" (id, username, auth_provider) SELECT g, 'list1m-user-' || g, 'YaptideUser' FROM generate_series(1, "
                    + users + ") g",
            "INSERT INTO \"User\" (id, username, auth_provider) VALUES (" + (users + 1) + ", '" + BIG_USER + "', 'YaptideUser')",
            "INSERT INTO \"YaptideUser\" (id, password_hash) SELECT id, 'scrypt:32768:8:1$none$00' FROM \"User\"",
            "SELECT setval('\"User_id_seq\"', " + (users + 1) + ")",
            // simulation g: the big user's first, then perUser per typical user, interleaved in time
            "INSERT INTO \"Simulation\" (id, job_id, user_id, start_time, end_time, title, platform, input_type, sim_type, job_state)"
                    + " SELECT g, 'list1m-' || g,"
                    + " CASE WHEN g <= " + big + " THEN " + (users + 1) + " ELSE 1 + (g - " + big + " - 1) % " + users + " END,"
                    + " TIMESTAMPTZ '2020-01-01 00:00:00+00' + g * INTERVAL '1 second',"
                    + " CASE WHEN g % 20 = 0 THEN NULL ELSE TIMESTAMPTZ '2020-01-01 01:00:00+00' + g * INTERVAL '1 second' END,"
                    + " 'simulation ' || g, 'DIRECT', 'EDITOR', 'SHIELDHIT',"
                    + " CASE WHEN g % 20 = 0 THEN 'RUNNING' ELSE 'COMPLETED' END"
                    + " FROM generate_series(1, " + simulations + ") g",
            "SELECT setval('\"Simulation_id_seq\"', " + simulations + ")",
            "INSERT INTO \"CelerySimulation\" (id, merge_id) SELECT g, 'merge-' || g FROM generate_series(1, " + simulations + ") g",
            "INSERT INTO \"Task\" (simulation_id, task_id, requested_primaries, simulated_primaries, task_state, estimated_time,"
                    + " start_time, end_time, platform, last_update_time)"
                    + " SELECT s, t, 1000, CASE WHEN s % 20 = 0 THEN 500 ELSE 1000 END,"
                    + " CASE WHEN s % 20 = 0 THEN 'RUNNING' ELSE 'COMPLETED' END, NULL,"
                    + " TIMESTAMPTZ '2020-01-01 00:00:00+00' + s * INTERVAL '1 second',"
                    + " CASE WHEN s % 20 = 0 THEN NULL ELSE TIMESTAMPTZ '2020-01-01 01:00:00+00' + s * INTERVAL '1 second' END,"
                    + " 'DIRECT', TIMESTAMPTZ '2020-01-01 01:00:00+00' + s * INTERVAL '1 second'"
                    + " FROM generate_series(1, " + simulations + ") s, generate_series(0, " + (TASKS_PER_SIMULATION - 1) + ") t",
            "CREATE TABLE " + MARKER + " (simulations BIGINT NOT NULL, tasks BIGINT NOT NULL)",
            "INSERT INTO " + MARKER + " SELECT (SELECT COUNT(*) FROM \"Simulation\"), (SELECT COUNT(*) FROM \"Task\")",
        };
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String step : steps) {
                long t0 = System.nanoTime();
                s.execute(step);
                System.err.printf("bench: list_simulations_1m: %.1f s %s%n", (System.nanoTime() - t0) / 1e9,
                        step.length() > 70 ? step.substring(0, 70) + "..." : step);
            }
            // statistics and the visibility map (index-only scans) as autovacuum would leave them
            s.execute("VACUUM (ANALYZE) \"User\", \"Simulation\", \"CelerySimulation\", \"Task\"");
        }
    }
}
