package io.yaptide.store.cli;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.config.Settings;
import io.yaptide.store.db.Database;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.ops.BackupManifest;
import io.yaptide.store.ops.Backups;
import io.yaptide.store.ops.ChangelogScaffold;
import io.yaptide.store.ops.DispatchView;
import io.yaptide.store.ops.ExternalTool;
import io.yaptide.store.ops.Inspection;
import io.yaptide.store.ops.OpsException;
import io.yaptide.store.ops.RecordedRevision;
import io.yaptide.store.ops.Rehearsal;
import io.yaptide.store.ops.Restores;
import io.yaptide.store.results.PayloadRewrite;
import io.yaptide.store.simulations.Retention;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code db} operations beyond migrating: the URL, a shell, inspecting, backup and restore,
 * rehearsing a migration, scaffolding a revision, and retention. Each is a thin layer over
 * {@code io.yaptide.store.ops} (and {@link Retention}); failures end as one line and an exit code.
 */
final class DbOpsCommands {

    private DbOpsCommands() {
    }

    /** What every operation needs: the resolved URL, the environment, and where to print. */
    abstract static class Op implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        Settings.ResolvedUrl resolved() {
            return Main.globalOf(spec).resolvedUrl();
        }

        DatabaseUrl url() {
            return resolved().url();
        }

        Map<String, String> env() {
            return GlobalOptions.environment;
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Progress goes to stderr, so that stdout stays what scripts parse. */
        void progress(String line) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(line);
            err.flush();
        }

        /** Checks the database answers, with the one-line message of {@link Database#open} if not. */
        void requireReachable() {
            Database.open(url(), 1).close();
        }

        String restoreCommand(Path file) {
            return DbOpsCommands.restoreCommand(resolved(), file);
        }
    }

    /** The command an operator runs to restore {@code file} into this database. */
    static String restoreCommand(Settings.ResolvedUrl resolved, Path file) {
        DatabaseUrl url = resolved.url();
        String db = resolved.source() == Settings.Source.OPTION
                ? " --db '" + url + "'" + (url.password().isPresent() ? " (with the password in place of ***)" : "")
                : "";
        return "bin/yaptide db restore " + file + " --force" + db;
    }

    /** Takes a verified backup of the resolved database (to {@code file}, or the default name). */
    static Backups.Result takeBackup(Settings.ResolvedUrl resolved, Map<String, String> env, Path file,
                                     Backups.Mode mode, java.util.function.Consumer<String> progress) {
        DatabaseUrl url = resolved.url();
        String revision;
        try {
            revision = RecordedRevision.read(url).map(RecordedRevision::id).orElse(null);
        } catch (OpsException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "cannot read " + url + ": " + e.getMessage());
        }
        Path target = file != null ? file : Backups.defaultFile(backupDir(env), url, revision, mode, env);
        try {
            return Backups.backup(url, target, mode, revision, env, progress);
        } catch (OpsException e) {
            throw new CliException(ExitCode.ABORTED, "backup failed, nothing was written: " + e.getMessage());
        }
    }

    static Path backupDir(Map<String, String> env) {
        String dir = env.get("YAPTIDE_BACKUP_DIR");
        return Path.of(dir == null || dir.isBlank() ? "backups" : dir);
    }

    static String humanBytes(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.0f kB", bytes / 1024.0);
        }
        return String.format("%.1f MB", bytes / (1024.0 * 1024));
    }

    // ---- db url ---------------------------------------------------------------------------------

    @Command(name = "url", description = {
            "Print the effective database URL, password masked.",
            "The URL comes from --db, $YAPTIDE_DATABASE_URL, $FLASK_SQLALCHEMY_DATABASE_URI or the embedded default "
                    + "(-v says which). In scripts: psql \"$(bin/yaptide db url --show-password)\""})
    static final class Url extends Op {
        @Option(names = "--show-password", description = "Print the password instead of ***.")
        boolean showPassword;

        @Option(names = "--jdbc", description = "Print the JDBC form (jdbc:postgresql://...?user=...&password=...).")
        boolean jdbc;

        @Override
        public Integer call() {
            Settings.ResolvedUrl r = resolved();
            out().println(jdbc ? r.url().renderJdbc(showPassword) : r.url().render(showPassword));
            // the standbys on a line of their own, after the primary's (scripts take the first line)
            io.yaptide.store.config.ReplicaConfig.replicaUrl(env()).ifPresent(replica ->
                    out().println("replica " + (jdbc ? replica.renderJdbc(showPassword) : replica.render(showPassword))));
            if (Main.globalOf(spec).verbosity() > 0) {
                progress("(from " + r.source().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
            }
            return ExitCode.OK;
        }
    }

    // ---- db shell -------------------------------------------------------------------------------

    @Command(name = "shell", description = {
            "Open psql or sqlite3 on the database: browse, verify, troubleshoot.",
            "The password goes to psql in PGPASSWORD, never on the command line. Arguments after -- go to the "
                    + "client, e.g. db shell -- -c 'SELECT count(*) FROM \"User\"'. The exit code is the client's."})
    static final class Shell extends Op {
        @Parameters(arity = "0..*", paramLabel = "CLIENT_ARGS", description = "Passed to psql / sqlite3 as they are.")
        List<String> clientArgs = new ArrayList<>();

        /** The client command line and its environment; the password only ever in PGPASSWORD. */
        record Invocation(List<String> command, Map<String, String> environment) {
        }

        static Invocation invocation(DatabaseUrl url, Map<String, String> env, List<String> extra) {
            Map<String, String> childEnv = new java.util.HashMap<>(env);
            List<String> cmd = new ArrayList<>();
            if (url.isPostgres()) {
                Path psql = ExternalTool.PSQL.find(env).orElseThrow(() -> new CliException(ExitCode.UNAVAILABLE,
                        ExternalTool.PSQL.missingMessage()));
                cmd.addAll(List.of(psql.toString(), "--host", url.host(), "--port", String.valueOf(url.port()),
                        "--dbname", url.database()));
                url.user().ifPresent(u -> cmd.addAll(List.of("--username", u)));
                url.password().ifPresent(pw -> childEnv.put("PGPASSWORD", pw));
                childEnv.putIfAbsent("PGAPPNAME", "yaptide-db-shell");
            } else {
                if (url.isInMemory()) {
                    throw new CliException(ExitCode.USAGE, "an in-memory SQLite database has nothing to open; give a file URL");
                }
                Path sqlite = ExternalTool.SQLITE3.find(env).orElseThrow(() -> new CliException(ExitCode.UNAVAILABLE,
                        ExternalTool.SQLITE3.missingMessage()));
                cmd.addAll(List.of(sqlite.toString(), "-cmd", "PRAGMA foreign_keys = ON", url.sqliteFile().orElseThrow().toString()));
            }
            cmd.addAll(extra);
            return new Invocation(cmd, childEnv);
        }

        @Override
        public Integer call() throws Exception {
            Invocation inv = invocation(url(), env(), clientArgs);
            if (url().isSqlite() && !java.nio.file.Files.exists(url().sqliteFile().orElseThrow())) {
                throw new CliException(ExitCode.UNAVAILABLE, "no SQLite database at " + url().sqliteFile().orElseThrow()
                        + "; check the URL (db url) or create it with db upgrade");
            }
            ProcessBuilder pb = new ProcessBuilder(inv.command()).inheritIO();
            pb.environment().clear();
            pb.environment().putAll(inv.environment());
            out().flush();
            return pb.start().waitFor();
        }
    }

    // ---- db inspect -----------------------------------------------------------------------------

    @Command(name = "inspect", description = "One screen: the revision, pending revisions, and each table's rows and size.")
    static final class Inspect extends Op {
        @Override
        public Integer call() {
            requireReachable();
            DatabaseUrl url = url();
            PrintWriter out = out();
            try {
                Inspection.Report report = Inspection.read(url);
                out.println("Database  " + url + "  (" + report.product() + ")");
                if (url.isPostgres()) {
                    io.yaptide.store.config.ReplicaConfig replicas = io.yaptide.store.config.ReplicaConfig.fromEnvironment(url, env());
                    if (replicas.replicaUrl() != null) {
                        out.println("Replica   " + replicas.replicaUrl());
                    }
                    if (replicas.enabled()) {
                        out.println("Servers   " + io.yaptide.store.db.ReplicaRouting.survey(replicas).stream()
                                .map(st -> st.server() + " " + st.role().name().toLowerCase(java.util.Locale.ROOT))
                                .collect(java.util.stream.Collectors.joining(", ")) + "  (details: db replicas)");
                    }
                }
                Optional<RecordedRevision> rev = report.revision();
                String head = Migrator.headId();
                if (rev.isEmpty()) {
                    out.println("Revision  base (no revision applied)");
                } else {
                    out.println("Revision  " + rev.get().label() + (rev.get().id().equals(head) ? " (head)" : ""));
                }
                if (rev.isPresent() && rev.get().original()) {
                    out.println("Pending   (made by the original: adopt it before upgrading)");
                } else {
                    List<String> pending = new ArrayList<>();
                    boolean seen = rev.isEmpty();
                    for (var r : Migrator.revisions()) {
                        if (seen) {
                            pending.add(r.id() + " " + r.message());
                        }
                        if (rev.isPresent() && r.id().equals(rev.get().id())) {
                            seen = true;
                        }
                    }
                    out.println("Pending   " + (pending.isEmpty() ? "none" : pending.size() + ": " + String.join("; ", pending)));
                }
                out.println();
                out.printf("%-18s %10s %10s%n", "Table", "Rows", "Size");
                long rows = 0;
                long bytes = 0;
                for (Inspection.TableRow t : report.tables()) {
                    long n = t.rows();
                    long size = t.bytes();
                    rows += n;
                    bytes += Math.max(0, size);
                    out.printf("%-18s %10d %10s%n", t.table(), n, humanBytes(size));
                }
                out.printf("%-18s %10d %10s%n", "total", rows, humanBytes(bytes));
                if (report.dispatch().isPresent()) {
                    // the Celery dispatch outbox (docs/celery.md): jobs not yet in Redis, or not yet ended
                    out.println();
                    out.println("Dispatch  " + DispatchView.summary(report.dispatch().get())
                            + "  (bin/yaptide list-dispatch)");
                }
            } catch (OpsException e) {
                throw new CliException(ExitCode.UNAVAILABLE, "cannot inspect " + url + ": " + e.getMessage());
            }
            return ExitCode.OK;
        }
    }

    // ---- db backup / restore --------------------------------------------------------------------

    @Command(name = "backup", description = {
            "Back up the database to FILE, verified before it is reported done.",
            "PostgreSQL: pg_dump custom format (a portable dump when pg_dump is missing); SQLite: a consistent copy "
                    + "taken while in use. The default FILE is backups/<db>-<revision>-<time>.dump (or .db), under "
                    + "$YAPTIDE_BACKUP_DIR if set. Row counts are recorded beside it in FILE.manifest.json."})
    static final class Backup extends Op {
        @Parameters(arity = "0..1", paramLabel = "FILE", description = "Where to write the backup (must not exist).")
        Path file;

        @Option(names = "--portable", description = "Write our engine-neutral dump (restores into PostgreSQL or SQLite).")
        boolean portable;

        @Option(names = "--from-standby", description = "Dump from a standby of the configured URLs (within the lag bound) "
                + "instead of the primary: docs/replica.md.")
        boolean fromStandby;

        @Override
        public Integer call() {
            Settings.ResolvedUrl source = fromStandby ? standby() : resolved();
            if (!fromStandby) {
                requireReachable();
            }
            Backups.Result r = takeBackup(source, env(), file, portable ? Backups.Mode.PORTABLE : Backups.Mode.AUTO, this::progress);
            out().println("Backup written to " + r.file() + " (" + r.manifest().format().name().toLowerCase(java.util.Locale.ROOT)
                    + ", " + humanBytes(r.manifest().bytes()) + ", " + r.manifest().totalRows() + " rows in "
                    + r.manifest().rows().size() + " tables, verified; manifest " + BackupManifest.sidecarOf(r.file()) + ")");
            return ExitCode.OK;
        }

        /** The first standby in use (up, within the lag bound), as the URL to dump from. */
        private Settings.ResolvedUrl standby() {
            DatabaseUrl primary = url();
            if (!primary.isPostgres()) {
                throw new CliException(ExitCode.USAGE, "--from-standby: the database " + primary + " is SQLite, which has no standbys");
            }
            io.yaptide.store.config.ReplicaConfig replicas = io.yaptide.store.config.ReplicaConfig.fromEnvironment(primary, env());
            if (!replicas.enabled()) {
                throw new CliException(ExitCode.USAGE, "--from-standby: no standby configured; give a multi-host URL or "
                        + io.yaptide.store.config.ReplicaConfig.ENV_REPLICA_URL + " (docs/replica.md)");
            }
            var servers = io.yaptide.store.db.ReplicaRouting.survey(replicas);
            for (int i = 0; i < servers.size(); i++) {
                if (servers.get(i).role() == io.yaptide.store.db.ReplicaRouting.Role.STANDBY && servers.get(i).inUse()) {
                    progress("taking the backup from the standby " + servers.get(i).server() + " (lag "
                            + servers.get(i).lagBytes() + " bytes, " + servers.get(i).lagSeconds() + " s)");
                    return new Settings.ResolvedUrl(replicas.servers().get(i), resolved().source());
                }
            }
            throw new CliException(ExitCode.UNAVAILABLE, "--from-standby: no standby is up and within "
                    + replicas.maxLag().toMillis() / 1000.0 + " s of the primary: " + servers + "; back up the primary (without --from-standby)");
        }
    }

    @Command(name = "restore", description = {
            "Restore a backup into the database and check every table's rows.",
            "FILE is what db backup wrote; the rows restored are compared with its manifest. A database that already "
                    + "holds tables is replaced only with --force (on PostgreSQL in one transaction)."})
    static final class Restore extends Op {
        @Parameters(paramLabel = "FILE", description = "A backup: pg_dump custom file, SQLite file or portable dump.")
        Path file;

        @Option(names = "--force", description = "Replace the contents of a non-empty database.")
        boolean force;

        @Override
        public Integer call() {
            requireReachable();
            Restores.Result r;
            try {
                r = Restores.restore(file, url(), force, env(), this::progress);
            } catch (Restores.TargetNotEmptyException e) {
                throw new CliException(ExitCode.ABORTED, e.getMessage());
            } catch (OpsException e) {
                throw new CliException(ExitCode.ABORTED, "restore failed: " + e.getMessage());
            }
            long rows = r.rows().values().stream().mapToLong(Long::longValue).sum();
            if (!r.mismatches().isEmpty()) {
                r.mismatches().forEach(m -> progress("  MISMATCH " + m));
                throw new CliException(ExitCode.CHECK_FAILED, "restored " + file + " into " + url()
                        + ", but the row counts differ from the backup's manifest (above)");
            }
            out().println("Restored " + file + " into " + url() + ": " + rows + " rows in " + r.rows().size() + " tables"
                    + (BackupManifest.readFor(file).isPresent() ? ", matching the backup's manifest" : ""));
            return ExitCode.OK;
        }
    }

    // ---- db rehearse ----------------------------------------------------------------------------

    @Command(name = "rehearse", description = {
            "Rehearse the migration on a scratch copy of the database; exit 6 on any difference.",
            "The copy is made on the same server (a temp file for SQLite), upgraded to head, downgraded to the "
                    + "starting revision and upgraded again; every table's rows and content are compared across each "
                    + "round trip; every user, simulation, task and payload must load; then the copy is dropped. "
                    + "The database itself is only read."})
    static final class Rehearse extends Op {
        @Override
        public Integer call() {
            requireReachable();
            try {
                Rehearsal.Report report = new Rehearsal(url(), env(), line -> {
                    out().println(line);
                    out().flush();
                }).run();
                return report.passed() ? ExitCode.OK : ExitCode.CHECK_FAILED;
            } catch (OpsException e) {
                throw new CliException(ExitCode.ABORTED, "rehearsal could not run: " + e.getMessage());
            }
        }
    }

    // ---- db revision ----------------------------------------------------------------------------

    @Command(name = "revision", description = "Scaffold a new migration (upgrade and rollback for PostgreSQL and SQLite, "
            + "every constraint named) and include it in master.xml.")
    static final class NewRevision extends Op {
        @Option(names = {"-m", "--message"}, required = true, paramLabel = "MESSAGE", description = "What the revision changes.")
        String message;

        @Option(names = "--dir", paramLabel = "DIR", description = "The changelog folder (default: src/main/resources/db/changelog).")
        Path dir = ChangelogScaffold.DEFAULT_DIR;

        @Override
        public Integer call() {
            try {
                ChangelogScaffold.Scaffolded s = ChangelogScaffold.create(dir, message);
                out().println("Created revision " + s.id() + " (after " + Migrator.label(s.parent()) + "): " + s.file());
                out().println("Edit its upgrade and rollback parts, then: bin/yaptide db rehearse");
                return ExitCode.OK;
            } catch (OpsException e) {
                throw new CliException(ExitCode.USAGE, e.getMessage());
            }
        }
    }

    // ---- db clean -------------------------------------------------------------------------------

    @Command(name = "clean", description = "Remove finished (COMPLETED, FAILED, CANCELED) simulations that ended before "
            + "DATE, with all their tasks, inputs, results and logs, in batches.")
    static final class Clean extends Op {
        @Option(names = "--before", required = true, paramLabel = "DATE",
                description = "YYYY-MM-DD (midnight UTC) or an ISO instant such as 2024-01-31T12:00:00Z.")
        String before;

        @Option(names = "--dry-run", description = "Only count what would be removed.")
        boolean dryRun;

        @Option(names = "--batch-size", paramLabel = "N", description = "Simulations per transaction (default ${DEFAULT-VALUE}).")
        int batchSize = Retention.DEFAULT_BATCH_SIZE;

        static Instant parseDate(String text) {
            try {
                return LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                try {
                    return OffsetDateTime.parse(text.strip()).toInstant();
                } catch (DateTimeParseException notAnInstant) {
                    throw new CliException(ExitCode.USAGE, "--before " + text
                            + " is not a date; use YYYY-MM-DD or an ISO time such as 2024-01-31T12:00:00Z");
                }
            }
        }

        static String describe(io.yaptide.store.simulations.CascadeCounts c) {
            return c.simulations() + " simulations, " + c.tasks() + " tasks, " + c.inputs() + " inputs, "
                    + c.estimators() + " estimators, " + c.pages() + " result pages, " + c.logfiles() + " log files";
        }

        @Override
        public Integer call() {
            Instant cutoff = parseDate(before);
            if (batchSize < 1) {
                throw new CliException(ExitCode.USAGE, "--batch-size must be at least 1");
            }
            try (Database db = Main.globalOf(spec).openDatabase()) {
                Retention retention = new Retention(db);
                if (dryRun) {
                    out().println("Would remove " + describe(retention.countFinishedBefore(cutoff))
                            + " (finished before " + cutoff + "; dry run, nothing removed)");
                    return ExitCode.OK;
                }
                io.yaptide.store.simulations.CascadeCounts total = retention.deleteFinishedBefore(cutoff, batchSize,
                        batch -> progress("  removed " + describe(batch)));
                out().println("Removed " + describe(total) + " (finished before " + cutoff + ")");
                return ExitCode.OK;
            }
        }
    }

    // ---- db rewrite-payloads ----------------------------------------------------------------------

    @Command(name = "rewrite-payloads", description = {
            "Rewrite, once, stored documents (inputs, estimators, result pages, log files) that are not in the",
            "form the service splices into its gzip answers: those the original stored. Each decodes to the",
            "same bytes afterwards and the original still reads it. Batches of rows, one transaction each;",
            "idempotent, so it can be stopped and run again."})
    static final class RewritePayloads extends Op {
        @Option(names = "--dry-run", description = "Only count what would be rewritten.")
        boolean dryRun;

        @Option(names = "--batch-size", paramLabel = "N", description = "Rows per transaction (default ${DEFAULT-VALUE}).")
        int batchSize = PayloadRewrite.DEFAULT_BATCH_SIZE;

        static String describe(PayloadRewrite.Counts c) {
            return c.rewritten() + " rewritten (" + c.bytesBefore() + " -> " + c.bytesAfter() + " bytes), "
                    + c.alreadySpliceable() + " already in the form"
                    + (c.unreadable() > 0 ? ", " + c.unreadable() + " not readable as gzip (left as they are)" : "");
        }

        @Override
        public Integer call() {
            if (batchSize < 1) {
                throw new CliException(ExitCode.USAGE, "--batch-size must be at least 1");
            }
            try (Database db = Main.globalOf(spec).openDatabase()) {
                PayloadRewrite.Counts total = new PayloadRewrite(db).run(batchSize, dryRun,
                        (table, counts) -> progress("  " + table + ": " + describe(counts)));
                out().println((dryRun ? "Would rewrite: " : "Payloads: ") + describe(total)
                        + (dryRun ? " (dry run, nothing written)" : ""));
                return ExitCode.OK;
            }
        }
    }
}
