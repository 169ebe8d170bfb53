package io.yaptide.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.util.List;
import org.jdbi.v3.core.Handle;

class MigrationRoundTripTest {

    @EmptyDatabaseTest
    void upgradesFromEmptyToHeadDowngradesToBaseAndUpgradesAgain(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        assertThat(m.current()).isEmpty();

        Migrator.Outcome up = m.upgrade("head");
        assertThat(up.applied()).containsExactly("06c32cf470e7", "3f9d1f1bec46", "4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
        assertThat(m.current()).contains(Migrator.headId());

        Migrator.Outcome down = m.downgrade("base");
        assertThat(down.applied()).containsExactly("d4f2b8e61a07", "a3d9e5f1c7b4", "e1c7a3d05b92", "c5a8e2f17d93", "b7e4c1a9d2f0", "5003b9acb1f4", "41149fa64bd2", "4027fc5cbcb1", "3f9d1f1bec46", "06c32cf470e7");
        assertThat(m.current()).isEmpty();
        assertThat(tableCount(db)).isZero();

        m.upgrade(null);
        assertThat(m.current()).contains(Migrator.headId());
        assertThat(tableCount(db)).isEqualTo(15);
    }

    @EmptyDatabaseTest
    void rowsSurviveEveryRevisionStepUpAndDown(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        m.upgrade("06c32cf470e7");
        insertOneOfEverything(db);
        String before = snapshot(db);

        m.upgrade("3f9d1f1bec46");
        assertThat(snapshot(db)).isEqualTo(before);
        m.upgrade("head");
        assertThat(m.current()).contains(Migrator.headId());
        assertThat(snapshot(db)).isEqualTo(before);
        m.downgrade("3f9d1f1bec46");
        assertThat(m.current()).contains("3f9d1f1bec46");
        assertThat(snapshot(db)).isEqualTo(before);
        m.downgrade("-1");
        assertThat(m.current()).contains("06c32cf470e7");
        assertThat(snapshot(db)).isEqualTo(before);
        m.upgrade("head");
        assertThat(snapshot(db)).isEqualTo(before);
    }

    @EmptyDatabaseTest
    void secondRevisionMakesDeletesCascadeAndItsRollbackUndoesThat(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        m.upgrade("06c32cf470e7");
        insertOneOfEverything(db);
        // before the cascade revision, a simulation with children cannot be deleted
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("DELETE FROM \"Simulation\" WHERE id = 1")))
                .hasMessageContaining("foreign key");
        db.closePool();

        m.upgrade("3f9d1f1bec46");
        db.jdbi().useHandle(h -> h.execute("DELETE FROM \"Simulation\""));
        db.jdbi().useHandle(h -> {
            for (String table : List.of("Task", "CeleryTask", "BatchTask", "Estimator", "Page", "Input", "Logfiles",
                    "CelerySimulation", "BatchSimulation")) {
                assertThat(count(h, table)).as(table).isZero();
            }
        });
    }

    @DatabaseTest
    void stampRecordsARevisionWithoutRunningIt(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        m.stamp("06c32cf470e7");
        assertThat(m.current()).contains("06c32cf470e7");
        assertThat(tableCount(db)).isEqualTo(15); // nothing was dropped
        m.stamp("head");
        assertThat(m.current()).contains(Migrator.headId());
        m.stamp("base");
        assertThat(m.current()).isEmpty();
        m.stamp("3f9d");
        assertThat(m.current()).contains("3f9d1f1bec46");
    }

    @DatabaseTest
    void unknownRevisionsAndImpossibleDirectionsAreRefusedClearly(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        assertThatThrownBy(() -> m.upgrade("deadbeef")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("unknown revision 'deadbeef'");
        assertThatThrownBy(() -> m.upgrade("06c32cf470e7")).isInstanceOf(MigrationException.class)
                .hasMessageContaining("db downgrade");
        assertThatThrownBy(() -> m.downgrade("-" + (Migrator.revisions().size() + 1))).isInstanceOf(MigrationException.class)
                .hasMessageContaining("out of range");
        assertThat(m.current()).contains(Migrator.headId());
    }

    @EmptyDatabaseTest
    void historyListsEveryRevisionWithItsParent() {
        List<Revision> all = Migrator.revisions();
        assertThat(all).extracting(Revision::id).containsExactly("06c32cf470e7", "3f9d1f1bec46", "4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
        assertThat(all.get(0).parent()).isNull();
        assertThat(all.get(1).parent()).isEqualTo("06c32cf470e7");
    }

    // ---- helpers --------------------------------------------------------------------------------

    static void insertOneOfEverything(TestDatabase db) {
        db.jdbi().useTransaction(h -> {
            h.execute("INSERT INTO \"User\" (id, username, auth_provider) VALUES (1, 'ann', 'YaptideUser')");
            h.execute("INSERT INTO \"YaptideUser\" (id, password_hash) VALUES (1, 'pbkdf2:sha256:1$s$h')");
            h.execute("INSERT INTO \"User\" (id, username, auth_provider) VALUES (2, 'kc', 'KeycloakUser')");
            h.execute("INSERT INTO \"KeycloakUser\" (id, cert, private_key) VALUES (2, 'c', 'k')");
            h.execute("INSERT INTO \"Cluster\" (id, cluster_name) VALUES (1, 'ares')");
            h.execute("INSERT INTO \"Simulation\" (id, job_id, user_id, title, platform, input_type, sim_type, job_state)"
                    + " VALUES (1, 'job-1', 1, 't', 'DIRECT', 'EDITOR', 'shieldhit', 'RUNNING')");
            h.execute("INSERT INTO \"CelerySimulation\" (id, merge_id) VALUES (1, 'm')");
            h.execute("INSERT INTO \"Simulation\" (id, job_id, user_id, title, platform, input_type, sim_type, job_state)"
                    + " VALUES (2, 'job-2', 2, 't', 'BATCH', 'FILES', 'fluka', 'PENDING')");
            h.execute("INSERT INTO \"BatchSimulation\" (id, cluster_id, job_dir, array_id, collect_id) VALUES (2, 1, '/x', 5, 6)");
            h.execute("INSERT INTO \"Task\" (id, simulation_id, task_id, requested_primaries, simulated_primaries, task_state, platform)"
                    + " VALUES (1, 1, 0, 100, 10, 'RUNNING', 'DIRECT')");
            h.execute("INSERT INTO \"CeleryTask\" (id, celery_id) VALUES (1, 'c-1')");
            h.execute("INSERT INTO \"Task\" (id, simulation_id, task_id, requested_primaries, simulated_primaries, task_state, platform)"
                    + " VALUES (2, 2, 0, 100, 0, 'PENDING', 'BATCH')");
            h.execute("INSERT INTO \"BatchTask\" (id) VALUES (2)");
            h.createUpdate("INSERT INTO \"Input\" (id, simulation_id, compressed_data) VALUES (1, 1, :b)").bind("b", new byte[] {1, 2}).execute();
            h.createUpdate("INSERT INTO \"Estimator\" (id, simulation_id, name, compressed_data) VALUES (1, 1, 'dose', :b)").bind("b", new byte[] {3}).execute();
            h.createUpdate("INSERT INTO \"Page\" (id, estimator_id, page_number, compressed_data) VALUES (1, 1, 0, :b)").bind("b", new byte[] {4}).execute();
            h.createUpdate("INSERT INTO \"Logfiles\" (id, simulation_id, compressed_data) VALUES (1, 1, :b)").bind("b", new byte[] {5}).execute();
        });
    }

    static final List<String> TABLES = List.of("User", "YaptideUser", "KeycloakUser", "Cluster", "Simulation",
            "CelerySimulation", "BatchSimulation", "Task", "CeleryTask", "BatchTask", "Input", "Estimator", "Page", "Logfiles");

    /** Every row of every table, as text, for before/after comparisons. */
    static String snapshot(TestDatabase db) {
        String s = db.jdbi().withHandle(h -> {
            StringBuilder sb = new StringBuilder();
            for (String t : TABLES) {
                sb.append(t).append(':');
                h.createQuery("SELECT * FROM \"" + t + "\" ORDER BY id").mapToMap().forEach(row -> {
                    row.forEach((k, v) -> {
                        if (!AdoptionTest.LATER_COLUMNS.contains(k)) { // derived by the data steps of later revisions
                            sb.append(k).append('=')
                                    .append(v instanceof byte[] b ? java.util.Arrays.toString(b) : String.valueOf(v)).append(',');
                        }
                    });
                    sb.append(';');
                });
                sb.append('\n');
            }
            return sb.toString();
        });
        db.closePool(); // let the migrator take the database
        return s;
    }

    static int count(Handle h, String table) {
        return h.createQuery("SELECT COUNT(*) FROM \"" + table + "\"").mapTo(Integer.class).one();
    }

    static int tableCount(TestDatabase db) {
        int n = db.jdbi().withHandle(h -> h.createQuery(db.isPostgres()
                ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'databasechangelog%'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'DATABASECHANGELOG%'")
                .mapTo(Integer.class).one());
        db.closePool();
        return n;
    }
}
