package io.yaptide.store.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.results.Payload;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The original's revisions since the seed as our chain runs them: each data step, each rollback,
 * the update keys carried over 4027fc5cbcb1, the realignment of a database recorded in our old
 * order, and the recognition of version-less ({@code create_all}) databases at later revisions.
 */
class OriginalRevisionsTest {

    /** An editor project whose outputs are listed in another order than the simulator's files. */
    private static final String FLUKA_PROJECT = """
            {"input_type": "EDITOR", "input_json": {"scoringManager": {"outputs": [
              {"name": "z_profile"}, {"name": "yz_profile"}, {"name": "entrance"}, {"name": "peak"}]}}}""";

    @EmptyDatabaseTest
    void estimatorNamesComeFromTheEditorProjectByFileNameAndGoBackOnRollback(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        m.upgrade("3f9d1f1bec46");
        db.jdbi().useTransaction(h -> {
            insertSimulation(h, 1, "EDITOR", "fluka", "sha256$" + "ab".repeat(32));
            insertSimulation(h, 2, "FILES", "shieldhit", null);
            insertSimulation(h, 3, "EDITOR", "shieldhit", null);
            h.createUpdate("INSERT INTO \"Input\" (id, simulation_id, compressed_data) VALUES (1, 1, :b)")
                    .bind("b", gzip(FLUKA_PROJECT)).execute();
            // stored alphabetically, as the simulator's files sort: not the project's order
            long id = 1;
            for (String name : List.of("entrance_", "peak_", "yz_profile_", "z_profile_")) {
                insertEstimator(h, id++, 1, name);
            }
            insertEstimator(h, id++, 2, "dose__");
            insertEstimator(h, id, 3, "fluence_");
        });
        db.closePool();

        m.upgrade("41149fa64bd2");
        assertThat(estimators(db)).containsExactly(
                List.of("entrance", "entrance_"), List.of("peak", "peak_"), List.of("yz_profile", "yz_profile_"),
                List.of("z_profile", "z_profile_"), List.of("dose", "dose__"), List.of("fluence", "fluence_"));

        m.downgrade("4027fc5cbcb1");
        List<String> names = db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM \"Estimator\" ORDER BY id").mapTo(String.class).list());
        assertThat(names).containsExactly("entrance_", "peak_", "yz_profile_", "z_profile_", "dose__", "fluence_");
        db.closePool();
        assertThat(SchemaSnapshot.read(db.url()).differencesFrom(ExpectedSchema.at(db.url(), "4027fc5cbcb1"), db.isPostgres())).isEmpty();
    }

    @EmptyDatabaseTest
    void pageNamesAndDimensionsComeFromEachPageAndPagesWithoutThemKeepTheDefaults(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        m.upgrade("41149fa64bd2");
        db.jdbi().useTransaction(h -> {
            insertSimulation(h, 1, "FILES", "shieldhit", null);
            insertEstimator(h, 1, 1, "dose_");
            insertPage(h, 1, 0, gzip("{\"metadata\": {\"name\": \"Dose\", \"page_number\": \"0\"}, \"dimensions\": 2, \"data\": {\"values\": [NaN, 1.5]}}"));
            insertPage(h, 2, 1, gzip("{\"metadata\": {\"name\": \"Fluence\"}, \"dimensions\": \"1\"}"));
            insertPage(h, 3, 2, null);
            insertPage(h, 4, 3, gzip("{\"metadata\": {}}"));
        });
        db.closePool();

        m.upgrade("5003b9acb1f4");
        List<String> pages = db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT page_number || ':' || page_name || ':' || page_dimension FROM \"Page\" ORDER BY id")
                .mapTo(String.class).list());
        assertThat(pages).containsExactly("0:Dose:2", "1:Fluence:1", "2::0", "3::0");
        db.closePool();

        m.downgrade("41149fa64bd2");
        assertThat(SchemaSnapshot.read(db.url()).differencesFrom(ExpectedSchema.at(db.url(), "41149fa64bd2"), db.isPostgres())).isEmpty();
        int count = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM \"Page\"").mapTo(Integer.class).one());
        db.closePool();
        assertThat(count).isEqualTo(4);
    }

    @EmptyDatabaseTest
    void updateKeyHashesAreCarriedOverTheOriginalsDropOfTheColumnAndBackOnRollback(TestDatabase db) {
        Migrator m = new Migrator(db.url());
        m.upgrade("3f9d1f1bec46");
        String hash = "sha256$" + "cd".repeat(32);
        db.jdbi().useTransaction(h -> {
            insertSimulation(h, 1, "FILES", "shieldhit", hash);
            insertSimulation(h, 2, "FILES", "shieldhit", null);
        });
        db.closePool();

        m.upgrade("5003b9acb1f4");
        // at the original's revisions the column is gone, exactly as the original has it
        assertThat(SchemaSnapshot.read(db.url()).tables().get("Simulation").column("update_key_hash")).isNull();
        m.upgrade("head");
        assertThat(keyHashes(db)).containsExactly(hash, null);
        assertThat(tables(db)).doesNotContain("yaptide_update_key_carry");

        m.downgrade("4027fc5cbcb1");
        assertThat(tables(db)).contains("yaptide_update_key_carry");
        m.downgrade("3f9d1f1bec46");
        assertThat(keyHashes(db)).containsExactly(hash, null);
        assertThat(tables(db)).doesNotContain("yaptide_update_key_carry");
        assertThat(SchemaSnapshot.read(db.url()).differencesFrom(ExpectedSchema.at(db.url(), "3f9d1f1bec46"), db.isPostgres())).isEmpty();
    }

    @EmptyDatabaseTest
    void aDatabaseRecordedInTheOldOrderIsRealignedAndKeepsItsKeys(TestDatabase db) throws Exception {
        Migrator m = new Migrator(db.url());
        m.upgrade("3f9d1f1bec46");
        String hash = "sha256$" + "ef".repeat(32);
        db.jdbi().useTransaction(h -> insertSimulation(h, 1, "FILES", "shieldhit", hash));
        db.closePool();
        recordIndexesInTheOldOrder(db);

        assertThat(m.misaligned()).isTrue();
        assertThat(m.current()).contains("3f9d1f1bec46");
        assertThatThrownBy(() -> m.stamp("head")).isInstanceOf(MigrationException.class).hasMessageContaining("realigns");

        Migrator.Outcome o = m.upgrade("head");

        assertThat(o.notes()).anyMatch(n -> n.startsWith("Realigned: b7e4c1a9d2f0"));
        assertThat(o.from()).isEqualTo("3f9d1f1bec46");
        assertThat(o.applied()).containsExactly("4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4", "b7e4c1a9d2f0", "c5a8e2f17d93", "e1c7a3d05b92", "a3d9e5f1c7b4", "d4f2b8e61a07");
        assertThat(m.misaligned()).isFalse();
        assertThat(m.applied()).extracting(Migrator.AppliedRevision::id).containsExactlyElementsOf(
                Migrator.revisions().stream().map(Revision::id).toList());
        assertThat(SchemaSnapshot.read(db.url()).differencesFrom(ExpectedSchema.at(db.url(), Migrator.headId()), db.isPostgres())).isEmpty();
        assertThat(keyHashes(db)).containsExactly(hash);
    }

    @EmptyDatabaseTest
    void aDowngradeOfADatabaseInTheOldOrderRealignsItFirst(TestDatabase db) throws Exception {
        Migrator m = new Migrator(db.url());
        m.upgrade("3f9d1f1bec46");
        recordIndexesInTheOldOrder(db);

        Migrator.Outcome o = m.downgrade("3f9d1f1bec46");

        assertThat(o.notes()).anyMatch(n -> n.startsWith("Realigned: b7e4c1a9d2f0"));
        assertThat(m.current()).contains("3f9d1f1bec46");
        assertThat(SchemaSnapshot.read(db.url()).differencesFrom(ExpectedSchema.at(db.url(), "3f9d1f1bec46"), db.isPostgres())).isEmpty();
    }

    @EmptyDatabaseTest
    void versionLessDatabasesAtTheOriginalsLaterRevisionsAreRecognisedFromTheirColumns(TestDatabase db) throws Exception {
        Migrator m = new Migrator(db.url());
        for (String revision : List.of("4027fc5cbcb1", "41149fa64bd2", "5003b9acb1f4")) {
            m.upgrade(revision);
            forgetEverything(db);
            Migrator.Outcome o = m.upgrade(revision);
            assertThat(o.notes()).first().asString().contains("no version table").contains("at revision " + revision);
            assertThat(m.current()).contains(revision);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** What an earlier Yaptide Store left: b7e4c1a9d2f0's indexes and its record right after 3f9d1f1bec46. */
    private static void recordIndexesInTheOldOrder(TestDatabase db) throws Exception {
        String indexes = new String(OriginalRevisionsTest.class.getResourceAsStream("/db/changelog/b7e4c1a9d2f0.xml").readAllBytes(),
                StandardCharsets.UTF_8);
        String create = indexes.substring(indexes.indexOf("CREATE INDEX"), indexes.indexOf("</sql>"));
        db.jdbi().useTransaction(h -> {
            for (String statement : create.split(";")) {
                if (!statement.isBlank()) {
                    h.execute(statement);
                }
            }
            h.execute("INSERT INTO databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype, md5sum,"
                    + " description, comments, tag, liquibase, contexts, labels, deployment_id)"
                    + " SELECT 'b7e4c1a9d2f0', author, 'db/changelog/b7e4c1a9d2f0.xml', dateexecuted, orderexecuted + 1, 'EXECUTED',"
                    + " NULL, description, comments, tag, liquibase, contexts, labels, deployment_id"
                    + " FROM databasechangelog WHERE id = '3f9d1f1bec46'");
        });
        db.closePool();
    }

    private static void forgetEverything(TestDatabase db) {
        db.jdbi().useHandle(h -> {
            h.execute("DROP TABLE databasechangelog");
            h.execute("DROP TABLE databasechangeloglock");
            h.execute("DROP TABLE IF EXISTS yaptide_update_key_carry");
        });
        db.closePool();
    }

    private static void insertSimulation(Handle h, long id, String inputType, String simType, String keyHash) {
        h.execute("INSERT INTO \"User\" (id, username, auth_provider) SELECT 1, 'ann', 'YaptideUser'"
                + " WHERE NOT EXISTS (SELECT 1 FROM \"User\" WHERE id = 1)");
        // update_key_hash only where the revision has it (not from 4027fc5cbcb1 to c5a8e2f17d93)
        var insert = h.createUpdate("INSERT INTO \"Simulation\" (id, job_id, user_id, title, platform, input_type, sim_type, job_state"
                        + (keyHash == null ? "" : ", update_key_hash") + ")"
                        + " VALUES (:id, :job, 1, 't', 'DIRECT', :inputType, :simType, 'RUNNING'" + (keyHash == null ? "" : ", :hash") + ")")
                .bind("id", id).bind("job", "job-" + id).bind("inputType", inputType).bind("simType", simType);
        if (keyHash != null) {
            insert.bind("hash", keyHash);
        }
        insert.execute();
    }

    private static void insertEstimator(Handle h, long id, long simulationId, String name) {
        h.createUpdate("INSERT INTO \"Estimator\" (id, simulation_id, name, compressed_data) VALUES (:id, :sim, :name, :data)")
                .bind("id", id).bind("sim", simulationId).bind("name", name).bind("data", gzip("{\"name\": \"" + name + "\"}")).execute();
    }

    private static void insertPage(Handle h, long id, int number, byte[] data) {
        h.createUpdate("INSERT INTO \"Page\" (id, estimator_id, page_number, compressed_data) VALUES (:id, 1, :n, :data)")
                .bind("id", id).bind("n", number).bind("data", data).execute();
    }

    private static byte[] gzip(String json) {
        return Payload.ofJsonBytes(json.getBytes(StandardCharsets.UTF_8)).compressed();
    }

    private static List<List<String>> estimators(TestDatabase db) {
        List<List<String>> out = db.jdbi().withHandle(h -> h.createQuery("SELECT name, file_name FROM \"Estimator\" ORDER BY id")
                .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2))).list());
        db.closePool();
        return out;
    }

    private static List<String> keyHashes(TestDatabase db) {
        List<String> out = db.jdbi().withHandle(h -> h.createQuery("SELECT update_key_hash FROM \"Simulation\" ORDER BY id")
                .map((rs, ctx) -> rs.getString(1)).list());
        db.closePool();
        return out;
    }

    private static List<String> tables(TestDatabase db) {
        List<String> out = db.jdbi().withHandle(h -> h.createQuery(db.isPostgres()
                ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                : "SELECT name FROM sqlite_master WHERE type = 'table'").mapTo(String.class).list());
        db.closePool();
        return out;
    }
}
