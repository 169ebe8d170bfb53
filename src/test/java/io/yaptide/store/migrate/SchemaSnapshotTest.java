package io.yaptide.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.util.List;

class SchemaSnapshotTest {

    @DatabaseTest
    void aHeadDatabaseReadsAsTheSeedsFourteenTablesWithKeysAndCascades(TestDatabase db) {
        SchemaSnapshot s = SchemaSnapshot.read(db.url());
        assertThat(s.tables().keySet()).containsExactlyInAnyOrderElementsOf(MigrationRoundTripTest.TABLES);
        SchemaSnapshot.Table task = s.tables().get("Task");
        assertThat(task.primaryKey().columns()).containsExactly("id");
        assertThat(task.uniques()).extracting(SchemaSnapshot.Key::columns).containsExactly(List.of("simulation_id", "task_id"));
        assertThat(task.foreignKeys()).singleElement().satisfies(fk -> {
            assertThat(fk.referencedTable()).isEqualTo("Simulation");
            assertThat(fk.onDelete()).isEqualTo("CASCADE");
        });
        assertThat(task.column("start_time").type()).isEqualTo(db.isPostgres() ? "TIMESTAMPTZ" : "DATETIME");
        assertThat(task.column("task_id").nullable()).isFalse();
        assertThat(s.tables().get("Page").indexes()).extracting(SchemaSnapshot.Index::columns)
                .containsExactly(List.of("estimator_id", "page_number"));
        assertThat(s.differencesFrom(ExpectedSchema.at(db.url(), Migrator.headId()), db.isPostgres())).isEmpty();
    }

    /**
     * The rule written in db/changelog/master.xml: the original's tools must keep working on an
     * upgraded database, so no revision after 3f9d1f1bec46 renames or removes what it had.
     */
    @EmptyDatabaseTest
    void everyTableAndColumnOfTheOriginalsLastRevisionSurvivesAtHeadUnchanged(TestDatabase db) {
        SchemaSnapshot original = ExpectedSchema.at(db.url(), "5003b9acb1f4");
        SchemaSnapshot head = ExpectedSchema.at(db.url(), Migrator.headId());
        for (SchemaSnapshot.Table t : original.tables().values()) {
            SchemaSnapshot.Table now = head.tables().get(t.name());
            assertThat(now).as(t.name()).isNotNull();
            assertThat(now.columns()).as(t.name()).containsAll(t.columns());
            assertThat(now.foreignKeys()).as(t.name()).containsAll(t.foreignKeys());
            assertThat(now.uniques()).as(t.name()).containsAll(t.uniques());
        }
    }

    @EmptyDatabaseTest
    void buildingTheExpectedSchemaLeavesNoScratchDatabaseBehind(TestDatabase db) {
        SchemaSnapshot built = ExpectedSchema.build(db.url(), "06c32cf470e7");
        assertThat(built.tables()).hasSize(14);
        if (db.isPostgres()) {
            List<String> left = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT datname FROM pg_database WHERE datname LIKE 'yaptide\\_expected\\_%'").mapTo(String.class).list());
            db.closePool();
            assertThat(left).isEmpty();
        }
    }

    @DatabaseTest
    void differencesNameTheTableColumnAndWhatChanged(TestDatabase db) {
        SchemaSnapshot expected = ExpectedSchema.at(db.url(), Migrator.headId());
        db.jdbi().useHandle(h -> h.execute("ALTER TABLE \"Cluster\" RENAME TO \"Clusters\""));
        db.closePool();
        assertThat(SchemaSnapshot.read(db.url()).differencesFrom(expected, db.isPostgres()))
                .contains("table \"Cluster\" is missing", "table \"Clusters\" is not expected");
    }
}
