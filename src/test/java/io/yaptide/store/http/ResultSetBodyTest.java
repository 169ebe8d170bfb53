package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.results.Estimator;
import io.yaptide.store.results.EstimatorResult;
import io.yaptide.store.results.Payload;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultSetCodec;
import io.yaptide.store.results.ResultSetCodec.EstimatorPages;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The one writer of the original's {@code GET /results} body, as the service sends it (plain and gzip). */
class ResultSetBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode plain(JsonParts body) throws IOException {
        return JSON.readTree(body.identity());
    }

    private static JsonNode gunzipped(JsonParts body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.gzip()))) {
            return JSON.readTree(in.readAllBytes());
        }
    }

    @Test
    void writesTheOriginalsResultsResponseAroundTheStoredJson() throws IOException {
        Estimator dose = new Estimator(1, 9, "dose", Payload.ofJson(JSON.readTree("{\"unit\": \"Gy\"}")));
        Estimator bare = new Estimator(2, 9, "bare\"quoted", null);
        List<EstimatorPages> set = List.of(
                new EstimatorPages(dose, List.of(
                        new ResultPage(10, 1, 0, Payload.ofJson(JSON.readTree("{\"metadata\": {\"page_number\": \"0\"}}"))),
                        new ResultPage(11, 1, 1, Payload.ofJson(JSON.readTree("{\"metadata\": {\"page_number\": \"1\"}}"))))),
                new EstimatorPages(bare, List.of()));

        JsonParts body = ResultSetBody.of("Results for job: J", set);

        JsonNode expected = JSON.readTree("""
                {"message": "Results for job: J", "estimators": [
                  {"metadata": {"unit": "Gy"}, "name": "dose",
                   "pages": [{"metadata": {"page_number": "0"}}, {"metadata": {"page_number": "1"}}]},
                  {"metadata": null, "name": "bare\\"quoted", "pages": []}]}""");
        assertThat(plain(body)).isEqualTo(expected);
        assertThat(gunzipped(body)).isEqualTo(expected);
    }

    @Test
    void decodingThenWritingGivesBackTheFixtureEstimators() throws IOException {
        byte[] file = Fixtures.readBytes("json_with_results.json");
        List<EstimatorPages> set = new ArrayList<>();
        long id = 1;
        for (EstimatorResult e : ResultSetCodec.decode(file)) {
            long estimatorId = id++;
            set.add(new EstimatorPages(new Estimator(estimatorId, 1, e.name(), e.metadata()),
                    e.pages().stream().map(p -> new ResultPage(0, estimatorId, p.pageNumber(), p.data())).toList()));
        }

        JsonNode body = plain(ResultSetBody.of("Results for job: x", set));

        assertThat(body.get("estimators")).isEqualTo(JSON.readTree(file).get("estimators"));
        assertThat(body.get("message").asText()).isEqualTo("Results for job: x");
    }

    @DatabaseTest
    void aStoredResultSetIsServedAsTheOriginalServedIt(TestDatabase db) throws IOException {
        ResultStore results = new ResultStore(db.database());
        long sim = SeedRows.directSimulation(db.jdbi(), null, 1);
        byte[] file = Fixtures.readBytes("json_with_results.json");
        results.storeResults(sim, ResultSetCodec.decode(file));

        JsonParts body = ResultSetBody.of("Results for job: j", results.resultSet(sim));

        assertThat(plain(body).get("estimators")).isEqualTo(JSON.readTree(file).get("estimators"));
        assertThat(gunzipped(body).get("estimators")).isEqualTo(JSON.readTree(file).get("estimators"));
    }
}
