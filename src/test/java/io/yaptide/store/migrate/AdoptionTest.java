package io.yaptide.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.OriginalDatabases;
import io.yaptide.store.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 6: databases made by the original are recognised, adopted and upgraded, rows untouched. */
class AdoptionTest {

    static final List<String> TABLES = MigrationRoundTripTest.TABLES;

    static DatabaseUrl original(Engine engine) {
        return engine == Engine.POSTGRES ? OriginalDatabases.loadPostgres() : OriginalDatabases.loadSqlite();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anAlembicStampedDatabaseIsAdoptedAndUpgradedWithEveryRowUnchanged(Engine engine) throws Exception {
        DatabaseUrl url = original(engine);
        Map<String, String> before = rowDigests(url);
        Map<String, Long> countsBefore = rowCounts(url);
        assertThat(countsBefore).containsEntry("User", 5L).containsEntry("Simulation", 30L).containsEntry("Task", 633L)
                .containsEntry("Estimator", 72L).containsEntry("Page", 378L);

        Migrator m = new Migrator(url);
        Migrator.Outcome o = m.upgrade("head");

        assertThat(o.notes()).first().asString().startsWith("Recognised a database made by the original Yaptide (alembic_version 3f9d1f1bec46) at revision 3f9d1f1bec46");
        assertThat(o.from()).isEqualTo("3f9d1f1bec46");
        assertThat(o.applied()).containsExactly("4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
        assertThat(m.current()).contains(Migrator.headId());
        assertThat(rowCounts(url)).isEqualTo(countsBefore);
        assertThat(rowDigests(url)).isEqualTo(before);
        assertThat(alembicVersion(url)).isEqualTo("3f9d1f1bec46");
        assertThat(SchemaSnapshot.read(url).differencesFrom(ExpectedSchema.at(url, Migrator.headId()), engine == Engine.POSTGRES)).isEmpty();
        // a second upgrade has nothing to do and recognises nothing
        assertThat(m.upgrade("head").notes()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void downgradingToTheAdoptedRevisionGivesBackTheOriginalsSchemaAndRows(Engine engine) throws Exception {
        DatabaseUrl url = original(engine);
        SchemaSnapshot fixture = SchemaSnapshot.read(url);
        Map<String, String> rows = rowDigests(url);
        Migrator m = new Migrator(url);
        m.upgrade("head");

        m.downgrade("3f9d1f1bec46");

        assertThat(m.current()).contains("3f9d1f1bec46");
        assertThat(SchemaSnapshot.read(url)).isEqualTo(fixture);
        assertThat(rowDigests(url)).isEqualTo(rows);
        assertThat(alembicVersion(url)).isEqualTo("3f9d1f1bec46");
        assertThatThrownBy(() -> m.downgrade("base")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("would drop them all");
        assertThat(rowDigests(url)).isEqualTo(rows);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCreateAllDatabaseWithoutVersionTableIsRecognisedFromItsCascadingForeignKeys(Engine engine) throws Exception {
        DatabaseUrl url = original(engine);
        execute(url, "DROP TABLE alembic_version");
        Map<String, String> rows = rowDigests(url);

        Migrator.Outcome o = new Migrator(url).upgrade("head");

        assertThat(o.notes()).first().asString()
                .contains("(no version table; foreign keys cascade) at revision 3f9d1f1bec46");
        assertThat(o.applied()).containsExactly("4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
        assertThat(rowDigests(url)).isEqualTo(rows);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aDatabaseWithOneColumnChangedByHandIsRefusedWithThatDifferenceAndLeftUnchanged(Engine engine) throws Exception {
        DatabaseUrl url = original(engine);
        execute(url, "ALTER TABLE \"Cluster\" RENAME COLUMN cluster_name TO name");
        SchemaSnapshot before = SchemaSnapshot.read(url);
        Map<String, String> rows = rowDigests(url);

        assertThatThrownBy(() -> new Migrator(url).upgrade("head"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("looks like one made by the original (alembic_version 3f9d1f1bec46)")
                .hasMessageContaining("- column \"Cluster\".cluster_name is missing")
                .hasMessageContaining("- column \"Cluster\".name (VARCHAR) is not expected")
                .hasMessageContaining("left unchanged");

        assertThat(SchemaSnapshot.read(url)).isEqualTo(before);
        assertThat(rowDigests(url)).isEqualTo(rows);
        assertThat(tableNames(url)).doesNotContain("databasechangelog", "DATABASECHANGELOG");
        assertThat(new Migrator(url).current()).isEmpty();
    }

    @EmptyDatabaseTest
    void aDatabaseAtTheOriginalsFirstRevisionIsAdoptedThereAndUpgradedThroughTheCascadeRevision(TestDatabase db) throws Exception {
        Migrator m = new Migrator(db.url());
        m.upgrade("06c32cf470e7");
        MigrationRoundTripTest.insertOneOfEverything(db);
        db.closePool();
        forgetOurBookkeeping(db.url());
        execute(db.url(), "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))");
        execute(db.url(), "INSERT INTO alembic_version VALUES ('06c32cf470e7')");
        Map<String, String> rows = rowDigests(db.url());

        Migrator.Outcome o = m.upgrade("head");

        assertThat(o.notes()).first().asString().contains("(alembic_version 06c32cf470e7) at revision 06c32cf470e7");
        assertThat(o.applied()).containsExactly("3f9d1f1bec46", "4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
        assertThat(rowDigests(db.url())).isEqualTo(rows);
    }

    @EmptyDatabaseTest
    void aCreateAllDatabaseWithoutCascadesIsInferredToBeAtTheFirstRevision(TestDatabase db) throws Exception {
        Migrator m = new Migrator(db.url());
        m.upgrade("06c32cf470e7");
        forgetOurBookkeeping(db.url());

        Migrator.Outcome o = m.upgrade("head");

        assertThat(o.notes()).first().asString().contains("(no version table; foreign keys do not cascade) at revision 06c32cf470e7");
        assertThat(o.applied()).containsExactly("3f9d1f1bec46", "4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
    }

    @EmptyDatabaseTest
    void anUpgradeTargetOlderThanTheRecognisedRevisionIsRefusedBeforeAnythingIsRecorded(TestDatabase db) throws Exception {
        Migrator m = new Migrator(db.url());
        m.upgrade("3f9d1f1bec46");
        forgetOurBookkeeping(db.url());

        assertThatThrownBy(() -> m.upgrade("06c32cf470e7")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("the database is at 3f9d1f1bec46, newer than 06c32cf470e7");

        assertThat(m.current()).isEmpty();
        assertThat(m.upgrade("head").notes()).first().asString().contains("at revision 3f9d1f1bec46");
    }

    @EmptyDatabaseTest
    void anUnknownAlembicRevisionIsRefused(TestDatabase db) throws Exception {
        Migrator m = new Migrator(db.url());
        m.upgrade("3f9d1f1bec46");
        forgetOurBookkeeping(db.url());
        execute(db.url(), "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)");
        execute(db.url(), "INSERT INTO alembic_version VALUES ('9999aaaabbbb')");

        assertThatThrownBy(() -> m.upgrade("head")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("alembic_version is 9999aaaabbbb, which is not one of the original's revisions");
        assertThat(m.current()).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    static void forgetOurBookkeeping(DatabaseUrl url) throws SQLException {
        execute(url, "DROP TABLE databasechangelog");
        execute(url, "DROP TABLE databasechangeloglock");
    }

    static void execute(DatabaseUrl url, String sql) throws SQLException {
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static String alembicVersion(DatabaseUrl url) throws SQLException {
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    static List<String> tableNames(DatabaseUrl url) throws SQLException {
        try (Connection c = new Migrator(url).connect(); ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
            return out;
        }
    }

    static Map<String, Long> rowCounts(DatabaseUrl url) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement()) {
            for (String t : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"" + t + "\"")) {
                    rs.next();
                    out.put(t, rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** Columns the original's revisions after 3f9d1f1bec46 add (their values are derived from the others). */
    static final java.util.Set<String> LATER_COLUMNS = java.util.Set.of("file_name", "page_name", "page_dimension");

    private static boolean hasColumn(ResultSet rs, String column) throws SQLException {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            if (rs.getMetaData().getColumnName(i).equals(column)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A SHA-256 of every row of every table, ordered by id, values as text (bytes as hex), over the
     * seed revision's columns: at later revisions, the columns they add are left out and an
     * estimator's stored name is read from file_name, where 41149fa64bd2 keeps it.
     */
    static Map<String, String> rowDigests(DatabaseUrl url) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = new Migrator(url).connect(); Statement s = c.createStatement()) {
            for (String t : TABLES) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\" ORDER BY id")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            String column = rs.getMetaData().getColumnName(i);
                            if (LATER_COLUMNS.contains(column)) {
                                continue;
                            }
                            // from 41149fa64bd2 on, the name the original stored is kept in file_name
                            Object v = t.equals("Estimator") && column.equals("name") && hasColumn(rs, "file_name")
                                    ? rs.getObject("file_name") : rs.getObject(i);
                            String text = v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v);
                            md.update((column + "=" + text + "\u0001").getBytes(StandardCharsets.UTF_8));
                        }
                        md.update((byte) '\n');
                    }
                }
                out.put(t, HexFormat.of().formatHex(md.digest()));
            }
        }
        return out;
    }
}
