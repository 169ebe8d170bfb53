package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** db check and db diagram through the command line, on both engines. */
class SchemaCommandsTest {

    record Result(int code, String out, String err) {
    }

    static Result run(TestDatabase db, String... command) {
        db.closePool();
        String[] args = new String[command.length + 2];
        args[0] = "--db";
        args[1] = db.url().render(true);
        System.arraycopy(command, 0, args, 2, command.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @DatabaseTest
    void checkPassesOnAMigratedDatabase(TestDatabase db) {
        Result r = run(db, "db", "check");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("matches revision " + Migrator.headId() + " (head): 14 tables checked");
    }

    @EmptyDatabaseTest
    void checkComparesWithTheDatabasesOwnRevision(TestDatabase db) {
        new Migrator(db.url()).upgrade("06c32cf470e7");
        Result r = run(db, "db", "check");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("matches revision 06c32cf470e7:");
    }

    @DatabaseTest
    void checkPrintsEveryDifferenceAndExitsWith6(TestDatabase db) {
        db.jdbi().useHandle(h -> {
            h.execute("DROP INDEX \"ix_Input_simulation_id\"");
            h.execute("ALTER TABLE \"Cluster\" ADD COLUMN region VARCHAR");
            h.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)");
        });
        Result r = run(db, "db", "check");
        assertThat(r.code()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(r.out()).contains("differs from revision " + Migrator.headId() + " (head):")
                .contains("  - index \"Input\".ix_Input_simulation_id is missing")
                .contains("  - column \"Cluster\".region (VARCHAR) is not expected")
                .contains("  - table \"notes\" is not expected")
                .contains("3 differences");
    }

    @DatabaseTest
    void checkNamesAForeignKeyThatLostItsCascade(TestDatabase db) {
        if (db.isPostgres()) {
            db.jdbi().useHandle(h -> {
                h.execute("ALTER TABLE \"Page\" DROP CONSTRAINT \"Page_estimator_id_fkey\"");
                h.execute("ALTER TABLE \"Page\" ADD CONSTRAINT \"Page_estimator_id_fkey\" FOREIGN KEY (estimator_id) REFERENCES \"Estimator\" (id)");
            });
        } else {
            db.jdbi().useHandle(h -> {
                h.execute("PRAGMA writable_schema = ON"); // SQLite cannot alter a foreign key; edit the stored DDL as a careless operator might
                h.execute("UPDATE sqlite_master SET sql = replace(sql, '(id) ON DELETE CASCADE', '(id)') WHERE name = 'Page'");
                h.execute("PRAGMA writable_schema = OFF");
            });
        }
        Result r = run(db, "db", "check");
        assertThat(r.code()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(r.out()).contains("  - foreign key \"Page\"(estimator_id) -> \"Estimator\"(id) has ON DELETE NO ACTION, expected CASCADE");
    }

    @DatabaseTest
    void theReadmeDataModelSectionIsExactlyTheOutputOfDbDiagram(TestDatabase db) throws IOException {
        Result r = run(db, "db", "diagram");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("class SimulationModel {").contains("UserModel <|-- YaptideUserModel")
                .contains("SimulationModel \"1\" *-- \"0..*\" EstimatorModel : simulation_id");
        String readme = Files.readString(Path.of("docs", "data-model.md"));
        int start = readme.indexOf("\n## Data model\n");
        assertThat(start).as("docs/data-model.md has a '## Data model' section").isPositive();
        int bodyStart = readme.indexOf('\n', start + 1) + 1;
        int end = readme.indexOf("\n## ", bodyStart);
        String section = readme.substring(bodyStart, end < 0 ? readme.length() : end + 1).strip();
        assertThat(section).as("docs/data-model.md; regenerate it with bin/yaptide db diagram on a head database")
                .isEqualTo(r.out().strip());
    }

    @EmptyDatabaseTest
    void diagramOfAnEmptyDatabaseSaysToUpgradeFirst(TestDatabase db) {
        Result r = run(db, "db", "diagram");
        assertThat(r.code()).isEqualTo(ExitCode.MIGRATION);
        assertThat(r.err()).contains("has no tables; run 'db upgrade' first");
    }
}
