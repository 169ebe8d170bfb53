package io.yaptide.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.tasks.TaskUpdate;
import java.time.Instant;

/**
 * {@code POST /tasks}: a worker's progress report for one task. The hot path of a running job:
 * one UPDATE guarded by the task's state and the key's fast hash (one round trip), nothing read
 * back, nothing hashed slowly; only a refused update costs the separate key check.
 */
final class TasksRoutes {
    private final SimulationStore simulations;
    private final TaskStore tasks;
    private final WorkerKeys keys;
    private final long maxBodyBytes;

    TasksRoutes(SimulationStore simulations, TaskStore tasks, long maxBodyBytes) {
        this.simulations = simulations;
        this.tasks = tasks;
        this.keys = new WorkerKeys(simulations);
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Javalin app) {
        app.post("/tasks", this::update);
    }

    private void update(Context ctx) {
        JsonBody body = JsonBody.read(ctx, maxBodyBytes);
        body.requireKeys("simulation_id", "task_id", "update_key", "update_dict");
        long simulationId = body.integer("simulation_id");
        int taskId = taskId(body.node().get("task_id"));
        String key = body.string("update_key");
        TaskUpdate update = parse(body.object("update_dict"));
        TaskStore.KeyedReport report = tasks.updateWithKey(simulationId, taskId, key, update);
        if (report.accepted()) {
            accepted(ctx, simulationId, update, report.simulationState());
            return;
        }
        // the slow way, only when the one-statement path refused: tells a missing simulation from a
        // wrong key (both 400), verifies and upgrades a key the original stored, then updates
        keys.check(simulationId, key, "Simulation " + simulationId + " does not exist");
        if (!tasks.update(simulationId, taskId, update)) {
            if (tasks.find(simulationId, taskId).isEmpty()) {
                throw ApiException.badRequest("Task " + taskId + " does not exist");
            }
            // as the original: a finished task ignores further reports, and the worker is not told off
            Reply.send(ctx, 202, "Task " + taskId + " has already finished; update ignored");
            return;
        }
        accepted(ctx, simulationId, update, null);
    }

    /**
     * Lets the simulation follow its tasks after a RUNNING or FAILED report, as before; skipped for
     * a RUNNING report on a simulation that the report's own statement saw RUNNING already (a
     * RUNNING task keeps a RUNNING simulation RUNNING, so the follow would change nothing). That
     * skip is what keeps the original's workers' reports, which all say RUNNING, at one statement.
     */
    private void accepted(Context ctx, long simulationId, TaskUpdate update, JobState simulationState) {
        boolean follows = update.state() == JobState.RUNNING && simulationState == JobState.RUNNING;
        if ((update.state() == JobState.RUNNING || update.state() == JobState.FAILED) && !follows) {
            simulations.followTasks(simulationId);
        }
        Reply.send(ctx, 202, "Task updated");
    }

    /** The original documents task_id as a string; workers send numbers. Both are accepted. */
    private static int taskId(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                return Integer.parseInt(node.textValue().strip());
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw JsonBody.wrongType("task_id", "an integer (or its text)", node);
    }

    static TaskUpdate parse(ObjectNode dict) {
        JobState state = null;
        JsonNode stateNode = dict.get("task_state");
        if (stateNode != null && !stateNode.isNull()) {
            if (!stateNode.isTextual()) {
                throw JsonBody.wrongType("update_dict.task_state", "a string", stateNode);
            }
            state = JobState.parse(stateNode.textValue()).orElseThrow(() -> ApiException.badRequest(
                    "Wrong data provided: update_dict.task_state '" + stateNode.textValue()
                            + "' is not one of PENDING, RUNNING, COMPLETED, FAILED, CANCELED"));
        }
        return new TaskUpdate(state,
                count(dict, "requested_primaries"),
                count(dict, "simulated_primaries"),
                seconds(dict, "estimated_time"),
                time(dict, "start_time"),
                time(dict, "end_time"),
                text(dict, "celery_id"));
    }

    private static Integer count(ObjectNode dict, String key) {
        JsonNode v = dict.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw JsonBody.wrongType("update_dict." + key, "a whole number from 0 to " + Integer.MAX_VALUE, v);
        }
        return v.intValue();
    }

    /** Seconds; workers may send a fraction, which is dropped. */
    private static Integer seconds(ObjectNode dict, String key) {
        JsonNode v = dict.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > Integer.MAX_VALUE) {
            throw JsonBody.wrongType("update_dict." + key, "a number of seconds", v);
        }
        return (int) v.doubleValue();
    }

    private static Instant time(ObjectNode dict, String key) {
        JsonNode v = dict.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw JsonBody.wrongType("update_dict." + key, "a time as YYYY-MM-DD HH:MM:SS.ffffff (UTC)", v);
        }
        try {
            return TaskUpdate.parseWorkerTime(v.textValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Wrong data provided: update_dict." + key + ": " + e.getMessage());
        }
    }

    private static String text(ObjectNode dict, String key) {
        JsonNode v = dict.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw JsonBody.wrongType("update_dict." + key, "a string", v);
        }
        return v.textValue();
    }
}
