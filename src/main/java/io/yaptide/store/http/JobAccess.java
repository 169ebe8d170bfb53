package io.yaptide.store.http;

import io.javalin.http.Context;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.users.User;
import java.util.Objects;

/**
 * The original's ownership check for job routes: the {@code job_id} query parameter must name an
 * existing job (404 otherwise) that belongs to the caller (403 otherwise).
 */
final class JobAccess {
    private final SimulationStore simulations;

    JobAccess(SimulationStore simulations) {
        this.simulations = simulations;
    }

    /** The {@code job_id} query parameter; 400 when it is missing or empty. */
    static String jobIdParam(Context ctx) {
        String jobId = ctx.queryParam("job_id");
        if (jobId == null || jobId.isBlank()) {
            throw new ApiException(400, "Wrong parameters: job_id is required (the job_id returned when the job was submitted)",
                    Reply.content("job_id", java.util.List.of("Missing data for required field.")));
        }
        return jobId;
    }

    Simulation owned(Context ctx, User user) {
        return owned(jobIdParam(ctx), user);
    }

    Simulation owned(String jobId, User user) {
        Simulation simulation = simulations.findByJobId(jobId)
                .orElseThrow(() -> new ApiException(404, "Job with provided ID does not exist"));
        if (!Objects.equals(simulation.userId(), user.id())) {
            throw new ApiException(403, "Job with provided ID does not belong to the user");
        }
        return simulation;
    }
}
