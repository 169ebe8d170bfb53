package io.yaptide.store.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.clusters.Cluster;
import io.yaptide.store.dispatch.Dispatcher;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.submissions.SubmissionInput;
import io.yaptide.store.submissions.Submissions;
import io.yaptide.store.tasks.Task;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.users.KeycloakUser;
import io.yaptide.store.users.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /jobs}, {@code /jobs/direct}, {@code /jobs/batch}: submit (read here, built and handed to
 * the dispatcher by {@link Submissions}), status (the state follows the tasks, as in the original),
 * cancel.
 */
final class JobsRoutes {

    private final SimulationStore simulations;
    private final TaskStore tasks;
    private final Submissions submissions;
    private final Authenticator auth;
    private final JobAccess access;
    private final Supplier<Dispatcher> dispatcher;
    private final long maxBodyBytes;

    JobsRoutes(SimulationStore simulations, TaskStore tasks, Submissions submissions, Authenticator auth,
               Supplier<Dispatcher> dispatcher, long maxBodyBytes) {
        this.simulations = simulations;
        this.tasks = tasks;
        this.submissions = submissions;
        this.auth = auth;
        this.access = new JobAccess(simulations);
        this.dispatcher = dispatcher;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Javalin app) {
        app.get("/jobs", ctx -> status(ctx, null));
        app.post("/jobs/direct", ctx -> submit(ctx, Platform.DIRECT));
        app.get("/jobs/direct", ctx -> status(ctx, Platform.DIRECT));
        app.delete("/jobs/direct", this::cancelDirect);
        app.post("/jobs/batch", ctx -> submit(ctx, Platform.BATCH));
        app.get("/jobs/batch", ctx -> status(ctx, Platform.BATCH));
        app.delete("/jobs/batch", this::cancelBatch);
    }

    private void submit(Context ctx, Platform platform) {
        User user = auth.user(ctx);
        if (platform == Platform.BATCH) {
            requireKeycloak(user);
        }
        JsonBody body = JsonBody.read(ctx, maxBodyBytes);
        SubmissionInput input = SubmissionBody.parse(body);
        Long clusterId = platform == Platform.BATCH ? chooseCluster(body).id() : null;
        Simulation simulation = submissions.submit(user.id(), platform, input, clusterId);
        Reply.send(ctx, 202, platform == Platform.DIRECT ? "Task started" : "Job submitted",
                Reply.content("job_id", simulation.jobId()));
    }

    /** The cluster named in {@code batch_options.cluster_name}, else the first, as the original chooses. */
    private Cluster chooseCluster(JsonBody body) {
        String wanted = body.node().path("batch_options").path("cluster_name").asText(null);
        return submissions.chooseCluster(wanted).orElseThrow(() -> ApiException.badRequest("No clusters are available"));
    }

    private static void requireKeycloak(User user) {
        if (!(user instanceof KeycloakUser)) {
            throw new ApiException(403, "User is not allowed to use this endpoint");
        }
    }

    private void status(Context ctx, Platform platform) {
        User user = auth.user(ctx);
        if (platform == Platform.BATCH) {
            requireKeycloak(user);
        }
        Simulation simulation = access.owned(ctx, user);
        requirePlatform(simulation, platform);
        if (simulation.state() == JobState.UNKNOWN) {
            Reply.send(ctx, 200, "Job state is unknown", Reply.content("job_state", simulation.state().name()));
            return;
        }
        if (simulations.followTasks(simulation)) {
            simulation = simulations.findById(simulation.id()).orElse(simulation);
        }
        List<Task> taskList = tasks.listBySimulation(simulation.id());
        String state = simulation.state().name();
        var content = Reply.content("job_state", state, "job_tasks_status", JobStatus.tasks(taskList));
        // a job recorded for the Celery workers but not yet in Redis says so (docs/celery.md)
        dispatcher.get().dispatchState(simulation.id()).ifPresent(d -> content.put("dispatch_state", d));
        Reply.send(ctx, 200, "Job state: " + state, content);
    }

    private static void requirePlatform(Simulation simulation, Platform platform) {
        if (platform != null && simulation.platform() != platform) {
            String route = simulation.platform() == Platform.DIRECT ? "/jobs/direct" : "/jobs/batch";
            throw ApiException.badRequest("Job " + simulation.jobId() + " runs on " + simulation.platform()
                    + "; use " + route + " or /jobs");
        }
    }

    private void cancelDirect(Context ctx) {
        User user = auth.user(ctx);
        Simulation simulation = access.owned(ctx, user);
        requirePlatform(simulation, Platform.DIRECT);
        // the store's cancel applies the rule (JobState.SETTLED); a refusal reports the state that refused
        List<Task> before = tasks.listBySimulation(simulation.id());
        if (!simulations.cancel(simulation.id())) {
            refuseCancel(ctx, simulations.findById(simulation.id()).map(Simulation::state).orElse(simulation.state()));
            return;
        }
        dispatcher.get().cancel(simulation.id());
        List<Map<String, Object>> taskResults = new ArrayList<>();
        for (Task task : before) {
            taskResults.add(task.state().isTerminal()
                    ? Reply.content("message", "Job already " + task.state().name(), "task_state", task.state().name())
                    : Reply.content("message", "Task " + task.taskId() + " canceled", "task_state", JobState.CANCELED.name()));
        }
        Reply.send(ctx, 200, "", Reply.content(
                "merge", Reply.content("message", "Job " + simulation.jobId() + " canceled", "job_state", JobState.CANCELED.name()),
                "tasks", taskResults));
    }

    private void cancelBatch(Context ctx) {
        User user = auth.user(ctx);
        requireKeycloak(user);
        Simulation simulation = access.owned(ctx, user);
        requirePlatform(simulation, Platform.BATCH);
        if (!simulations.cancel(simulation.id())) {
            refuseCancel(ctx, simulations.findById(simulation.id()).map(Simulation::state).orElse(simulation.state()));
            return;
        }
        dispatcher.get().cancel(simulation.id());
        Reply.send(ctx, 200, "Job canceled");
    }

    private static void refuseCancel(Context ctx, JobState state) {
        Reply.send(ctx, 200, "Cannot cancel job which is in " + state.name() + " state",
                Reply.content("job_state", state.name()));
    }
}
