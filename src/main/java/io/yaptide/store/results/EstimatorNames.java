package io.yaptide.store.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The names users see for the estimators of a job made in the editor: the project's output names
 * ({@code input_json.scoringManager.outputs[].name}), where the simulator names its files after
 * them with a trailing underscore ({@code z_profile} becomes {@code z_profile_}).
 *
 * <p>The original pairs the posted estimators with the outputs by position (the n-th posted with
 * the n-th output in alphabetical order); when the simulator's order differs, results are shown
 * under another output's name. Here each estimator is matched to the output its file is named
 * after; the positional rule applies only when some file matches no output.
 */
public final class EstimatorNames {

    private EstimatorNames() {
    }

    /** The output names of an editor submission's stored input (empty when there are none). */
    public static List<String> outputNames(JsonNode input) {
        List<String> names = new ArrayList<>();
        if (input == null) {
            return names;
        }
        for (JsonNode output : input.path("input_json").path("scoringManager").path("outputs")) {
            if (output.path("name").isTextual()) {
                names.add(output.path("name").asText());
            }
        }
        return names;
    }

    /** The output a file is named after, or the file name without its trailing underscores. */
    public static String shownName(String fileName, List<String> outputNames) {
        String stripped = stripped(fileName);
        for (String output : outputNames) {
            if (output.equals(fileName) || output.equals(stripped)) {
                return output;
            }
        }
        return stripped;
    }

    /** {@code z_profile_} to {@code z_profile}, as the original's {@code rstrip('_')}. */
    public static String stripped(String fileName) {
        int end = fileName.length();
        while (end > 0 && fileName.charAt(end - 1) == '_') {
            end--;
        }
        return fileName.substring(0, end);
    }

    /**
     * A posted result set of an editor job, named after the project's outputs and in the project's
     * order (as the original stores them); estimators matching no output keep the simulator's name
     * and come last.
     */
    public static List<EstimatorResult> forEditorProject(List<EstimatorResult> posted, List<String> outputNames) {
        if (outputNames.isEmpty()) {
            return posted;
        }
        List<String> shown = new ArrayList<>();
        boolean allMatch = true;
        for (EstimatorResult e : posted) {
            String name = shownName(e.fileName(), outputNames);
            allMatch &= outputNames.contains(name);
            shown.add(name);
        }
        if (!allMatch && posted.size() == outputNames.size()) {
            // the original's rule: the n-th posted estimator is the n-th output in alphabetical order
            shown = outputNames.stream().sorted().toList();
        }
        List<EstimatorResult> named = new ArrayList<>();
        for (int i = 0; i < posted.size(); i++) {
            named.add(posted.get(i).named(shown.get(i)));
        }
        named.sort(Comparator.comparingInt(e -> {
            int at = outputNames.indexOf(e.name());
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        return named;
    }
}
