package io.yaptide.store.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.OriginalCredentials;
import io.yaptide.store.testing.OriginalDatabases;
import io.yaptide.store.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stores read what the original wrote, in the original's own databases, without conversion. */
class ResultStoreOnOriginalDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsResultsInputsAndLogfilesOfTheOriginalsSqliteDatabase(@TempDir Path dir) throws IOException {
        Path copy = dir.resolve("original.db");
        Files.copy(OriginalDatabases.sqliteFile(), copy, StandardCopyOption.REPLACE_EXISTING);
        try (Database db = Database.open(DatabaseUrl.parse("sqlite:///" + copy))) {
            assertReadsTheOriginalsData(new ResultStore(db));
        }
    }

    @Test
    void readsResultsInputsAndLogfilesOfTheOriginalsPostgresDatabase() throws IOException {
        DatabaseUrl url = TestDatabases.scratchPostgres("original");
        OriginalDatabases.loadPostgres(url);
        try (Database db = Database.open(url)) {
            assertReadsTheOriginalsData(new ResultStore(db));
        }
    }

    private static void assertReadsTheOriginalsData(ResultStore results) throws IOException {
        JsonNode fixture = JSON.readTree(Fixtures.readBytes("json_with_results.json"));
        int simulationsWithResults = 0;
        for (JsonNode sim : OriginalCredentials.json().get("simulations")) {
            long id = sim.get("simulation_id").asLong();
            if (sim.get("has_results").asBoolean()) {
                simulationsWithResults++;
                assertThat(StoredEstimators.asJson(results.resultSet(id))).as("simulation " + id)
                        .isEqualTo(fixture.get("estimators"));
                Estimator dose = results.estimator(id, "yz_profile_").orElseThrow();
                assertThat(results.pageNumbers(dose.id())).containsExactly(0, 1, 2);
            } else {
                assertThat(results.estimators(id)).isEmpty();
            }
            assertThat(results.input(id)).as("input of " + id).get()
                    .satisfies(i -> assertThat(i.data().json().isObject()).isTrue());
            assertThat(results.logfiles(id).isPresent()).as("logfiles of " + id).isEqualTo(sim.get("has_logfiles").asBoolean());
        }
        assertThat(simulationsWithResults).isPositive();
    }
}
