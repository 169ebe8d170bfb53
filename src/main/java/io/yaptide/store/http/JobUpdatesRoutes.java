package io.yaptide.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.simulations.SimulationUpdate;
import io.yaptide.store.tasks.TaskUpdate;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code POST /jobs}: the original's worker report on a whole job since the seed (its batch
 * watcher and Celery merge step use it): {@code sim_id}, {@code update_key} and any of
 * {@code job_state}, {@code end_time}, {@code job_dir}, {@code array_id}, {@code collect_id},
 * {@code log} (the job's log files, stored as {@code POST /logfiles} stores them).
 *
 * <p>The state rule is the store's: a finished simulation keeps its state, and {@code end_time} is
 * set once. The log files are stored even then, as the original does. Deviation: an unknown
 * {@code sim_id} is a 400 here, where the original answers 501 (a 5xx is our fault, not the caller's).
 */
final class JobUpdatesRoutes {
    private final SimulationStore simulations;
    private final ResultStore results;
    private final WorkerKeys keys;
    private final long maxBodyBytes;

    JobUpdatesRoutes(SimulationStore simulations, ResultStore results, long maxBodyBytes) {
        this.simulations = simulations;
        this.results = results;
        this.keys = new WorkerKeys(simulations);
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Javalin app) {
        app.post("/jobs", this::update);
    }

    private void update(Context ctx) {
        JsonBody body = JsonBody.read(ctx, maxBodyBytes);
        body.requireKeys("sim_id", "update_key");
        long simulationId = body.integer("sim_id");
        String key = body.string("update_key");
        JsonNode node = body.node();
        JobState state = null;
        if (present(node, "job_state")) {
            String text = body.string("job_state");
            state = JobState.parse(text).filter(s -> s.name().equals(text)).orElseThrow(() -> ApiException.badRequest(
                    "Wrong data provided: job_state '" + text + "' is not one of " + states()));
        }
        Instant endTime = null;
        if (present(node, "end_time")) {
            try {
                endTime = TaskUpdate.parseWorkerTime(body.string("end_time"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Wrong data provided: end_time: " + e.getMessage());
            }
        }
        String jobDir = present(node, "job_dir") ? body.string("job_dir") : null;
        Integer arrayId = present(node, "array_id") ? intValue(body, "array_id") : null;
        Integer collectId = present(node, "collect_id") ? intValue(body, "collect_id") : null;
        var log = present(node, "log") ? body.object("log") : null;

        keys.check(simulationId, key, "Simulation " + simulationId + " does not exist");
        simulations.update(simulationId, new SimulationUpdate(state, endTime, null, jobDir, arrayId, collectId));
        if (log != null) {
            results.storeLogfilesKeepingUseful(simulationId, log);
        }
        Reply.send(ctx, 202, "Task updated");
    }

    private static boolean present(JsonNode node, String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    private static Integer intValue(JsonBody body, String key) {
        long value = body.integer(key);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw ApiException.badRequest("Wrong data provided: " + key + " is out of range: " + value);
        }
        return (int) value;
    }

    private static String states() {
        return Arrays.stream(JobState.values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
