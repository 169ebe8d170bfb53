package io.yaptide.store.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.results.StoredInput;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;

/** {@code GET /inputs}: the input a simulation was submitted with, served from its stored gzip. */
final class InputsRoutes {
    private final ResultStore results;
    private final Authenticator auth;
    private final JobAccess access;

    InputsRoutes(SimulationStore simulations, ResultStore results, Authenticator auth) {
        this.results = results;
        this.auth = auth;
        this.access = new JobAccess(simulations);
    }

    void register(Javalin app) {
        app.get("/inputs", ctx -> StandbyReads.run(ctx, this::read));
    }

    private void read(Context ctx) {
        Simulation simulation = access.owned(ctx, auth.user(ctx));
        StoredInput input = results.input(simulation.id())
                .orElseThrow(() -> new ApiException(404, "Input of simulation is unavailable"));
        JsonParts.envelope("Input of simulation").text(",\"input\":").stored(input.data()).text("}").send(ctx, 200);
    }
}
