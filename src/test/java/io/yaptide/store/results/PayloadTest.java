package io.yaptide.store.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.OriginalDatabases;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class PayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pagesAndEstimatorsTheOriginalStoredInPostgresDecodeToTheFixtureJson() {
        FixtureResults expected = FixtureResults.load();
        Map<String, String> estimatorNames = new HashMap<>();
        List<Map<String, String>> estimators = OriginalDatabases.postgresRows("Estimator");
        for (Map<String, String> e : estimators) {
            estimatorNames.put(e.get("id"), e.get("name"));
            Payload stored = Payload.ofCompressed(OriginalDatabases.bytea(e.get("compressed_data")));
            assertThat(stored.json()).as(e.get("name")).isEqualTo(expected.metadata(e.get("name")));
        }
        List<Map<String, String>> pages = OriginalDatabases.postgresRows("Page");
        for (Map<String, String> p : pages) {
            String estimator = estimatorNames.get(p.get("estimator_id"));
            int number = Integer.parseInt(p.get("page_number"));
            Payload stored = Payload.ofCompressed(OriginalDatabases.bytea(p.get("compressed_data")));
            assertThat(stored.json()).as(estimator + " page " + number).isEqualTo(expected.page(estimator, number));
        }
        assertThat(estimators).hasSize(72);
        assertThat(pages).hasSize(378);
    }

    @Test
    void pagesAndEstimatorsTheOriginalStoredInSqliteDecodeToTheFixtureJson() throws SQLException {
        FixtureResults expected = FixtureResults.load();
        int pages = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + OriginalDatabases.sqliteFile());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT e.name, e.compressed_data AS estimator, p.page_number, p.compressed_data AS page
                        FROM "Page" p JOIN "Estimator" e ON e.id = p.estimator_id""")) {
            while (rs.next()) {
                String name = rs.getString("name");
                int number = rs.getInt("page_number");
                assertThat(Payload.ofCompressed(rs.getBytes("estimator")).json()).isEqualTo(expected.metadata(name));
                assertThat(Payload.ofCompressed(rs.getBytes("page")).json()).as(name + " page " + number)
                        .isEqualTo(expected.page(name, number));
                pages++;
            }
        }
        assertThat(pages).isEqualTo(378);
    }

    @Test
    void inputsAndLogfilesTheOriginalStoredDecodeToJsonObjects() {
        for (String table : List.of("Input", "Logfiles")) {
            List<Map<String, String>> rows = OriginalDatabases.postgresRows(table);
            assertThat(rows).as(table).isNotEmpty();
            for (Map<String, String> row : rows) {
                JsonNode json = Payload.ofCompressed(OriginalDatabases.bytea(row.get("compressed_data"))).json();
                assertThat(json.isObject()).as(table + " " + row.get("id")).isTrue();
                assertThat(json.size()).isPositive();
            }
        }
    }

    @Test
    void oursRoundTripAndAreReadableByAPlainGzipReader() throws IOException {
        byte[] file = Fixtures.readBytes("json_with_results.json");
        JsonNode tree = JSON.readTree(file);

        Payload fromTree = Payload.ofJson(tree);
        Payload fromBytes = Payload.ofJsonBytes(file);

        assertThat(fromTree.json()).isEqualTo(tree);
        assertThat(fromBytes.jsonBytes()).isEqualTo(file);
        try (GZIPInputStream plain = new GZIPInputStream(new ByteArrayInputStream(fromBytes.compressed()))) {
            assertThat(plain.readAllBytes()).isEqualTo(file);
        }
        try (GZIPInputStream plain = new GZIPInputStream(new ByteArrayInputStream(fromTree.compressed()))) {
            assertThat(JSON.readTree(plain)).isEqualTo(tree);
        }
        assertThat(fromBytes.compressedSize()).isLessThan(file.length / 4);
    }

    @Test
    void everyLevelWritesTheSameJson() {
        byte[] json = "{\"page\": [1, 2, 3], \"name\": \"zażółć\"}".getBytes(StandardCharsets.UTF_8);
        for (int level = 1; level <= 9; level++) {
            assertThat(Payload.ofJsonBytes(json, 0, json.length, level).jsonBytes()).as("level " + level).isEqualTo(json);
        }
        assertThatThrownBy(() -> Payload.ofJsonBytes(json, 0, json.length, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSliceOfABufferIsCompressedAlone() {
        byte[] buffer = "xx{\"a\":1}yy".getBytes(StandardCharsets.US_ASCII);
        assertThat(Payload.ofJsonBytes(buffer, 2, 7).json()).isEqualTo(JSON.createObjectNode().put("a", 1));
    }

    @Test
    void storedBytesAreHandedOutAsTheyAre() {
        byte[] original = OriginalDatabases.bytea(OriginalDatabases.postgresRows("Page").get(0).get("compressed_data"));
        Payload p = Payload.ofCompressed(original);
        assertThat(p.compressed()).isSameAs(original);
        assertThat(p.compressedSize()).isEqualTo(original.length);
    }

    @Test
    void bytesThatAreNotGzipFailWithAClearMessage() {
        Payload broken = Payload.ofCompressed("not gzip".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(broken::json).isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot be decoded");
        assertThatThrownBy(broken::jsonBytes).isInstanceOf(UncheckedIOException.class).hasMessageContaining("not valid gzip");
    }

    /** The estimators of json_with_results.json: the results the fixture databases hold. */
    record FixtureResults(Map<String, JsonNode> estimators) {
        static FixtureResults load() {
            try {
                Map<String, JsonNode> byName = new HashMap<>();
                for (JsonNode e : JSON.readTree(Fixtures.readBytes("json_with_results.json")).get("estimators")) {
                    byName.put(e.get("name").asText(), e);
                }
                return new FixtureResults(byName);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        JsonNode metadata(String estimator) {
            return estimators.get(estimator).get("metadata");
        }

        JsonNode page(String estimator, int number) {
            for (JsonNode p : estimators.get(estimator).get("pages")) {
                if (p.get("metadata").get("page_number").asInt() == number) {
                    return p;
                }
            }
            throw new AssertionError("no page " + number + " in estimator " + estimator + " of the fixture");
        }
    }
}
