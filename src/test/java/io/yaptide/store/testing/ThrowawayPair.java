package io.yaptide.store.testing;

import io.yaptide.store.config.DatabaseUrl;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A primary and a synchronous standby of its own, made for one test in a temporary directory
 * ({@code initdb}, {@code pg_basebackup -R}, {@code pg_ctl} as the postgres user; the test runs as root,
 * as {@code .ci/run} does), so that the test can kill the primary and promote the standby without
 * touching the main cluster other tests commit to. Once the standby streams, the primary is set to
 * {@code synchronous_standby_names='*'} and {@code synchronous_commit=on} ({@code ALTER SYSTEM}): a
 * commit it acknowledges is flushed on the standby. Set after the base backup, so the copy does not
 * inherit it: the promoted standby has no standby to wait for.
 */
public final class ThrowawayPair implements AutoCloseable {
    public static final String DATABASE = "yaptide_failover";

    private final Path dir;
    private final Path bin;
    public final int primaryPort;
    public final int standbyPort;

    private ThrowawayPair(Path dir, Path bin, int primaryPort, int standbyPort) {
        this.dir = dir;
        this.bin = bin;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /** Starts the pair and waits until the standby streams synchronously; a database and role yaptide exist. */
    public static ThrowawayPair start() throws IOException {
        String version = String.valueOf(Integer.parseInt(LocalStandby.queryOne(TestDatabases.adminUrl(), "SHOW server_version_num")) / 10000);
        Path bin = Path.of("/usr/lib/postgresql", version, "bin");
        if (!Files.isExecutable(bin.resolve("initdb"))) {
            throw new IllegalStateException("no " + bin.resolve("initdb") + ": the failover test needs the PostgreSQL server"
                    + " binaries of the test server's version (Debian's postgresql-" + version + ", installed by .ci/setup-postgres)");
        }
        Path dir = Files.createTempDirectory("yaptide-failover-");
        run("chown", "postgres:postgres", dir.toString());
        ThrowawayPair pair = new ThrowawayPair(dir, bin, freePort(), freePort());
        try {
            pair.asPostgres(bin.resolve("initdb").toString(), "-D", pair.data("a"), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-sync", "--no-instructions");
            pair.pgCtl("a", pair.primaryPort, "start", "");
            pair.psql(pair.primaryPort, "CREATE ROLE yaptide LOGIN PASSWORD 'yaptide'");
            pair.psql(pair.primaryPort, "CREATE DATABASE " + DATABASE + " OWNER yaptide");
            pair.asPostgres(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", String.valueOf(pair.primaryPort),
                    "-U", "postgres", "-D", pair.data("b"), "-R", "-X", "stream", "-c", "fast", "--no-sync");
            pair.pgCtl("b", pair.standbyPort, "start", "-c hot_standby=on");
            // synchronous from now on, written after the copy was taken: the standby does not inherit it
            pair.psql(pair.primaryPort, "ALTER SYSTEM SET synchronous_standby_names = '*'");
            pair.psql(pair.primaryPort, "ALTER SYSTEM SET synchronous_commit = 'on'");
            pair.psql(pair.primaryPort, "SELECT pg_reload_conf()");
            pair.waitFor(pair.primaryPort, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'", "1");
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    /** {@code postgresql://yaptide:yaptide@127.0.0.1:<primary>,127.0.0.1:<standby>/yaptide_failover}. */
    public DatabaseUrl multiHostUrl() {
        return DatabaseUrl.parse("postgresql://yaptide:yaptide@127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort + "/" + DATABASE);
    }

    public DatabaseUrl primaryUrl() {
        return DatabaseUrl.parse("postgresql://yaptide:yaptide@127.0.0.1:" + primaryPort + "/" + DATABASE);
    }

    public DatabaseUrl standbyUrl() {
        return DatabaseUrl.parse("postgresql://yaptide:yaptide@127.0.0.1:" + standbyPort + "/" + DATABASE);
    }

    /** The primary is lost: {@code pg_ctl stop -m immediate} (no shutdown checkpoint, sessions cut, as a crash). */
    public void killPrimary() {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", data("a"), "stop", "-m", "immediate");
    }

    /** The operator's promotion: {@code pg_ctl promote}, waiting until the standby accepts writes. */
    public void promoteStandby() {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", data("b"), "promote", "-w", "-t", "30");
    }

    private String data(String which) {
        return dir.resolve(which).toString();
    }

    private void pgCtl(String which, int port, String action, String options) {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", data(which), "-l", dir.resolve(which + ".log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir + " " + options, action);
    }

    private void psql(int port, String sql) {
        asPostgres(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres",
                "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql);
    }

    private void waitFor(int port, String sql, String expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String got = asPostgres(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                    "-d", "postgres", "-qAtX", "-c", sql).strip();
            if (got.equals(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(sql + " on " + port + " gave " + got + ", not " + expected + " within 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private String asPostgres(String... command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + " (the failover test runs as root, as .ci/run does): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops both servers (whatever state they are in) and deletes their directory. */
    @Override
    public void close() {
        for (String which : new String[] {"a", "b"}) {
            if (Files.exists(dir.resolve(which).resolve("postmaster.pid"))) {
                try {
                    asPostgres(bin.resolve("pg_ctl").toString(), "-D", data(which), "stop", "-m", "immediate");
                } catch (IllegalStateException alreadyStopped) {
                    // a stale pid file of the killed primary
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
