package io.yaptide.store.ops;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import io.yaptide.store.db.Dialect;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Backups that are verified before they are reported done.
 *
 * <ul>
 *   <li>PostgreSQL with pg_dump installed: custom format. The row counts are read in a
 *       repeatable-read transaction whose snapshot pg_dump then uses ({@code --snapshot}), so they
 *       describe exactly the dumped data; then the file is read back through pg_restore and the
 *       rows of every table are counted and compared.</li>
 *   <li>PostgreSQL without pg_dump, or on request: a {@link PortableDump} written in one
 *       repeatable-read transaction, then read back in full.</li>
 *   <li>SQLite: {@code VACUUM INTO}, a consistent copy taken while the database is in use; the copy
 *       is opened, integrity-checked and counted.</li>
 * </ul>
 * The file is written under a temporary name and moved into place only once verified, with a
 * {@link BackupManifest} beside it.
 */
public final class Backups {

    private Backups() {
    }

    /** Which format to write: the best available, or the portable dump on request. */
    public enum Mode { AUTO, PORTABLE }

    /** A verified backup. */
    public record Result(Path file, BackupManifest manifest) {
    }

    /** The default file name: {@code backups/<db>-<revision>-<UTC time>.<ext>}. */
    public static Path defaultFile(Path dir, DatabaseUrl url, String revision, Mode mode, Map<String, String> env) {
        String ext;
        if (mode == Mode.PORTABLE) {
            ext = "ydump.gz";
        } else if (url.isSqlite()) {
            ext = "db";
        } else {
            ext = ExternalTool.PG_DUMP.find(env).isPresent() ? "dump" : "ydump.gz";
        }
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(Instant.now().atOffset(ZoneOffset.UTC));
        String db = url.database().replaceAll("\\.db$", "").replaceAll("[^A-Za-z0-9_.-]", "_");
        String base = db + "-" + (revision == null ? "base" : revision) + "-" + stamp;
        Path candidate = dir.resolve(base + "." + ext);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = dir.resolve(base + "-" + n + "." + ext);
        }
        return candidate;
    }

    public static Result backup(DatabaseUrl url, Path file, Mode mode, String revision, Map<String, String> env,
                                Consumer<String> progress) {
        if (url.isInMemory()) {
            throw new OpsException("an in-memory SQLite database cannot be backed up from another process");
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OpsException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        // Nothing appears under the final name before the backup is verified: a kill leaves at most
        // a hidden partial file, which the next run removes (naming it) once its process is gone.
        if (Files.exists(file)) {
            throw new OpsException(file + " exists already; choose another file name or remove it");
        }
        removeLeftoverPartials(dir, file, progress);
        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        try {
            Files.deleteIfExists(tmp);
            BackupManifest manifest;
            if (url.isSqlite() && mode == Mode.AUTO) {
                manifest = sqliteCopy(url, tmp, revision, progress);
            } else if (url.isPostgres() && mode == Mode.AUTO && ExternalTool.PG_DUMP.find(env).isPresent()
                    && ExternalTool.PG_RESTORE.find(env).isPresent()) {
                manifest = pgDump(url, tmp, revision, env, progress);
            } else {
                if (url.isPostgres() && mode == Mode.AUTO) {
                    progress.accept("pg_dump is not installed: writing a portable dump instead");
                }
                manifest = portable(url, tmp, revision, progress);
            }
            try {
                // a hard link appears atomically and never replaces: of two backups to one name, one wins
                Files.createLink(file, tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new OpsException(file + " exists already (written by another backup meanwhile); this one is discarded");
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.deleteIfExists(tmp);
            manifest = withBytes(manifest, Files.size(file));
            manifest.writeFor(file);
            return new Result(file, manifest);
        } catch (IOException e) {
            throw new OpsException("backup to " + file + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing left to clean
            }
        }
    }

    private static BackupManifest withBytes(BackupManifest m, long bytes) {
        return new BackupManifest(m.format(), m.dbms(), m.database(), m.revision(), m.createdAt(), bytes, m.rows(), m.verified());
    }

    private static BackupManifest manifest(BackupFormat format, DatabaseUrl url, String revision, Map<String, Long> rows) {
        return new BackupManifest(format, url.isPostgres() ? "postgresql" : "sqlite", url.toString(), revision,
                Instant.now().toString(), 0, rows, true);
    }

    // ---- SQLite ---------------------------------------------------------------------------------

    /** Partial files of earlier backups to this name whose process is gone (killed): removed, and named. */
    private static void removeLeftoverPartials(Path dir, Path file, Consumer<String> progress) {
        String prefix = "." + file.getFileName() + ".";
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(".partial")) {
                    continue;
                }
                String pid = name.substring(prefix.length(), name.length() - ".partial".length());
                boolean alive;
                try {
                    alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!alive) {
                    Files.deleteIfExists(p);
                    progress.accept("removed " + p + ", a partial backup left by process " + pid + ", which ended before finishing");
                }
            }
        } catch (IOException e) {
            progress.accept("could not look for partial backups in " + dir + ": " + e.getMessage());
        }
    }

    private static BackupManifest sqliteCopy(DatabaseUrl url, Path tmp, String revision, Consumer<String> progress) {
        progress.accept("copying " + url + " with VACUUM INTO (consistent while in use)");
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS); PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
            ps.setString(1, tmp.toAbsolutePath().toString());
            ps.execute();
        } catch (SQLException e) {
            throw new OpsException("copying " + url + " failed: " + e.getMessage(), e);
        }
        Map<String, Long> rows = verifySqliteFile(tmp, progress);
        return manifest(BackupFormat.SQLITE_FILE, url, revision, rows);
    }

    /** Opens an SQLite file, runs the integrity check and counts the rows of every table. */
    public static Map<String, Long> verifySqliteFile(Path file, Consumer<String> progress) {
        DatabaseUrl copy = DatabaseUrl.parse("jdbc:sqlite:" + file.toAbsolutePath());
        try (Connection c = Connections.open(copy, ConnectionPurpose.OPERATIONS); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                if (!"ok".equals(rs.getString(1))) {
                    throw new OpsException("the copy " + file + " fails SQLite's integrity check: " + rs.getString(1));
                }
            }
            Map<String, Long> rows = TableStats.rowCounts(c);
            rows.forEach((t, n) -> progress.accept("  " + t + ": " + n + " rows"));
            return rows;
        } catch (SQLException e) {
            throw new OpsException(file + " is not a readable SQLite database: " + e.getMessage(), e);
        }
    }

    // ---- PostgreSQL: pg_dump --------------------------------------------------------------------

    private static BackupManifest pgDump(DatabaseUrl url, Path tmp, String revision, Map<String, String> env,
                                         Consumer<String> progress) {
        Path pgDump = ToolProcess.require(ExternalTool.PG_DUMP, env);
        Map<String, Long> counted;
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS)) {
            // Count in the snapshot pg_dump will dump, so the recorded counts are exactly the file's.
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            String snapshot;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                snapshot = rs.getString(1);
            }
            counted = TableStats.rowCounts(c);
            List<String> cmd = new ArrayList<>(List.of(pgDump.toString(), "--format=custom", "--verbose",
                    "--snapshot=" + snapshot, "--file=" + tmp.toAbsolutePath()));
            cmd.addAll(ToolProcess.connectionArgs(url));
            cmd.add("--dbname=" + url.database());
            progress.accept("dumping " + url + " with pg_dump (custom format)");
            try {
                ToolProcess.run(cmd, ToolProcess.environment(url, env), line -> { }, line -> {
                    int at = line.indexOf("dumping contents of table ");
                    if (at >= 0) {
                        progress.accept("  dumping " + line.substring(at + "dumping contents of table ".length()));
                    }
                });
            } catch (OpsException e) {
                if (e.getMessage().contains("version mismatch")) {
                    throw new OpsException(e.getMessage() + "; install the pg_dump of the server's version, "
                            + "or take a portable backup: db backup --portable", e);
                }
                throw e;
            }
            c.commit();
        } catch (SQLException e) {
            throw new OpsException("backup of " + url + " failed: " + e.getMessage(), e);
        }
        progress.accept("verifying: reading the dump back through pg_restore");
        Map<String, Long> inFile = countRowsInPgDump(tmp, env);
        List<String> problems = new ArrayList<>();
        counted.forEach((t, n) -> {
            long found = inFile.getOrDefault(t, 0L);
            if (found != n) {
                problems.add(t + ": " + n + " rows in the database, " + found + " in the dump");
            }
        });
        if (!problems.isEmpty()) {
            throw new OpsException("the dump does not hold what was counted (" + String.join("; ", problems) + ")");
        }
        return manifest(BackupFormat.PG_CUSTOM, url, revision, counted);
    }

    /** Row counts of the application tables in a custom-format dump, read through pg_restore. */
    public static Map<String, Long> countRowsInPgDump(Path dump, Map<String, String> env) {
        Path pgRestore = ToolProcess.require(ExternalTool.PG_RESTORE, env);
        Map<String, Long> rows = new LinkedHashMap<>();
        String[] current = {null};
        long[] n = {0};
        ToolProcess.run(List.of(pgRestore.toString(), "--data-only", "--file=-", dump.toAbsolutePath().toString()), env,
                line -> {
                    if (current[0] == null) {
                        if (line.startsWith("COPY ")) {
                            int end = line.indexOf(" (", 5) >= 0 ? line.indexOf(" (", 5) : line.indexOf(" FROM", 5);
                            String name = line.substring(5, end);
                            name = name.substring(name.lastIndexOf('.') + 1).replace("\"", "");
                            current[0] = name;
                            n[0] = 0;
                        }
                    } else if (line.equals("\\.")) {
                        String ours = AppTables.ours(current[0]);
                        if (ours != null) {
                            rows.put(ours, n[0]);
                        }
                        current[0] = null;
                    } else {
                        n[0]++;
                    }
                }, line -> { });
        return rows;
    }

    // ---- portable -------------------------------------------------------------------------------

    private static BackupManifest portable(DatabaseUrl url, Path tmp, String revision, Consumer<String> progress)
            throws IOException {
        progress.accept("writing a portable dump of " + url);
        Map<String, Long> written;
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS); OutputStream out = Files.newOutputStream(tmp)) {
            c.setAutoCommit(false);
            if (url.isPostgres()) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            written = PortableDump.write(c, url.isPostgres() ? Dialect.POSTGRESQL : Dialect.SQLITE, revision, out, progress);
            c.commit();
        } catch (SQLException e) {
            throw new OpsException("backup of " + url + " failed: " + e.getMessage(), e);
        }
        progress.accept("verifying: reading the dump back");
        PortableDump.Contents contents = PortableDump.verify(tmp);
        if (!contents.rows().equals(written)) {
            throw new OpsException("the dump read back " + contents.rows() + " but " + written + " were written");
        }
        return manifest(BackupFormat.PORTABLE, url, revision, written);
    }
}
