package io.yaptide.store.cli;

import io.yaptide.store.config.Settings;
import io.yaptide.store.migrate.MigrationException;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.migrate.Revision;
import io.yaptide.store.ops.AppTables;
import io.yaptide.store.ops.Backups;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code yaptide db ...}: schema migrations and database operations. */
@Command(name = "db", description = "Schema migrations and database operations.",
        subcommands = {
                DbCommand.Upgrade.class,
                DbCommand.Downgrade.class,
                DbCommand.Stamp.class,
                DbCommand.Current.class,
                DbCommand.History.class,
                SchemaCommands.Check.class,
                SchemaCommands.Diagram.class,
                DbOpsCommands.Url.class,
                ReplicasCommand.class,
                DbOpsCommands.Shell.class,
                DbOpsCommands.Inspect.class,
                DbOpsCommands.Backup.class,
                DbOpsCommands.Restore.class,
                DbOpsCommands.Rehearse.class,
                DbOpsCommands.NewRevision.class,
                DbOpsCommands.Clean.class,
                DbOpsCommands.RewritePayloads.class,
                PgadminServersCommand.class,
        })
final class DbCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Shared by the db subcommands: the migrator on the configured database, and where to print. */
    abstract static class DbSubcommand implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        GlobalOptions global() {
            return Main.globalOf(spec);
        }

        Settings.ResolvedUrl resolved() {
            return global().resolvedUrl();
        }

        Migrator migrator() {
            Settings.ResolvedUrl r = resolved();
            // Opening the pool once checks that the database answers, with one clear line if not.
            io.yaptide.store.db.Database.open(r.url(), 1).close();
            return new Migrator(r.url());
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Schema changes go to the primary: a standby is read-only, and its schema follows the primary's. */
        void refuseStandby() {
            Settings.ResolvedUrl r = resolved();
            if (io.yaptide.store.db.ReplicaRouting.isStandby(r.url())) {
                throw new CliException(ExitCode.USAGE, "the database " + r.url() + " is a standby (pg_is_in_recovery() is true,"
                        + " read-only): run this against the primary, or give a multi-host URL (it connects to the primary)");
            }
        }

        void printOutcome(String verb, Migrator.Outcome o) {
            o.notes().forEach(n -> out().println(n));
            if (!o.changed()) {
                out().println("Nothing to " + verb + "; database " + resolved().url() + " is at " + o.to()
                        + (o.to().equals(Migrator.headId()) ? " (head)" : ""));
            } else {
                for (String id : o.applied()) {
                    out().println((verb.equals("upgrade") ? "Applied " : "Rolled back ") + id + " " + message(id));
                }
                out().println("Database " + resolved().url() + " is now at " + o.to()
                        + (o.to().equals(Migrator.headId()) ? " (head)" : ""));
            }
        }

        static String message(String id) {
            Map<String, String> m = Migrator.revisions().stream().collect(Collectors.toMap(Revision::id, Revision::message));
            return m.getOrDefault(id, "");
        }
    }

    @Command(name = "upgrade", description = {
            "Upgrade the schema to REVISION (default: head).",
            "On PostgreSQL a verified backup is taken first (unless --no-backup); if the upgrade fails, the revision "
                    + "the database is still at and the command that restores the backup are printed."})
    static final class Upgrade extends DbSubcommand {
        @Parameters(arity = "0..1", paramLabel = "REVISION", description = "Revision id (or prefix), or head.")
        String target;

        @Option(names = "--no-backup", description = "Skip the backup before a PostgreSQL upgrade.")
        boolean noBackup;

        @Option(names = "--backup-file", paramLabel = "FILE",
                description = "Where to write that backup (default: $YAPTIDE_BACKUP_DIR or backups/, named by database, revision and time).")
        Path backupFile;

        @Override
        public Integer call() {
            refuseStandby();
            Migrator m = migrator();
            String goal = target == null ? Migrator.HEAD : target;
            Path backup = null;
            if (resolved().url().isPostgres() && !noBackup && hasWork(m, goal)) {
                Backups.Result r;
                try {
                    r = DbOpsCommands.takeBackup(resolved(), GlobalOptions.environment,
                            backupFile, Backups.Mode.AUTO, line -> {
                                spec.commandLine().getErr().println(line);
                                spec.commandLine().getErr().flush();
                            });
                } catch (CliException e) {
                    throw new CliException(e.exitCode(), e.getMessage()
                            + "\nThe upgrade was not run. Fix the backup, or upgrade without one: db upgrade --no-backup");
                }
                backup = r.file();
                out().println("Backup before upgrading: " + backup + " (" + r.manifest().totalRows()
                        + " rows, verified); to undo the upgrade: " + DbOpsCommands.restoreCommand(resolved(), backup));
                out().flush();
                try {
                    printOutcome("upgrade", m.upgrade(goal));
                } catch (MigrationException e) {
                    String still;
                    try {
                        // ours, or the original's alembic_version on a database not adopted yet
                        still = io.yaptide.store.ops.RecordedRevision.read(resolved().url())
                                .map(io.yaptide.store.ops.RecordedRevision::label).orElse(Migrator.BASE);
                    } catch (RuntimeException unreadable) {
                        still = "unknown (" + unreadable.getMessage() + ")";
                    }
                    throw new CliException(ExitCode.MIGRATION, e.getMessage() + "\nThe database is still at revision "
                            + still + ". To restore the backup taken before the upgrade: " + DbOpsCommands.restoreCommand(resolved(), backup));
                }
                return ExitCode.OK;
            }
            printOutcome("upgrade", m.upgrade(goal));
            return ExitCode.OK;
        }

        /** True when the upgrade would apply something to data worth keeping (a no-op upgrade takes no backup). */
        private boolean hasWork(Migrator m, String goal) {
            String current = m.current().orElse(null);
            if (current == null && !hasTables()) {
                return false; // a fresh, empty database: nothing to back up
            }
            try {
                return Migrator.indexOf(Migrator.resolve(goal, current)) > Migrator.indexOf(current);
            } catch (RuntimeException e) {
                return true; // let the upgrade itself report what is wrong with the target
            }
        }

        private boolean hasTables() {
            return AppTables.anyTables(resolved().url());
        }
    }

    @Command(name = "downgrade", description = "Downgrade the schema to REVISION, -N steps, or base (default: one step).")
    static final class Downgrade extends DbSubcommand {
        @Parameters(arity = "0..1", paramLabel = "REVISION|-N|base", description = "Target revision.")
        String target;

        @Override
        public Integer call() {
            refuseStandby();
            printOutcome("downgrade", migrator().downgrade(target));
            return ExitCode.OK;
        }
    }

    @Command(name = "stamp", description = "Record REVISION as current without running any migration.")
    static final class Stamp extends DbSubcommand {
        @Parameters(paramLabel = "REVISION|head|base", description = "Revision to record.")
        String target;

        @Override
        public Integer call() {
            refuseStandby();
            Migrator.Outcome o = migrator().stamp(target);
            out().println("Stamped " + resolved().url() + " at " + o.to() + " (was " + o.from() + ")");
            return ExitCode.OK;
        }
    }

    @Command(name = "current", description = "Print the current revision id, with (head) when it is the newest.")
    static final class Current extends DbSubcommand {
        @Override
        public Integer call() {
            String current = migrator().current().orElse(null);
            if (current == null) {
                out().println("base (no revision applied)");
            } else {
                out().println(current + (current.equals(Migrator.headId()) ? " (head)" : ""));
                if (migrator().misaligned()) {
                    out().println("(b7e4c1a9d2f0 is applied in its old place, right after 3f9d1f1bec46; 'db upgrade' realigns it)");
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "history", description = "List the revisions, oldest first, marking the current one.")
    static final class History extends DbSubcommand {
        @Override
        public Integer call() {
            Migrator m = migrator();
            String current = m.current().orElse(null);
            Map<String, String> applied = m.applied().stream()
                    .collect(Collectors.toMap(Migrator.AppliedRevision::id, Migrator.AppliedRevision::appliedAt));
            List<Revision> all = Migrator.revisions();
            for (Revision r : all) {
                StringBuilder line = new StringBuilder();
                line.append(Migrator.label(r.parent())).append(" -> ").append(r.id());
                if (r.id().equals(Migrator.headId())) {
                    line.append(" (head)");
                }
                if (r.id().equals(current)) {
                    line.append(" (current)");
                }
                line.append(", ").append(r.message());
                line.append(applied.containsKey(r.id()) ? " [applied " + applied.get(r.id()) + "]" : " [pending]");
                out().println(line);
            }
            return ExitCode.OK;
        }
    }
}
