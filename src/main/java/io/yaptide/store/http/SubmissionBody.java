package io.yaptide.store.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.simulations.SimulatorType;
import io.yaptide.store.submissions.SubmissionInput;
import java.util.Locale;

/**
 * Reads a job submission's fields from the request body ({@code /jobs/direct}, {@code /jobs/batch})
 * and checks them with {@link SubmissionInput}, in the order the original does: the shape errors
 * (a missing key, a wrong JSON type) here, the value rules there.
 */
final class SubmissionBody {
    private SubmissionBody() {
    }

    static SubmissionInput parse(JsonBody body) {
        body.requireKeys("sim_type", "ntasks", "input_type");
        SimulatorType simType = SubmissionInput.simType(body.string("sim_type"));
        long ntasks = SubmissionInput.taskCount(body.integer("ntasks"));
        String title = SubmissionInput.title(body.optionalString("title").orElse(""));
        String inputTypeText = body.string("input_type").toLowerCase(Locale.ROOT);
        return switch (inputTypeText) {
            case "editor" -> SubmissionInput.editor(simType, ntasks, title, requireObject(body, "input_json", "editor"));
            case "files" -> SubmissionInput.files(simType, ntasks, title, requireObject(body, "input_files", "files"));
            default -> throw ApiException.badRequest("Wrong data provided: unknown input_type '" + body.string("input_type")
                    + "'; use editor (with input_json) or files (with input_files)");
        };
    }

    private static ObjectNode requireObject(JsonBody body, String key, String inputType) {
        if (!body.node().has(key)) {
            throw ApiException.badRequest("Wrong data provided: input_type " + inputType + " needs " + key);
        }
        return body.object(key);
    }
}
