package io.yaptide.store.migrate;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Catalog;
import io.yaptide.store.db.Causes;
import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import io.yaptide.store.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Upgrade, downgrade, stamp, current and history over the Liquibase changelog, in the vocabulary of
 * the original's Alembic commands (revision ids, {@code head}, {@code base}, {@code -N}).
 *
 * <p>Every command runs on a dedicated connection under a {@link MigrationLock}. On PostgreSQL each
 * revision is one changeSet in one transaction, so a revision that fails part-way leaves the
 * database at the previous revision. On SQLite revisions run with foreign keys off (table rebuilds
 * need it) and the foreign keys are checked afterwards.
 */
public final class Migrator {

    public static final String CHANGELOG = "db/changelog/master.xml";
    public static final String HEAD = "head";
    public static final String BASE = "base";
    /** Liquibase's bookkeeping table; unquoted, so lower case on PostgreSQL. */
    static final String CHANGELOG_TABLE = Bookkeeping.CHANGELOG;

    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger LIQUIBASE_LOGGER = Logger.getLogger("liquibase");

    static {
        // Liquibase talks through java.util.logging: INFO lines on every command, and a failing
        // changeSet logged at SEVERE with its whole stack trace on stderr before it is thrown. The
        // Migrator turns that exception into one line, so Liquibase's own log is silenced entirely.
        LIQUIBASE_LOGGER.setLevel(Level.OFF);
        // The update summary is a command argument, configured under liquibase.command.*; it went to stdout.
        System.setProperty("liquibase.command.showSummaryOutput", "LOG");
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        System.setProperty("liquibase.showSummaryOutput", "LOG");
        System.setProperty("liquibase.showSummary", "OFF");
    }

    private static volatile List<Revision> revisions;

    private final DatabaseUrl url;

    public Migrator(DatabaseUrl url) {
        this.url = url;
    }

    public Migrator(Database database) {
        this(database.url());
    }

    /** All revisions, oldest first, as the changelog lists them. */
    public static List<Revision> revisions() {
        List<Revision> known = revisions;
        if (known == null) {
            synchronized (Migrator.class) {
                if (revisions == null) {
                    revisions = List.copyOf(parseRevisions());
                }
                known = revisions;
            }
        }
        return known;
    }

    private static List<Revision> parseRevisions() {
        ResourceAccessor accessor = new ClassLoaderResourceAccessor(Migrator.class.getClassLoader());
        try {
            DatabaseChangeLog log = Scope.child(Map.of(), () -> ChangeLogParserFactory.getInstance()
                    .getParser(CHANGELOG, accessor)
                    .parse(CHANGELOG, new ChangeLogParameters(), accessor));
            List<Revision> out = new ArrayList<>();
            String parent = null;
            for (ChangeSet cs : log.getChangeSets()) {
                out.add(new Revision(cs.getId(), parent, cs.getComments() == null ? "" : cs.getComments().strip()));
                parent = cs.getId();
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("the built-in changelog " + CHANGELOG + " cannot be read: " + e.getMessage(), e);
        }
    }

    public static String headId() {
        List<Revision> all = revisions();
        return all.get(all.size() - 1).id();
    }

    /** The revision the database is at, or empty for base (no revision applied). */
    public Optional<String> current() {
        try (Connection c = connect()) {
            return Optional.ofNullable(currentOn(c));
        } catch (SQLException e) {
            throw new MigrationException("cannot read the revision of " + url + ": " + e.getMessage(), e);
        }
    }

    /** Revisions applied, oldest first, with the time they were applied. */
    public List<AppliedRevision> applied() {
        try (Connection c = connect()) {
            return appliedOn(c);
        } catch (SQLException e) {
            throw new MigrationException("cannot read the revision history of " + url + ": " + e.getMessage(), e);
        }
    }

    /** Revisions not yet applied, oldest first. */
    public List<Revision> pending() {
        int at = indexOf(current().orElse(null));
        return revisions().subList(at + 1, revisions().size());
    }

    /** A revision as recorded in the bookkeeping table. */
    public record AppliedRevision(String id, String appliedAt) {
    }

    /** What a command changed: the revision before and after, and anything worth saying. */
    public record Outcome(String from, String to, List<String> applied, List<String> notes) {
        public boolean changed() {
            return !applied.isEmpty();
        }

        /** The notes that report a problem (foreign key violations), as opposed to information (adoption). */
        public List<String> warnings() {
            return notes.stream().filter(n -> n.startsWith("Warning:")).toList();
        }
    }

    /** Upgrades to {@code target} ("head", a revision id or a unique prefix). */
    public Outcome upgrade(String target) {
        return locked(c -> {
            List<String> notes = new ArrayList<>();
            realign(c, notes);
            String from = currentOn(c);
            Adoption.Recognition adoption = null;
            if (from == null) {
                adoption = Adoption.recognise(url, c).orElse(null);
                if (adoption != null && !adoption.matches()) {
                    throw new MigrationException(Adoption.refusal(url, adoption));
                }
                if (adoption != null) {
                    from = adoption.revision();
                }
            }
            int fromIdx = indexOf(from);
            int toIdx = indexOf(resolve(target == null ? HEAD : target, from));
            if (toIdx < fromIdx) {
                throw new MigrationException("the database is at " + from + ", newer than " + revisions().get(toIdx).id()
                        + "; use 'db downgrade " + revisions().get(toIdx).id() + "' to go back");
            }
            if (adoption != null) {
                // only now, with the target known to be reachable, is the adopted revision recorded
                runLiquibase(c, lb -> {
                    for (int i = 0; i <= fromIdx; i++) {
                        lb.markNextChangeSetRan(new Contexts(), new LabelExpression());
                    }
                });
                markRecordedWithoutRunning(c, ids(0, fromIdx + 1));
                notes.add(adoption.note());
            }
            List<String> ids = ids(fromIdx + 1, toIdx + 1);
            applyRecognisingHalfRecorded(c, toIdx, notes);
            notes.addAll(checkForeignKeys(c));
            return new Outcome(label(from), label(currentOn(c)), ids, notes);
        });
    }

    /**
     * Applies the revisions after the current one up to {@code toIdx}. Liquibase commits a
     * revision's change, then its changelog record, in two transactions: a process killed between
     * the two left the change made but the revision unrecorded, and every later upgrade failed on
     * it ("relation ... already exists"). So when a revision fails, the live schema is compared with
     * what that revision makes: if they are the same, the revision was applied and only its record
     * is missing; it is recorded (as run, with a note) and the upgrade goes on. Any other failure
     * is the failure. Costs nothing on the usual path: the comparison runs only after a failure.
     */
    private void applyRecognisingHalfRecorded(Connection c, int toIdx, List<String> notes)
            throws SQLException, LiquibaseException {
        while (true) {
            int next = indexOf(currentOn(c)) + 1;
            if (next > toIdx) {
                return;
            }
            try {
                runLiquibase(c, lb -> lb.update(toIdx - next + 1, new Contexts(), new LabelExpression()));
                return;
            } catch (LiquibaseException e) {
                int failed = indexOf(currentOn(c)) + 1;
                String id = revisions().get(failed).id();
                if (!schemaIsAt(c, id)) {
                    throw e;
                }
                runLiquibase(c, lb -> lb.markNextChangeSetRan(new Contexts(), new LabelExpression()));
                notes.add("Note: revision " + id + " had been applied but not recorded (an upgrade stopped between"
                        + " the two); the schema matches it, so it is recorded now");
            }
        }
    }

    private boolean schemaIsAt(Connection c, String revision) throws SQLException {
        if (!c.getAutoCommit()) {
            c.rollback(); // a PostgreSQL transaction aborted by the failed statement is of no further use
        }
        SchemaSnapshot live = SchemaSnapshot.read(c, url.isPostgres());
        return live.differencesFrom(ExpectedSchema.at(url, revision), url.isPostgres()).isEmpty();
    }

    /** Downgrades to {@code target} (a revision id, "-N" or "base"); null means one step. */
    public Outcome downgrade(String target) {
        return locked(c -> {
            List<String> notes = new ArrayList<>();
            realign(c, notes);
            String from = currentOn(c);
            int fromIdx = indexOf(from);
            if (fromIdx < 0) {
                throw new MigrationException("the database is at base already; nothing to downgrade");
            }
            int toIdx = target == null ? fromIdx - 1 : indexOf(resolve(target, from));
            if (toIdx > fromIdx) {
                throw new MigrationException("the database is at " + from + ", older than "
                        + revisions().get(toIdx).id() + "; use 'db upgrade' to go forward");
            }
            List<String> ids = new ArrayList<>(ids(toIdx + 1, fromIdx + 1));
            java.util.Collections.reverse(ids);
            String first = revisions().get(0).id();
            if (ids.contains(first) && recordedWithoutRunning(c, first)) {
                throw new MigrationException("revision " + first + " of " + url + " was recorded (adopted or stamped), not applied by us:"
                        + " its tables and rows were made elsewhere, and rolling it back would drop them all. Downgrade to "
                        + first + " at most; 'db stamp base' forgets our bookkeeping without touching the tables");
            }
            if (!ids.isEmpty()) {
                runLiquibase(c, lb -> lb.rollback(ids.size(), null, new Contexts(), new LabelExpression()));
            }
            notes.addAll(checkForeignKeys(c));
            return new Outcome(label(from), label(currentOn(c)), ids, notes);
        });
    }

    /** Records {@code target} as the current revision without running anything. */
    public Outcome stamp(String target) {
        if (target == null || target.isBlank()) {
            throw new MigrationException("stamp needs a revision: an id, 'head' or 'base'");
        }
        return locked(c -> {
            if (misalignedOn(c)) {
                throw new MigrationException("the database records " + REORDERED + " in its old place, right after 3f9d1f1bec46;"
                        + " run 'db upgrade' (or 'db downgrade 3f9d1f1bec46') first, which realigns it");
            }
            String from = currentOn(c);
            int fromIdx = indexOf(from);
            int toIdx = indexOf(resolve(target, from));
            if (toIdx > fromIdx) {
                runLiquibase(c, lb -> {
                    for (int i = fromIdx; i < toIdx; i++) {
                        lb.markNextChangeSetRan(new Contexts(), new LabelExpression());
                    }
                });
                markRecordedWithoutRunning(c, ids(fromIdx + 1, toIdx + 1));
            } else if (toIdx < fromIdx) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + CHANGELOG_TABLE + " WHERE id = ?")) {
                    for (String id : ids(toIdx + 1, fromIdx + 1)) {
                        ps.setString(1, id);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                commitIfNeeded(c);
            }
            return new Outcome(label(from), label(currentOn(c)), List.of(), List.of());
        });
    }

    /**
     * Resolves a target name against the current revision: {@code head}, {@code base},
     * {@code -N} / {@code +N} (relative), a revision id or a unique prefix of one.
     *
     * @return the revision id, or null for base
     */
    public static String resolve(String target, String current) {
        String t = target.strip();
        if (t.equalsIgnoreCase(HEAD)) {
            return headId();
        }
        if (t.equalsIgnoreCase(BASE)) {
            return null;
        }
        if (t.matches("[-+]\\d+")) {
            int idx = indexOf(current) + Integer.parseInt(t.startsWith("+") ? t.substring(1) : t);
            if (idx < -1 || idx >= revisions().size()) {
                throw new MigrationException("relative revision " + t + " from " + label(current)
                        + " is out of range; there are " + revisions().size() + " revisions (see 'db history')");
            }
            return idx < 0 ? null : revisions().get(idx).id();
        }
        List<String> matches = revisions().stream().map(Revision::id).filter(id -> id.startsWith(t)).toList();
        if (matches.size() == 1 && !t.isEmpty()) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new MigrationException("revision '" + t + "' is ambiguous: " + String.join(", ", matches));
        }
        throw new MigrationException("unknown revision '" + t + "'; known revisions: "
                + String.join(", ", revisions().stream().map(Revision::id).toList()) + " (or head, base, -N)");
    }

    /** Index in {@link #revisions()}, -1 for base (null). */
    public static int indexOf(String id) {
        if (id == null) {
            return -1;
        }
        List<Revision> all = revisions();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new MigrationException("the database records revision " + id + ", which this version does not know; "
                + "it was migrated by a newer Yaptide Store: use that version, or 'db stamp' a known revision");
    }

    public static String label(String id) {
        return id == null ? BASE : id;
    }

    private static List<String> ids(int fromInclusive, int toExclusive) {
        List<String> out = new ArrayList<>();
        for (int i = Math.max(0, fromInclusive); i < toExclusive; i++) {
            out.add(revisions().get(i).id());
        }
        return out;
    }

    // ---- plumbing ------------------------------------------------------------------------------

    @FunctionalInterface
    interface ConnectionWork<T> {
        T run(Connection c) throws SQLException, LiquibaseException;
    }

    @FunctionalInterface
    interface LiquibaseWork {
        void run(Liquibase liquibase) throws LiquibaseException;
    }

    /**
     * Our index revision b7e4c1a9d2f0 once followed 3f9d1f1bec46 directly; it now comes after the
     * original's three later revisions. A database recorded in the old order (b7e4c1a9d2f0 applied,
     * 4027fc5cbcb1 not) is, in today's chain, at 3f9d1f1bec46 with one revision applied early.
     */
    static final String REORDERED = "b7e4c1a9d2f0";
    static final String REORDERED_BEFORE = "4027fc5cbcb1";

    /** Whether the database records b7e4c1a9d2f0 in its old place (see {@link #REORDERED}). */
    public boolean misaligned() {
        try (Connection c = connect()) {
            return misalignedOn(c);
        } catch (SQLException e) {
            throw new MigrationException("cannot read the revision history of " + url + ": " + e.getMessage(), e);
        }
    }

    private boolean misalignedOn(Connection c) throws SQLException {
        List<String> recorded = appliedOn(c).stream().map(AppliedRevision::id).toList();
        return recorded.contains(REORDERED) && !recorded.contains(REORDERED_BEFORE);
    }

    /**
     * Brings a database recorded in the old order into today's: rolls b7e4c1a9d2f0 back (its
     * indexes only), which leaves it at 3f9d1f1bec46; the upgrade applies it again in its new place.
     * One transaction on PostgreSQL; a crash after it leaves a database at 3f9d1f1bec46.
     */
    private void realign(Connection c, List<String> notes) throws SQLException, LiquibaseException {
        if (!misalignedOn(c)) {
            return;
        }
        List<AppliedRevision> applied = appliedOn(c);
        if (!applied.get(applied.size() - 1).id().equals(REORDERED)) {
            throw new MigrationException("the database records " + REORDERED + " but not as its last revision; "
                    + "its bookkeeping was edited by hand: 'db stamp' a known revision after checking the schema");
        }
        runLiquibase(c, lb -> lb.rollback(1, null, new Contexts(), new LabelExpression()));
        notes.add("Realigned: " + REORDERED + " (indexes) was applied right after 3f9d1f1bec46, where it used to be;"
                + " rolled it back, to be applied again after the original's revisions");
    }

    private <T> T locked(ConnectionWork<T> work) {
        try (Connection c = connect(); MigrationLock ignored = MigrationLock.acquire(url, c)) {
            clearStaleLiquibaseLock(c);
            return work.run(c);
        } catch (SQLException e) {
            throw new MigrationException("migration on " + url + " failed: " + firstLine(e.getMessage()), e);
        } catch (LiquibaseException e) {
            throw new MigrationException("migration on " + url + " failed: " + liquibaseMessage(e), e);
        }
    }

    private static String liquibaseMessage(Throwable e) {
        // Liquibase wraps the SQL error several times; the innermost message is the useful one.
        Throwable c = Causes.root(e);
        return firstLine(c.getMessage() == null ? e.getMessage() : c.getMessage());
    }

    private static String firstLine(String s) {
        return Causes.firstLine(s);
    }

    private void runLiquibase(Connection c, LiquibaseWork work) throws LiquibaseException {
        try {
            Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), () -> {
                liquibase.database.Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(c));
                Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(Migrator.class.getClassLoader()), database);
                work.run(liquibase);
            });
        } catch (LiquibaseException e) {
            throw e;
        } catch (Exception e) {
            throw new LiquibaseException(e);
        }
    }

    /** Opens the dedicated migration connection; on SQLite with foreign keys off ({@link ConnectionPurpose#MIGRATION}). */
    Connection connect() throws SQLException {
        return Connections.connect(url, ConnectionPurpose.MIGRATION);
    }

    private static void commitIfNeeded(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private void clearStaleLiquibaseLock(Connection c) throws SQLException {
        if (Catalog.tableExists(c, Bookkeeping.CHANGELOG_LOCK)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE databasechangeloglock SET locked = " + (url.isPostgres() ? "FALSE" : "0")
                        + ", lockgranted = NULL, lockedby = NULL");
            }
            commitIfNeeded(c);
        }
    }

    private List<String> checkForeignKeys(Connection c) throws SQLException {
        List<String> notes = new ArrayList<>();
        if (!url.isSqlite()) {
            return notes;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
            while (rs.next()) {
                notes.add("Warning: foreign key violation: table " + rs.getString(1) + " row " + rs.getLong(2)
                        + " refers to a missing row of " + rs.getString(3));
            }
        }
        return notes;
    }

    /**
     * Liquibase's markNextChangeSetRan records EXECUTED; we record MARK_RAN, as its own changelog-sync
     * does, so that a revision whose tables were made elsewhere is never rolled back over them.
     */
    private static void markRecordedWithoutRunning(Connection c, List<String> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + CHANGELOG_TABLE + " SET exectype = 'MARK_RAN' WHERE id = ?")) {
            for (String id : ids) {
                ps.setString(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        commitIfNeeded(c);
    }

    /** Whether a revision was marked as run (by adoption or stamp) rather than executed. */
    private static boolean recordedWithoutRunning(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT exectype FROM " + CHANGELOG_TABLE + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "MARK_RAN".equalsIgnoreCase(rs.getString(1));
            }
        }
    }

    /**
     * The last revision recorded; for a database recorded in the old order (see {@link #REORDERED}),
     * 3f9d1f1bec46, the last of today's chain whose predecessors are all recorded.
     */
    String currentOn(Connection c) throws SQLException {
        List<AppliedRevision> applied = appliedOn(c);
        if (applied.isEmpty()) {
            return null;
        }
        if (misalignedOn(c)) {
            return revisions().get(indexOf(REORDERED_BEFORE) - 1).id();
        }
        return applied.get(applied.size() - 1).id();
    }

    private List<AppliedRevision> appliedOn(Connection c) throws SQLException {
        return Bookkeeping.applied(c);
    }

    public DatabaseUrl url() {
        return url;
    }
}
