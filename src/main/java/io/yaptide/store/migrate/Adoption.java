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
 * bookkeeping: stamped by Alembic ({@code alembic_version} at one of the original's five revisions),
 * or made by its {@code create_all} with no version table at all, in which case the revision is
 * inferred from the columns and foreign keys (see {@link #inferred}).
 *
 * <p>A recognised database is adopted only if its schema is EXACTLY that revision's, as our
 * migrations make it (on SQLite by structure: {@code create_all} leaves constraints unnamed).
 * Anything else is refused with the list of differences before anything is written. Adoption only
 * records the revision in our bookkeeping; the original's rows and its {@code alembic_version} are
 * left as they are, so the original can still use the database at that revision.
 */
final class Adoption {

    /** The original's Alembic revisions, which are also our first five. */
    static final Set<String> ORIGINAL_REVISIONS = Set.of(
            "06c32cf470e7", "3f9d1f1bec46", "4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4");

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
            String[] told = inferred(live);
            revision = told[0];
            evidence = "no version table; " + told[1];
        }
        SchemaSnapshot expected = ExpectedSchema.at(url, revision);
        return Optional.of(new Recognition(revision, evidence, live.differencesFrom(expected, url.isPostgres())));
    }

    /**
     * The revision of a version-less database, from what each revision of the original added or
     * removed, newest first: Page.page_name (5003b9acb1f4), Estimator.file_name (41149fa64bd2), no
     * Simulation.update_key_hash (4027fc5cbcb1), cascading foreign keys (3f9d1f1bec46).
     *
     * @return the revision and the evidence, in words
     */
    static String[] inferred(SchemaSnapshot live) {
        if (hasColumn(live, "Page", "page_name")) {
            return new String[] {"5003b9acb1f4", "Page has page_name"};
        }
        if (hasColumn(live, "Estimator", "file_name")) {
            return new String[] {"41149fa64bd2", "Estimator has file_name"};
        }
        if (live.tables().containsKey("Simulation") && !hasColumn(live, "Simulation", "update_key_hash")) {
            return new String[] {"4027fc5cbcb1", "Simulation has no update_key_hash"};
        }
        SchemaSnapshot.Table task = live.tables().get("Task");
        boolean cascade = task != null && task.foreignKeys().stream()
                .anyMatch(fk -> fk.referencedTable().equals("Simulation") && fk.onDelete().equals("CASCADE"));
        return new String[] {cascade ? "3f9d1f1bec46" : "06c32cf470e7", "foreign keys " + (cascade ? "cascade" : "do not cascade")};
    }

    private static boolean hasColumn(SchemaSnapshot live, String table, String column) {
        SchemaSnapshot.Table t = live.tables().get(table);
        return t != null && t.column(column) != null;
    }

    static String refusal(DatabaseUrl url, Recognition r) {
        StringBuilder sb = new StringBuilder("database " + url + " has tables but no revision in our bookkeeping; it looks like one made by the original ("
                + r.evidence() + ") but its schema is not exactly revision " + r.revision() + ", so it was left unchanged. Differences:");
        r.differences().forEach(d -> sb.append("\n  - ").append(d));
        sb.append("\nFix the schema by hand (or restore it), then run 'db upgrade' again; 'db stamp' records a revision without checking.");
        return sb.toString();
    }

    private static String alembicVersion(Connection c) throws SQLException {
        return Bookkeeping.alembicVersion(c).orElse(null);
    }
}
