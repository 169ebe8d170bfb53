package io.yaptide.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Each purpose's connection has the settings its purpose needs, read back from the live session:
 * on SQLite foreign keys on everywhere but in a migration, WAL only where the stores write; on
 * PostgreSQL the purpose's {@code application_name} (what the crash tests and an operator's
 * {@code pg_stat_activity} go by).
 */
class ConnectionPurposeTest {

    @DatabaseTest
    void eachPurposeGetsTheSessionItNeeds(TestDatabase db) throws SQLException {
        for (ConnectionPurpose purpose : ConnectionPurpose.values()) {
            try (Connection c = Connections.connect(db.url(), purpose)) {
                if (db.isPostgres()) {
                    assertThat(text(c, "SHOW application_name")).as("%s", purpose).isEqualTo(purpose.applicationName());
                } else {
                    assertThat(text(c, "PRAGMA foreign_keys")).as("%s foreign keys", purpose)
                            .isEqualTo(purpose == ConnectionPurpose.MIGRATION ? "0" : "1");
                    assertThat(text(c, "PRAGMA busy_timeout")).as("%s busy timeout", purpose).isEqualTo("30000");
                }
            }
        }
        assertThat(ConnectionPurpose.SERVICE.applicationName()).isEqualTo("yaptide-store");
        assertThat(ConnectionPurpose.MIGRATION.applicationName()).isEqualTo("yaptide-store-migrate");
    }

    @DatabaseTest
    void thePoolAndTheAdminConnectionRunTheStoresSettings(TestDatabase db) throws SQLException {
        Database pool = db.database();
        try (Database single = Database.openSingleConnection(db.url())) {
            for (Database d : new Database[] {pool, single}) {
                d.jdbi().useHandle(h -> {
                    Connection c = h.getConnection();
                    if (db.isPostgres()) {
                        assertThat(text(c, "SHOW application_name")).isEqualTo("yaptide-store");
                    } else {
                        assertThat(text(c, "PRAGMA foreign_keys")).isEqualTo("1");
                        assertThat(text(c, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
                    }
                });
            }
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
