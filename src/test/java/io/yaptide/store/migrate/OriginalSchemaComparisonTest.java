package io.yaptide.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.testing.OriginalDatabases;
import io.yaptide.store.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 2, item 3: on PostgreSQL the schema after revision 3f9d1f1bec46 equals the one the original
 * produced, compared through information_schema column by column and constraint by constraint.
 * PostgreSQL only by nature: the original's PostgreSQL dump is the reference.
 */
class OriginalSchemaComparisonTest {

    private static final String OURS_EXCLUDED = "('alembic_version', 'databasechangelog', 'databasechangeloglock')";

    private static DatabaseUrl original;
    private static DatabaseUrl ours;

    @BeforeAll
    static void loadBoth() {
        original = OriginalDatabases.loadPostgres();
        ours = TestDatabases.scratchPostgres("ours");
        new Migrator(ours).upgrade("3f9d1f1bec46");
    }

    @Test
    void everyColumnHasTheOriginalsPositionTypeNullabilityAndDefault() throws SQLException {
        String sql = "SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length,"
                + " is_nullable, column_default FROM information_schema.columns"
                + " WHERE table_schema = 'public' AND table_name NOT IN " + OURS_EXCLUDED
                + " ORDER BY table_name, ordinal_position";
        List<String> expected = rows(original, sql);
        assertThat(expected).hasSize(56); // 14 tables of the seed, as the dump holds them
        assertThat(rows(ours, sql)).containsExactlyElementsOf(expected);
    }

    @Test
    void everySequenceIsTheOriginals() throws SQLException {
        String sql = "SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences"
                + " WHERE sequence_schema = 'public' ORDER BY sequence_name";
        List<String> expected = rows(original, sql);
        assertThat(expected).hasSize(8);
        assertThat(rows(ours, sql)).containsExactlyElementsOf(expected);
    }

    @Test
    void everyConstraintHasTheOriginalsNameTypeColumnsReferenceAndDeleteRule() throws SQLException {
        String sql = "SELECT tc.table_name, tc.constraint_name, tc.constraint_type,"
                + " (SELECT string_agg(k.column_name, ',' ORDER BY k.ordinal_position) FROM information_schema.key_column_usage k"
                + "   WHERE k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name"
                + "   AND k.table_name = tc.table_name) AS columns,"
                + " (SELECT string_agg(DISTINCT u.table_name || '.' || u.column_name, ',') FROM information_schema.constraint_column_usage u"
                + "   WHERE tc.constraint_type = 'FOREIGN KEY' AND u.constraint_schema = tc.constraint_schema"
                + "   AND u.constraint_name = tc.constraint_name) AS referenced,"
                + " rc.delete_rule, rc.update_rule"
                + " FROM information_schema.table_constraints tc"
                + " LEFT JOIN information_schema.referential_constraints rc"
                + "   ON rc.constraint_schema = tc.constraint_schema AND rc.constraint_name = tc.constraint_name"
                + " WHERE tc.table_schema = 'public' AND tc.table_name NOT IN " + OURS_EXCLUDED
                + " AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')"
                + " ORDER BY tc.table_name, tc.constraint_name";
        List<String> expected = rows(original, sql);
        assertThat(expected).hasSize(14 + 3 + 13);
        assertThat(expected).anyMatch(r -> r.contains("Task_simulation_id_fkey") && r.contains("CASCADE"));
        assertThat(rows(ours, sql)).containsExactlyElementsOf(expected);
    }

    @Test
    void theIndexesAreTheOriginalsAtThisRevision() throws SQLException {
        String sql = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
                + " AND tablename NOT IN " + OURS_EXCLUDED + " ORDER BY tablename, indexname";
        List<String> expected = rows(original, sql);
        assertThat(rows(ours, sql)).containsExactlyElementsOf(expected);
    }

    static List<String> rows(DatabaseUrl url, String sql) throws SQLException {
        Properties p = new Properties();
        url.user().ifPresent(u -> p.setProperty("user", u));
        url.password().ifPresent(pw -> p.setProperty("password", pw));
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), p); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
