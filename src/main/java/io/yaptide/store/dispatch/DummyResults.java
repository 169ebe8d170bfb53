package io.yaptide.store.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The result set the dummy simulator posts: a file in the workers' {@code {"estimators": [...]}}
 * shape when configured (such as the original's {@code json_with_results.json}), else a small
 * generated one in the same shapes (see {@link #generated}).
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

    /**
     * A small result set in the shapes of the original's workers (the fixture
     * {@code json_with_results.json}), types included: string metadata, numeric {@code dimensions}
     * (the front end plots a page only when {@code dimensions === 1} or {@code 2}), axes with
     * {@code name}, {@code unit} and {@code values}. A depth-dose and fluence profile (1-D), a
     * dose map (2-D) and point values (0-D).
     */
    static ArrayNode generated(long primaries) {
        ArrayNode estimators = JSON.createArrayNode();
        int depthBins = 100;
        double[] depths = new double[depthBins];
        for (int i = 0; i < depthBins; i++) {
            depths[i] = 0.05 * i + 0.025;
        }

        ObjectNode map = estimator("yz_profile_", "YZ_Mesh", "MSH", "cm;cm;cm", primaries, 1);
        int lateralBins = 20;
        ObjectNode dose2d = page(0, "5", "DOSE", "MeV/g", "[40 40 40]", null, 2);
        ArrayNode mapValues = ((ObjectNode) dose2d.get("data")).putArray("values");
        ArrayNode lateral = axis(dose2d, "axis_dim1", "Position (Y)");
        for (int j = 0; j < lateralBins; j++) {
            lateral.add(0.1 * j - 0.95);
        }
        ArrayNode depth2d = axis(dose2d, "axis_dim2", "Position (Z)");
        for (double z : depths) {
            depth2d.add(z);
        }
        for (int j = 0; j < lateralBins; j++) {
            double y = 0.1 * j - 0.95;
            double spread = Math.exp(-y * y / 0.18);
            for (double z : depths) {
                mapValues.add(depthDose(z) * spread);
            }
        }
        map.putArray("pages").add(dose2d);
        estimators.add(map);

        ObjectNode profile = estimator("z_profile_", "CylZ_Mesh", "CYL", "cm;cm", primaries, 2);
        ArrayNode pages = profile.putArray("pages");
        ObjectNode dose = page(0, "5", "DOSE", "MeV/g", "[40 40 40]", null, 1);
        ObjectNode fluence = page(1, "2", "FLUENCE", "/cm^2", "[14 14 14]", "Protons", 1);
        for (ObjectNode p : List.of(dose, fluence)) {
            ArrayNode values = ((ObjectNode) p.get("data")).putArray("values");
            ArrayNode positions = axis(p, "axis_dim1", "Position (Z)");
            for (double z : depths) {
                values.add(p == dose ? depthDose(z) : (z < 4.2 ? 1.0 - 0.02 * z : 0.0));
                positions.add(z);
            }
            pages.add(p);
        }
        estimators.add(profile);

        ObjectNode point = estimator("peak_", "PeakSlab", "CYL", "cm;cm", primaries, 2);
        ObjectNode peakDose = page(0, "5", "DOSE", "MeV/g", "[40 40 40]", null, 0);
        ((ObjectNode) peakDose.get("data")).putArray("values").add(0.3025);
        ObjectNode energy = page(1, "8", "AVG-ENERGY", "MeV", "[70 70 70]", "Primaries", 0);
        ((ObjectNode) energy.get("data")).putArray("values").add(12.5);
        point.putArray("pages").add(peakDose).add(energy);
        estimators.add(point);
        return estimators;
    }

    /** A Bragg-like curve: slow rise, sharp peak near 4 cm, nothing behind it. */
    private static double depthDose(double z) {
        return z < 4.2 ? 0.07 + 0.02 * z + 0.9 * Math.exp(-Math.pow((z - 4.0) / 0.12, 2)) : 0.0;
    }

    private static ObjectNode estimator(String name, String geometry, String geometryType, String units,
            long primaries, int pages) {
        ObjectNode e = JSON.createObjectNode();
        e.put("name", name);
        e.putObject("metadata")
                .put("Tmax_MeV", "0.0")
                .put("error_type", "ErrorEstimate.none")
                .put("file_corename", name)
                .put("file_counter", "1")
                .put("file_format", "bdo2019")
                .put("filedate", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .put("geo_name", geometry)
                .put("geo_unit_ids", "[10 10 10]")
                .put("geo_units", units)
                .put("geotyp", geometryType)
                .put("host", "yaptide-store-dummy")
                .put("mc_code_build_date", "")
                .put("mc_code_version", "dummy")
                .put("number_of_primaries", Long.toString(primaries))
                .put("page_count", Integer.toString(pages))
                .put("projectile_code", "0")
                .put("projectile_z", "0");
        return e;
    }

    private static ObjectNode page(int number, String detectorType, String quantity, String unit, String unitIds,
            String filter, int dimensions) {
        ObjectNode p = JSON.createObjectNode();
        p.putObject("data").put("name", quantity).put("unit", unit);
        p.put("dimensions", dimensions);
        ObjectNode metadata = p.putObject("metadata")
                .put("detector_type", detectorType)
                .put("detector_unit", unit)
                .put("dettyp", quantity)
                .put("name", quantity)
                .put("page_diff_units", unit);
        if (filter != null) {
            metadata.put("page_filter_name", filter);
        }
        metadata.put("page_normalized", "2")
                .put("page_number", Integer.toString(number))
                .put("page_offset", "0.0")
                .put("page_scale_factor", "1.0")
                .put("page_unit_ids", unitIds)
                .put("unit", unit);
        return p;
    }

    private static ArrayNode axis(ObjectNode page, String field, String name) {
        return page.putObject(field).put("name", name).put("unit", "cm").putArray("values");
    }
}
