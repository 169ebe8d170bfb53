package io.yaptide.store.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.results.StoredLogfiles;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;

/** {@code /logfiles}: workers post a simulation's log files (replacing earlier ones); users read them. */
final class LogfilesRoutes {
    private final ResultStore results;
    private final Authenticator auth;
    private final JobAccess access;
    private final WorkerKeys keys;
    private final long maxBodyBytes;

    LogfilesRoutes(SimulationStore simulations, ResultStore results, Authenticator auth, long maxBodyBytes) {
        this.results = results;
        this.auth = auth;
        this.access = new JobAccess(simulations);
        this.keys = new WorkerKeys(simulations);
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Javalin app) {
        app.post("/logfiles", this::store);
        app.get("/logfiles", ctx -> StandbyReads.run(ctx, this::read));
    }

    private void store(Context ctx) {
        JsonBody body = JsonBody.read(ctx, maxBodyBytes);
        if (!body.node().has("simulation_id") || !body.node().has("update_key") || !body.node().has("logfiles")) {
            throw ApiException.badRequest("Incomplete JSON data: simulation_id, update_key and logfiles are required");
        }
        long simulationId = body.integer("simulation_id");
        String key = body.string("update_key");
        var logfiles = body.object("logfiles");
        // a log file is text (the original's workers send each file's content as a string): anything
        // else would be stored and served back as something no reader of a log expects
        logfiles.fields().forEachRemaining(f -> {
            if (!f.getValue().isTextual()) {
                throw JsonBody.wrongType("logfiles." + f.getKey(), "the file's text", f.getValue());
            }
        });
        keys.check(simulationId, key, "Simulation does not exist");
        results.storeLogfilesKeepingUseful(simulationId, logfiles);
        Reply.send(ctx, 202, "Log files saved");
    }

    private void read(Context ctx) {
        Simulation simulation = access.owned(ctx, auth.user(ctx));
        StoredLogfiles logfiles = results.logfiles(simulation.id())
                .orElseThrow(() -> new ApiException(404, "Logfiles are unavailable"));
        JsonParts.envelope("Logfiles").text(",\"logfiles\":").stored(logfiles.data()).text("}").send(ctx, 200);
    }
}
