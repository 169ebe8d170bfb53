package io.yaptide.store.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.testing.Fixtures;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The dummy simulator's generated results have the shapes of a real worker's (the fixture), keys
 * and JSON types compared recursively: the front end reads them with the same code, and tests such
 * as {@code dimensions === 1} fail on a string.
 */
class DummyResultsShapeTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void generatedEstimatorsAndPagesHaveTheShapesOfARealWorkersResults() throws Exception {
        JsonNode fixture = JSON.readTree(Fixtures.read("json_with_results.json")).path("estimators");
        JsonNode generated = DummyResults.generated(1000);
        assertThat(generated.size()).isGreaterThanOrEqualTo(3);

        Object fixtureMetadata = shape(fixture.path(0).path("metadata"));
        Set<Integer> dimensionsSeen = new LinkedHashSet<>();
        for (JsonNode estimator : generated) {
            String name = estimator.path("name").asText();
            assertThat(estimatorShapeWithoutPages(estimator)).as(name).isEqualTo(estimatorShapeWithoutPages(fixture.path(0)));
            assertThat(shape(estimator.path("metadata"))).as(name + " metadata").isEqualTo(fixtureMetadata);
            assertThat(estimator.path("metadata").path("page_count").asText())
                    .isEqualTo(Integer.toString(estimator.path("pages").size()));
            for (JsonNode page : estimator.path("pages")) {
                Set<Object> twins = fixturePageShapes(fixture, page.path("dimensions").asInt(), page.path("metadata").path("dettyp").asText());
                assertThat(twins).as(name + ": fixture pages of the same dimensions and quantity").isNotEmpty();
                assertThat(twins).as(name + " page " + page.path("metadata").path("page_number")).contains(shape(page));
                dimensionsSeen.add(page.path("dimensions").intValue());
            }
        }
        assertThat(dimensionsSeen).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void shapesTellNumbersFromStrings() throws Exception {
        assertThat(shape(JSON.readTree("{\"dimensions\": 1}"))).isNotEqualTo(shape(JSON.readTree("{\"dimensions\": \"1\"}")));
        assertThat(shape(JSON.readTree("{\"v\": [1, 2.5]}"))).isEqualTo(shape(JSON.readTree("{\"v\": [0.5]}")));
        assertThat(shape(JSON.readTree("{\"a\": {}}"))).isNotEqualTo(shape(JSON.readTree("{\"b\": {}}")));
    }

    /** The shapes of the fixture's pages of these dimensions and this quantity (with or without a filter). */
    private static Set<Object> fixturePageShapes(JsonNode fixture, int dimensions, String quantity) {
        Set<Object> shapes = new LinkedHashSet<>();
        for (JsonNode estimator : fixture) {
            for (JsonNode page : estimator.path("pages")) {
                if (page.path("dimensions").asInt() == dimensions && page.path("metadata").path("dettyp").asText().equals(quantity)) {
                    shapes.add(shape(page));
                }
            }
        }
        return shapes;
    }

    private static Object estimatorShapeWithoutPages(JsonNode estimator) {
        @SuppressWarnings("unchecked")
        Map<String, Object> shape = (Map<String, Object>) shape(estimator);
        shape.put("pages", "array");
        shape.put("metadata", "object");
        return shape;
    }

    /** Keys and JSON types, recursively; an array's shape is the set of its elements' shapes. */
    static Object shape(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> fields = new TreeMap<>();
            node.fields().forEachRemaining(f -> fields.put(f.getKey(), shape(f.getValue())));
            return fields;
        }
        if (node.isArray()) {
            Set<Object> elements = new LinkedHashSet<>();
            node.forEach(e -> elements.add(shape(e)));
            return Map.of("array of", elements);
        }
        return node.getNodeType().name().toLowerCase();
    }
}
