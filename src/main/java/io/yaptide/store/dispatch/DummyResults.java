package io.yaptide.store.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The result set the dummy simulator posts: a file in the workers' {@code {"estimators": [...]}}
 * shape when configured (such as the original's {@code json_with_results.json}), else a small
 * generated one in the same shape: a depth-dose profile (1-D, two pages) and a point dose (0-D).
 */
final class DummyResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DummyResults() {
    }

    /** The {@code estimators} array of the file, or a generated one for {@code primaries}. */
    static ArrayNode load(String file, long primaries) {
        if (file == null) {
            return generated(primaries);
        }
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(Path.of(file)));
            JsonNode estimators = root.isArray() ? root : root.path("estimators");
            if (!estimators.isArray()) {
                throw new IllegalStateException("dummy results file " + file + " has no \"estimators\" list");
            }
            return (ArrayNode) estimators;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dummy results file " + file + ": " + e.getMessage(), e);
        }
    }

    static ArrayNode generated(long primaries) {
        ArrayNode estimators = JSON.createArrayNode();
        int bins = 100;
        ObjectNode profile = estimator("z_profile_", primaries, 2);
        ArrayNode pages = profile.putArray("pages");
        for (int page = 0; page < 2; page++) {
            ObjectNode p = page(page, page == 0 ? "DOSE" : "FLUENCE", page == 0 ? "MeV/g" : "/cm2", 1);
            ArrayNode values = ((ObjectNode) p.get("data")).putArray("values");
            ArrayNode positions = p.putObject("axis_dim1").put("name", "Position (Z)").put("unit", "cm").putArray("values");
            for (int i = 0; i < bins; i++) {
                double z = 0.05 * i + 0.025;
                // a Bragg-like curve: slow rise, sharp peak near 4 cm, nothing behind it
                double dose = z < 4.2 ? 0.07 + 0.02 * z + 0.9 * Math.exp(-Math.pow((z - 4.0) / 0.12, 2)) : 0.0;
                values.add(page == 0 ? dose : (z < 4.2 ? 1.0 - 0.02 * z : 0.0));
                positions.add(z);
            }
            pages.add(p);
        }
        estimators.add(profile);
        ObjectNode point = estimator("peak_", primaries, 1);
        ObjectNode p = page(0, "DOSE", "MeV/g", 0);
        ((ObjectNode) p.get("data")).putArray("values").add(0.3025);
        point.putArray("pages").add(p);
        estimators.add(point);
        return estimators;
    }

    private static ObjectNode estimator(String name, long primaries, int pages) {
        ObjectNode e = JSON.createObjectNode();
        e.put("name", name);
        e.putObject("metadata").put("file_corename", name).put("mc_code_version", "dummy")
                .put("number_of_primaries", Long.toString(primaries)).put("page_count", Integer.toString(pages));
        return e;
    }

    private static ObjectNode page(int number, String quantity, String unit, int dimensions) {
        ObjectNode p = JSON.createObjectNode();
        p.putObject("data").put("name", quantity).put("unit", unit);
        p.put("dimensions", Integer.toString(dimensions));
        p.putObject("metadata").put("name", quantity).put("unit", unit).put("page_number", Integer.toString(number));
        return p;
    }
}
