package io.yaptide.store.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.results.ResultSetCodec.EstimatorPages;
import io.yaptide.store.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultSetCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decodesTheFixtureResultSetIntoEstimatorsWithTheirPageNumbers() throws IOException {
        byte[] file = Fixtures.readBytes("json_with_results.json");
        JsonNode expected = JSON.readTree(file);

        List<EstimatorResult> decoded = ResultSetCodec.decode(file);

        assertThat(decoded).extracting(EstimatorResult::name)
                .containsExactly("yz_profile_", "entrance_", "z_profile_", "peak_");
        for (int e = 0; e < decoded.size(); e++) {
            JsonNode estimator = expected.get("estimators").get(e);
            EstimatorResult result = decoded.get(e);
            assertThat(result.metadata().json()).isEqualTo(estimator.get("metadata"));
            assertThat(result.pages()).hasSize(estimator.get("pages").size());
            for (int p = 0; p < result.pages().size(); p++) {
                JsonNode page = estimator.get("pages").get(p);
                assertThat(result.pages().get(p).pageNumber())
                        .isEqualTo(Integer.parseInt(page.get("metadata").get("page_number").asText()));
                assertThat(result.pages().get(p).data().json()).isEqualTo(page); // the whole page, metadata included
            }
        }
    }

    @Test
    void aPageWithoutAPageNumberGetsItsIndexAndNumericPageNumbersAreAccepted() {
        String json = """
                {"estimators": [{"name": "e", "metadata": {"k": 1}, "pages": [
                  {"metadata": {"page_number": 7}, "data": [1]},
                  {"data": [2]},
                  {"metadata": {"unit": "MeV"}, "data": [3]}]}]}""";

        List<EstimatorResult> decoded = ResultSetCodec.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(decoded.get(0).pages()).extracting(EstimatorResult.PageData::pageNumber).containsExactly(7, 1, 2);
    }

    @Test
    void aRepeatedPageNumberKeepsTheLaterPage() {
        String json = """
                {"estimators": [{"name": "e", "metadata": {}, "pages": [
                  {"metadata": {"page_number": "0"}, "v": "old"},
                  {"metadata": {"page_number": "1"}, "v": "one"},
                  {"metadata": {"page_number": "0"}, "v": "new"}]}]}""";

        List<EstimatorResult.PageData> pages = ResultSetCodec.decode(json.getBytes(StandardCharsets.UTF_8)).get(0).pages();

        assertThat(pages).extracting(EstimatorResult.PageData::pageNumber).containsExactly(1, 0);
        assertThat(pages.get(1).data().json().get("v").asText()).isEqualTo("new");
    }

    @Test
    void otherTopLevelFieldsAreIgnoredAndMissingMetadataIsNull() {
        String json = """
                {"simulation_id": 3, "update_key": "k", "estimators": [{"pages": [], "name": "e"}]}""";

        List<EstimatorResult> decoded = ResultSetCodec.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(decoded).singleElement().satisfies(e -> {
            assertThat(e.metadata()).isNull();
            assertThat(e.pages()).isEmpty();
        });
    }

    @Test
    void rejectsResultSetsOfAnotherShapeWithAMessageSayingWhat() {
        assertInvalid("[1,2]", "a result set must be a JSON object");
        assertInvalid("{\"message\": \"x\"}", "no \"estimators\" list");
        assertInvalid("{\"estimators\": {}}", "\"estimators\" must be a list");
        assertInvalid("{\"estimators\": [{\"pages\": []}]}", "estimator #0 has no \"name\"");
        assertInvalid("{\"estimators\": [{\"name\": 5, \"pages\": []}]}", "estimator #0 needs a non-empty \"name\" string");
        assertInvalid("{\"estimators\": [{\"name\": \"e\"}]}", "estimator e has no \"pages\" list");
        assertInvalid("{\"estimators\": [{\"name\": \"e\", \"pages\": [3]}]}", "page #0 must be an object");
        assertInvalid("{\"estimators\": [{\"name\": \"e\", \"pages\": [{\"metadata\": {\"page_number\": \"x\"}}]}]}",
                "page_number \"x\" is not an integer");
        assertInvalid("{\"estimators\": [", "not valid JSON");
        assertInvalid("{\"estimators\": []} {}", "unexpected content after");
        assertInvalid("{\"estimators\": [{\"name\": \"e\", \"pages\": [{\"metadata\": {\"page_number\": 99999999999}}]}]}",
                "not valid JSON");
    }

    private static void assertInvalid(String json, String problem) {
        assertThatThrownBy(() -> ResultSetCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .as(json).isInstanceOf(InvalidResultSetException.class).hasMessageContaining(problem);
    }
}
