package io.yaptide.store.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.results.ResultSetCodec.EstimatorPages;
import java.util.List;

/**
 * A result set as the store reads it, as a JSON tree in the fixture's shape ({@code [{"metadata",
 * "name", "pages"}]}), to compare with {@code json_with_results.json}. The service's own writer of
 * that body is {@code http/ResultSetBody}, tested in {@code http/ResultSetBodyTest}.
 */
final class StoredEstimators {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredEstimators() {
    }

    static JsonNode asJson(List<EstimatorPages> set) {
        ArrayNode estimators = JSON.createArrayNode();
        for (EstimatorPages e : set) {
            ObjectNode o = estimators.addObject();
            o.set("metadata", e.estimator().metadata() == null ? JSON.nullNode() : e.estimator().metadata().json());
            o.put("name", e.estimator().name());
            ArrayNode pages = o.putArray("pages");
            e.pages().forEach(p -> pages.add(p.data() == null ? JSON.nullNode() : p.data().json()));
        }
        return estimators;
    }
}
