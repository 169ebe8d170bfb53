package io.yaptide.store.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.dispatch.Dispatcher;
import io.yaptide.store.simulations.CascadeCounts;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationOrder;
import io.yaptide.store.simulations.SimulationPage;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.users.KeycloakUser;
import io.yaptide.store.users.User;
import io.yaptide.store.users.UserStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /user/simulations} (a page of the caller's simulations; delete a finished one),
 * {@code /user/clusters} and, beyond the original, {@code DELETE /user} (the caller removes their own
 * account and everything it owns; what {@code bin/yaptide smoke} uses to leave nothing behind).
 */
final class UserRoutes {
    /** The original's defaults: 6 per page, first page is 1, newest first. */
    static final int DEFAULT_PAGE_SIZE = 6;
    static final int MAX_PAGE_SIZE = 100;

    private final UserStore users;
    private final SimulationStore simulations;
    private final ClusterStore clusters;
    private final Authenticator auth;
    private final JobAccess access;
    private final Supplier<Dispatcher> dispatcher;

    UserRoutes(UserStore users, SimulationStore simulations, ClusterStore clusters, Authenticator auth,
               Supplier<Dispatcher> dispatcher) {
        this.users = users;
        this.simulations = simulations;
        this.clusters = clusters;
        this.auth = auth;
        this.access = new JobAccess(simulations);
        this.dispatcher = dispatcher;
    }

    void register(Javalin app) {
        app.get("/user/simulations", ctx -> StandbyReads.run(ctx, this::list));
        app.delete("/user/simulations", this::delete);
        app.get("/user/clusters", this::clusters);
        app.get("/clusters", this::clusters); // the original's path for the same resource
        app.delete("/user", this::deleteAccount);
    }

    private void list(Context ctx) {
        User user = auth.user(ctx);
        int pageSize = intParam(ctx, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        int pageIdx = intParam(ctx, "page_idx", 1, 1, Integer.MAX_VALUE);
        SimulationOrder.Field field = switch (ctx.queryParamAsClass("order_by", String.class).getOrDefault("start_time")) {
            case "start_time" -> SimulationOrder.Field.START_TIME;
            case "end_time" -> SimulationOrder.Field.END_TIME;
            default -> throw ApiException.badRequest("Wrong parameters: order_by must be start_time or end_time");
        };
        boolean descending = switch (ctx.queryParamAsClass("order_type", String.class).getOrDefault("descend")) {
            case "descend" -> true;
            case "ascend" -> false;
            default -> throw ApiException.badRequest("Wrong parameters: order_type must be ascend or descend");
        };
        java.util.Set<JobState> states = jobStates(ctx.queryParam("job_state"));
        // the original's page_idx counts from 1; the store's from 0
        SimulationPage page = simulations.listByUser(user.id(), pageIdx - 1, pageSize, new SimulationOrder(field, descending),
                states);
        List<Map<String, Object>> items = page.simulations().stream().map(UserRoutes::summary).toList();
        Reply.send(ctx, 200, "User Simulations", Reply.content(
                "simulations", items, "page_count", page.pageCount(), "simulations_count", page.total()));
    }

    /**
     * The original's {@code job_state=A,B} filter (the v2.6 front end always sends it): states as
     * the original spells them; absent or empty means every state. An unknown state is a 400 (the
     * original fails with a 500).
     */
    static java.util.Set<JobState> jobStates(String text) {
        java.util.Set<JobState> states = java.util.EnumSet.noneOf(JobState.class);
        if (text == null || text.isBlank()) {
            return states;
        }
        for (String part : text.split(",", -1)) {
            String name = part.strip();
            JobState state = JobState.parse(name).filter(s -> s.name().equals(name)).orElseThrow(() -> new ApiException(400,
                    "Wrong parameters: job_state '" + name + "' is not one of "
                            + java.util.Arrays.stream(JobState.values()).map(Enum::name).collect(java.util.stream.Collectors.joining(", ")),
                    Reply.content("job_state", List.of("Invalid job state"))));
            states.add(state);
        }
        return states;
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Wrong parameters: " + name + " must be a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw ApiException.badRequest("Wrong parameters: " + name + " must be between " + min + " and " + max + ", got " + value);
        }
        return (int) value;
    }

    private static Map<String, Object> summary(Simulation s) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("title", s.title());
        item.put("job_id", s.jobId());
        item.put("start_time", HttpDates.format(s.startTime()));
        item.put("end_time", HttpDates.format(s.endTime()));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("platform", s.platform().name());
        metadata.put("server", "Yaptide");
        metadata.put("input_type", s.inputType().name());
        metadata.put("sim_type", s.simType().dbValue());
        item.put("metadata", metadata);
        return item;
    }

    private void delete(Context ctx) {
        User user = auth.user(ctx);
        String jobId = JobAccess.jobIdParam(ctx);
        switch (simulations.deleteOwn(jobId, user.id())) {
            case NO_SUCH_SIMULATION -> throw new ApiException(404, "Simulation with job_id=" + jobId + " do not exist");
            case NOT_THE_OWNER -> throw new ApiException(403, "Unauthorized: You do not have permission to delete this simulation");
            case STILL_RUNNING -> throw new ApiException(403, "Simulation with job_id=" + jobId
                    + " is currently running. Please cancel simulation or wait for it to finish");
            case DELETED -> { }
        }
        Reply.send(ctx, 200, "Simulation with job_id=" + jobId + " successfully deleted from database");
    }

    private void clusters(Context ctx) {
        User user = auth.user(ctx);
        if (!(user instanceof KeycloakUser)) {
            throw new ApiException(403, "User is not allowed to use this endpoint");
        }
        List<Map<String, Object>> names = clusters.list().stream()
                .map(c -> Reply.content("cluster_name", c.name())).toList();
        Reply.send(ctx, 200, "Available clusters", Reply.content("clusters", names));
    }

    private void deleteAccount(Context ctx) {
        User user = auth.user(ctx);
        CascadeCounts owned = simulations.cascadeOfUser(user.id());
        simulations.list(java.util.Optional.of(user.id())).stream()
                .filter(s -> !s.state().isTerminal())
                .forEach(s -> dispatcher.get().cancel(s.id()));
        users.delete(user.id(), true);
        Authenticator.clearCookie(ctx, Authenticator.ACCESS_COOKIE);
        Authenticator.clearCookie(ctx, Authenticator.REFRESH_COOKIE);
        Reply.send(ctx, 200, "User " + user.username() + " deleted with " + owned.simulations() + " simulation(s)",
                Reply.content("simulations_deleted", owned.simulations()));
    }
}
