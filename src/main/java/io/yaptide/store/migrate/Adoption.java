package io.yaptide.store.migrate;

import io.yaptide.store.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises a database made by the original implementation, which has the tables but none of our
 * bookkeeping: stamped by Alembic ({@code alembic_version} at one of the original's two revisions),
 * or made by its {@code create_all} with no version table at all, in which case the revision is
 * inferred from the foreign keys (deletes cascade from 3f9d1f1bec46 on).
 *
 * <p>A recognised database is adopted only if its schema is EXACTLY that revision's, as our
 * migrations make it (on SQLite by structure: {@code create_all} leaves constraints unnamed).
 * Anything else is refused with the list of differences before anything is written. Adoption only
 * records the revision in our bookkeeping; the original's rows and its {@code alembic_version} are
 * left as they are, so the original can still use the database at that revision.
 */
final class Adoption {

    /** The original's Alembic revisions, which are also our first two. */
    static final Set<String> ORIGINAL_REVISIONS = Set.of("06c32cf470e7", "3f9d1f1bec46");

    /** What was recognised: the revision and how it was told. */
    record Recognition(String revision, String evidence, List<String> differences) {
        boolean matches() {
            return differences.isEmpty();
        }

        String note() {
            return "Recognised a database made by the original Yaptide (" + evidence + ") at revision " + revision
                    + "; recorded it in our bookkeeping, its rows and alembic_version left as they are";
        }
    }

    private Adoption() {
    }

    /**
     * Looks at a database that has no revision in our bookkeeping.
     *
     * @return empty when it has no tables (a fresh database: nothing to adopt)
     */
    static Optional<Recognition> recognise(DatabaseUrl url, Connection c) throws SQLException {
        SchemaSnapshot live = SchemaSnapshot.read(c, url.isPostgres());
        if (live.isEmpty()) {
            return Optional.empty();
        }
        String revision;
        String evidence;
        String alembic = alembicVersion(c);
        if (alembic != null) {
            if (!ORIGINAL_REVISIONS.contains(alembic)) {
                return Optional.of(new Recognition(alembic, "alembic_version " + alembic, List.of(
                        "alembic_version is " + alembic + ", which is not one of the original's revisions "
                                + String.join(", ", ORIGINAL_REVISIONS.stream().sorted().toList()))));
            }
            revision = alembic;
            evidence = "alembic_version " + alembic;
        } else {
            SchemaSnapshot.Table task = live.tables().get("Task");
            boolean cascade = task != null && task.foreignKeys().stream()
                    .anyMatch(fk -> fk.referencedTable().equals("Simulation") && fk.onDelete().equals("CASCADE"));
            revision = cascade ? "3f9d1f1bec46" : "06c32cf470e7";
            evidence = "no version table; foreign keys " + (cascade ? "cascade" : "do not cascade");
        }
        SchemaSnapshot expected = ExpectedSchema.at(url, revision);
        return Optional.of(new Recognition(revision, evidence, live.differencesFrom(expected, url.isPostgres())));
    }

    static String refusal(DatabaseUrl url, Recognition r) {
        StringBuilder sb = new StringBuilder("database " + url + " has tables but no revision in our bookkeeping; it looks like one made by the original ("
                + r.evidence() + ") but its schema is not exactly revision " + r.revision() + ", so it was left unchanged. Differences:");
        r.differences().forEach(d -> sb.append("\n  - ").append(d));
        sb.append("\nFix the schema by hand (or restore it), then run 'db upgrade' again; 'db stamp' records a revision without checking.");
        return sb.toString();
    }

    private static String alembicVersion(Connection c) throws SQLException {
        if (!Migrator.tableExists(c, "alembic_version")) {
            return null;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
