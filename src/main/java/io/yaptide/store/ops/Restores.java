package io.yaptide.store.ops;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Catalog;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import io.yaptide.store.db.Dialect;
import io.yaptide.store.db.Identifiers;
import io.yaptide.store.migrate.Bookkeeping;
import io.yaptide.store.migrate.MigrationException;
import io.yaptide.store.migrate.Migrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Restores a backup written by {@link Backups} into a database. A target that already holds tables
 * is refused unless {@code force} is given; afterwards every table's row count is compared with the
 * backup's manifest (or with what the file itself holds).
 */
public final class Restores {

    private Restores() {
    }

    /** What a restore did: the rows now in each table, and any mismatch with the manifest. */
    public record Result(BackupFormat format, Map<String, Long> rows, List<String> mismatches) {
    }

    /** Thrown when the target holds tables and {@code force} was not given. */
    public static final class TargetNotEmptyException extends OpsException {
        public TargetNotEmptyException(String message) {
            super(message);
        }
    }

    public static Result restore(Path file, DatabaseUrl target, boolean force, Map<String, String> env,
                                 Consumer<String> progress) {
        if (!Files.isRegularFile(file)) {
            throw new OpsException("no backup file " + file + "; give the path of a file 'db backup' wrote");
        }
        BackupFormat format = BackupFormat.detect(file);
        Optional<BackupManifest> manifest = BackupManifest.readFor(file);
        if (format == BackupFormat.PG_CUSTOM && !target.isPostgres()) {
            throw new OpsException(file + " is a PostgreSQL dump; it restores only into PostgreSQL "
                    + "(take a portable backup, 'db backup --portable', to move data to SQLite)");
        }
        if (format == BackupFormat.SQLITE_FILE && !target.isSqlite()) {
            throw new OpsException(file + " is an SQLite file; it restores only into SQLite "
                    + "(take a portable backup, 'db backup --portable', to move data to PostgreSQL)");
        }
        if (target.isInMemory()) {
            throw new OpsException("cannot restore into an in-memory SQLite database; give a file URL");
        }
        int tables;
        try (Connection c = Connections.open(target, ConnectionPurpose.OPERATIONS)) {
            tables = Catalog.countTables(c, target.isPostgres());
        } catch (SQLException e) {
            throw new OpsException("cannot inspect " + target + ": " + e.getMessage(), e);
        }
        if (tables > 0 && !force) {
            throw new TargetNotEmptyException("the target " + target + " is not empty (" + tables
                    + " tables); restoring replaces its contents: add --force to do that");
        }
        progress.accept("restoring " + file + " (" + format.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + ") into " + target);
        switch (format) {
            case PG_CUSTOM -> pgRestore(file, target, tables > 0, env, progress);
            case SQLITE_FILE -> sqliteRestore(file, target, progress);
            case PORTABLE -> portableRestore(file, target, tables > 0, progress);
        }
        Map<String, Long> rows;
        try (Connection c = Connections.open(target, ConnectionPurpose.OPERATIONS)) {
            rows = TableStats.rowCounts(c);
        } catch (SQLException e) {
            throw new OpsException("the restored database cannot be read: " + e.getMessage(), e);
        }
        List<String> mismatches = new ArrayList<>();
        manifest.ifPresent(m -> m.rows().forEach((t, n) -> {
            long now = rows.getOrDefault(t, -1L);
            if (now != n) {
                mismatches.add(t + ": backup recorded " + n + " rows, restored " + (now < 0 ? "no table" : now));
            }
        }));
        return new Result(format, rows, mismatches);
    }

    private static void pgRestore(Path file, DatabaseUrl target, boolean replace, Map<String, String> env,
                                  Consumer<String> progress) {
        Path pgRestore = ToolProcess.require(ExternalTool.PG_RESTORE, env);
        List<String> cmd = new ArrayList<>(List.of(pgRestore.toString(), "--verbose", "--no-owner", "--no-privileges",
                "--single-transaction", "--exit-on-error"));
        if (replace) {
            cmd.add("--clean"); // in the same transaction: the old contents go only if the restore succeeds
            cmd.add("--if-exists");
        }
        cmd.addAll(ToolProcess.connectionArgs(target));
        cmd.add("--dbname=" + target.database());
        cmd.add(file.toAbsolutePath().toString());
        ToolProcess.run(cmd, ToolProcess.environment(target, env), line -> { }, line -> {
            int at = line.indexOf("processing data for table ");
            if (at >= 0) {
                progress.accept("  loading " + line.substring(at + "processing data for table ".length()));
            }
        });
    }

    private static void sqliteRestore(Path file, DatabaseUrl target, Consumer<String> progress) {
        Backups.verifySqliteFile(file, line -> { });
        // The online backup API in reverse: pages are copied under the target's lock, so a server
        // with the file open sees the old or the new database, never a mixture.
        try (Connection c = Connections.open(target, ConnectionPurpose.OPERATIONS); Statement s = c.createStatement()) {
            s.executeUpdate("restore from \"" + file.toAbsolutePath() + "\"");
        } catch (SQLException e) {
            throw new OpsException("restore into " + target + " failed: " + e.getMessage(), e);
        }
        progress.accept("  copied " + file.getFileName() + " into " + target);
    }

    private static void portableRestore(Path file, DatabaseUrl target, boolean replace, Consumer<String> progress) {
        PortableDump.Contents contents = PortableDump.verify(file);
        // Everything that can refuse the dump is checked before a forced restore drops anything.
        if (contents.revision() == null) {
            throw new OpsException(file + " records no schema revision, so the schema cannot be recreated; "
                    + "restore it into a database that has the schema already");
        }
        try {
            Migrator.resolve(contents.revision(), null);
        } catch (MigrationException e) {
            throw new OpsException(file + " was written at a schema revision this version cannot create: "
                    + e.getMessage() + "; restore it with the Yaptide Store version that wrote it");
        }
        if (replace) {
            dropAll(target);
        }
        String lost = replace ? " (the database's previous contents were already removed: restore them from a backup)" : "";
        progress.accept("  creating the schema at revision " + contents.revision());
        try {
            new Migrator(target).upgrade(contents.revision());
        } catch (MigrationException e) {
            throw new OpsException("creating the schema of " + file + " in " + target + " failed" + lost + ": " + e.getMessage(), e);
        }
        try (Connection c = Connections.open(target, ConnectionPurpose.OPERATIONS)) {
            PortableDump.load(file, c, target.isPostgres() ? Dialect.POSTGRESQL : Dialect.SQLITE, progress);
        } catch (SQLException e) {
            throw new OpsException("loading " + file + " into " + target + " failed; no row of the dump was loaded" + lost
                    + ": " + e.getMessage(), e);
        }
    }

    /** Drops every table of ours and the bookkeeping tables (children first), for a forced restore. */
    static void dropAll(DatabaseUrl target) {
        List<String> tables = new ArrayList<>(AppTables.ALL);
        java.util.Collections.reverse(tables);
        tables.addAll(Bookkeeping.TABLES);
        try (Connection c = Connections.open(target, ConnectionPurpose.OPERATIONS); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            if (target.isSqlite()) {
                s.execute("PRAGMA defer_foreign_keys = ON");
            }
            for (String t : tables) {
                s.execute("DROP TABLE IF EXISTS " + Identifiers.quoted(t) + (target.isPostgres() ? " CASCADE" : ""));
            }
            c.commit();
        } catch (SQLException e) {
            throw new OpsException("cannot clear " + target + " for the restore: " + e.getMessage(), e);
        }
    }
}
