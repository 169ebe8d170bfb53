package io.yaptide.store.submissions;

import io.yaptide.store.clusters.Cluster;
import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.dispatch.Dispatcher;
import io.yaptide.store.dispatch.Submission;
import io.yaptide.store.results.Payload;
import io.yaptide.store.simulations.CreatedSimulation;
import io.yaptide.store.simulations.NewSimulation;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Submitting a job: the service beside the stores that the HTTP routes call. It names the job, creates
 * the simulation, its tasks and its input in one transaction in which the dispatcher records what it
 * needs (an outbox row), and then hands the job to the dispatcher.
 */
public final class Submissions {
    private static final DateTimeFormatter JOB_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-").withZone(ZoneOffset.UTC);

    private final SimulationStore simulations;
    private final ClusterStore clusters;
    private final Supplier<Dispatcher> dispatcher;

    /** {@code dispatcher} is asked for at each submission: the service makes it once its port is known. */
    public Submissions(SimulationStore simulations, ClusterStore clusters, Supplier<Dispatcher> dispatcher) {
        this.simulations = simulations;
        this.clusters = clusters;
        this.dispatcher = dispatcher;
    }

    /** The original's job id: the UTC time, a random UUID and the platform ({@code 20241029-222314-<uuid>DIRECT}). */
    static String newJobId(Platform platform, Instant now) {
        return JOB_ID_TIME.format(now) + UUID.randomUUID() + platform.name();
    }

    /** The cluster a batch job runs on: the one named, else the first, as the original chooses; empty when there is none. */
    public Optional<Cluster> chooseCluster(String wanted) {
        List<Cluster> all = clusters.list();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(all.stream().filter(c -> c.name().equals(wanted)).findFirst().orElse(all.get(0)));
    }

    /**
     * Creates the user's job and hands it to the dispatcher; returns the simulation (PENDING).
     *
     * @param clusterId the cluster of a batch job ({@link #chooseCluster}), null for a direct one
     */
    public Simulation submit(long userId, Platform platform, SubmissionInput input, Long clusterId) {
        String jobId = newJobId(platform, Instant.now());
        Dispatcher d = dispatcher.get();
        Submission[] submission = new Submission[1];
        CreatedSimulation created = simulations.create(new NewSimulation(jobId, userId, input.title(), platform,
                input.inputType(), input.simType(), clusterId, input.taskCount(), input.primariesPerTask(),
                Payload.ofJson(input.stored()), Instant.now()), (h, made) -> {
                    submission[0] = new Submission(made.simulation().id(), made.simulation().jobId(), input.simType(),
                            platform, input.taskCount(), input.primariesPerTask(), made.updateKey(), input.inputFiles());
                    d.recordInTransaction(h, submission[0]);
                });
        d.submit(submission[0]);
        return created.simulation();
    }
}
