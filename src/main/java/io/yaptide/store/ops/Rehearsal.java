package io.yaptide.store.ops;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import io.yaptide.store.db.Database;
import io.yaptide.store.db.ScratchDatabases;
import io.yaptide.store.migrate.MigrationException;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.migrate.Revision;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The seed's "test the migration on a copy of the production volume", as one operation: copy the
 * database to a scratch one, upgrade to head, downgrade to where it started, upgrade again, compare
 * every table's rows and content before and after each round trip, run the read checks the
 * application depends on, and drop the copy. The live database is only read (to copy it).
 */
public final class Rehearsal {

    /** The outcome: every line of the report, and the differences found (none means it passed). */
    public record Report(List<String> lines, List<String> differences) {
        public boolean passed() {
            return differences.isEmpty();
        }
    }

    private final DatabaseUrl source;
    private final Map<String, String> env;
    private final Consumer<String> out;
    private final List<String> lines = new ArrayList<>();
    private final List<String> differences = new ArrayList<>();

    public Rehearsal(DatabaseUrl source, Map<String, String> env, Consumer<String> out) {
        this.source = source;
        this.env = env;
        this.out = out;
    }

    private void say(String line) {
        lines.add(line);
        out.accept(line);
    }

    private void differ(String line) {
        differences.add(line);
        say("  DIFFERENCE: " + line);
    }

    public Report run() {
        if (source.isInMemory()) {
            throw new OpsException("an in-memory SQLite database cannot be copied from another process; rehearse on a file");
        }
        ScratchCopy copy = ScratchCopy.of(source, env, this::say);
        try {
            rehearseOn(copy.url());
        } finally {
            copy.drop();
            say("dropped the scratch copy " + copy.describe());
        }
        say(differences.isEmpty() ? "Rehearsal passed: every round trip kept every row, and the data reads back"
                : "Rehearsal FAILED: " + differences.size() + " difference(s); do not migrate production with this version");
        return new Report(lines, differences);
    }

    private void rehearseOn(DatabaseUrl scratch) {
        Migrator m = new Migrator(scratch);
        String start = m.current().orElse(null);
        String head = Migrator.headId();
        String low = start;
        java.util.Optional<RecordedRevision> original = originalRevision(scratch, start);
        if (original.isPresent()) {
            // A database the original made: the upgrade adopts it at the original's revision, which is as
            // far down as a rollback may go (below it the tables were made elsewhere, not by our revisions).
            start = original.get().id();
            low = start;
            say("start revision " + original.get().label() + ", head " + head);
        } else if (head.equals(start)) {
            // Nothing pending: rehearse the newest revision, so that its rollback is exercised too.
            List<Revision> all = Migrator.revisions();
            low = all.get(all.size() - 1).parent();
            say("the database is at head (" + head + "): rehearsing the newest revision, down to "
                    + Migrator.label(low) + " and up again");
        } else {
            say("start revision " + Migrator.label(start) + ", head " + head);
        }
        Map<String, TableStats.TableDigest> atStart = digests(scratch);
        say("  " + describe(atStart));
        try {
            Map<String, TableStats.TableDigest> beforeFirst = atStart;
            if (!head.equals(start)) {
                step("upgrade to head", () -> m.upgrade(Migrator.HEAD));
                Map<String, TableStats.TableDigest> atHead = digests(scratch);
                compareCounts("after the upgrade", atStart, atHead);
                beforeFirst = atHead;
            }
            String lowTarget = Migrator.label(low);
            step("downgrade to " + lowTarget, () -> m.downgrade(lowTarget));
            Map<String, TableStats.TableDigest> back = digests(scratch);
            if (head.equals(start)) {
                compareCounts("after the downgrade", atStart, back);
            } else {
                report("round trip back to " + lowTarget, atStart, back);
            }
            step("upgrade to head again", () -> m.upgrade(Migrator.HEAD));
            Map<String, TableStats.TableDigest> again = digests(scratch);
            report("round trip up to head", beforeFirst, again);
        } catch (MigrationException e) {
            differ("migration failed: " + e.getMessage());
            return;
        }
        try (Database db = Database.open(scratch, 2)) {
            ReadChecks.Report checks = ReadChecks.run(db);
            say("read checks: " + checks.summary());
            checks.failures().forEach(f -> differ("read check: " + f));
        }
    }

    private static java.util.Optional<RecordedRevision> originalRevision(DatabaseUrl url, String ours) {
        if (ours != null) {
            return java.util.Optional.empty();
        }
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS)) {
            return RecordedRevision.read(c).filter(RecordedRevision::original);
        } catch (SQLException e) {
            throw new OpsException("cannot read the revision of the scratch copy: " + e.getMessage(), e);
        }
    }

    private void step(String what, java.util.function.Supplier<Migrator.Outcome> action) {
        long t0 = System.nanoTime();
        Migrator.Outcome o = action.get();
        say(what + ": " + (o.applied().isEmpty() ? "nothing to do" : String.join(", ", o.applied()))
                + String.format(" (%.1f s)", (System.nanoTime() - t0) / 1e9));
        o.notes().stream().filter(n -> !o.warnings().contains(n)).forEach(n -> say("  " + n));
        o.warnings().forEach(n -> differ(what + ": " + n));
    }

    private void report(String what, Map<String, TableStats.TableDigest> before, Map<String, TableStats.TableDigest> after) {
        List<String> diff = TableStats.differences(what, before, after);
        if (diff.isEmpty()) {
            say("  " + what + ": same rows and content in all " + after.size() + " tables");
        } else {
            diff.forEach(this::differ);
        }
    }

    /** Across a revision the content may change shape (new columns), but no row may be lost or invented. */
    private void compareCounts(String what, Map<String, TableStats.TableDigest> before, Map<String, TableStats.TableDigest> after) {
        int problems = 0;
        for (var e : before.entrySet()) {
            TableStats.TableDigest other = after.get(e.getKey());
            if (other != null && other.rows() != e.getValue().rows()) {
                differ(what + ": table " + e.getKey() + " had " + e.getValue().rows() + " rows, now " + other.rows());
                problems++;
            }
        }
        if (problems == 0) {
            say("  " + what + ": same row counts");
        }
    }

    private static String describe(Map<String, TableStats.TableDigest> d) {
        long rows = d.values().stream().mapToLong(TableStats.TableDigest::rows).sum();
        return d.size() + " tables, " + rows + " rows";
    }

    private static Map<String, TableStats.TableDigest> digests(DatabaseUrl url) {
        try (Connection c = Connections.open(url, ConnectionPurpose.OPERATIONS)) {
            return TableStats.digests(c);
        } catch (SQLException e) {
            throw new OpsException("cannot read the scratch copy: " + e.getMessage(), e);
        }
    }

    /** A scratch copy of the database: a sibling database on the same server, or a temp file. */
    static final class ScratchCopy {
        private final DatabaseUrl url;
        private final Runnable dropper;
        private final String description;

        private ScratchCopy(DatabaseUrl url, Runnable dropper, String description) {
            this.url = url;
            this.dropper = dropper;
            this.description = description;
        }

        DatabaseUrl url() {
            return url;
        }

        String describe() {
            return description;
        }

        void drop() {
            dropper.run();
        }

        static ScratchCopy of(DatabaseUrl source, Map<String, String> env, Consumer<String> say) {
            return source.isPostgres() ? postgres(source, env, say) : sqlite(source, say);
        }

        private static ScratchCopy sqlite(DatabaseUrl source, Consumer<String> say) {
            Path dir;
            try {
                dir = ScratchDatabases.temporaryDirectory("yaptide-rehearse-");
            } catch (IOException e) {
                throw new OpsException("cannot create a temporary directory: " + e.getMessage(), e);
            }
            Path file = dir.resolve("copy.db");
            Backups.backup(source, file, Backups.Mode.AUTO, null, Map.of(), line -> { });
            say.accept("copied " + source + " to the scratch file " + file);
            return new ScratchCopy(DatabaseUrl.parse("jdbc:sqlite:" + file), () -> ScratchDatabases.deleteTree(dir), file.toString());
        }

        private static ScratchCopy postgres(DatabaseUrl source, Map<String, String> env, Consumer<String> say) {
            String name = "yaptide_rehearse_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100000;
            DatabaseUrl scratch = source.withDatabase(name);
            DatabaseUrl admin = ScratchDatabases.serverOf(source);
            Runnable drop = () -> admin(admin, () -> ScratchDatabases.drop(admin, name));
            try {
                admin(admin, () -> ScratchDatabases.create(admin, name, source.database()));
                say.accept("copied " + source + " to the scratch database " + name + " (CREATE DATABASE ... TEMPLATE)");
                return new ScratchCopy(scratch, drop, name);
            } catch (OpsException busy) {
                // TEMPLATE needs the source to have no other sessions; a live server has some.
                say.accept("the database is in use (" + busy.getMessage() + "); copying it through a backup instead");
            }
            admin(admin, () -> ScratchDatabases.create(admin, name, null));
            Path dir = null;
            try {
                dir = ScratchDatabases.temporaryDirectory("yaptide-rehearse-");
                Path file = Backups.defaultFile(dir, source, null, Backups.Mode.AUTO, env);
                Backups.backup(source, file, Backups.Mode.AUTO, null, env, line -> { });
                Restores.restore(file, scratch, false, env, line -> { });
                say.accept("copied " + source + " to the scratch database " + name + " (backup and restore)");
                return new ScratchCopy(scratch, drop, name);
            } catch (IOException | RuntimeException e) {
                drop.run();
                throw e instanceof OpsException o ? o : new OpsException("cannot copy " + source + ": " + e.getMessage(), e);
            } finally {
                ScratchDatabases.deleteTree(dir);
            }
        }

        /** One statement on the server; the maintenance database may be closed to this role, then the source serves (TEMPLATE then fails over to a backup). */
        private interface ServerStatement {
            void run() throws SQLException;
        }

        private static void admin(DatabaseUrl admin, ServerStatement statement) {
            try {
                statement.run();
            } catch (SQLException e) {
                throw new OpsException(e.getMessage().lines().findFirst().orElse("") + " (on " + admin + ")", e);
            }
        }
    }
}
