package io.yaptide.store.dispatch.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.db.Database;
import io.yaptide.store.db.StoreTransaction;
import io.yaptide.store.dispatch.Dispatcher;
import io.yaptide.store.dispatch.Submission;
import io.yaptide.store.outbox.CeleryOutbox;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.tasks.Task;
import io.yaptide.store.tasks.TaskStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands direct jobs to the original's Celery workers, as its current backend does: one Celery id per
 * task, then {@code chord(group(run_single_simulation(...)), chain(set_merging_queued_state,
 * merge_results))} on the configured queue, the chord's size in the result backend.
 *
 * <p>Nothing is lost between the database and Redis: {@link #recordInTransaction} writes the job to
 * the outbox in the transaction that creates it; a sender thread publishes queued jobs (at once when
 * woken by {@link #submit}, and at start for jobs left by an earlier process), retrying with
 * exponential backoff while Redis is away. A job is pushed at most once ({@link CeleryBroker#publishOnce}).
 *
 * <p>A watcher ends jobs the original leaves running forever (docs/celery.md): all tasks ended with
 * none completed, a merge that failed or ended without results, a task the worker raised on before
 * reporting, a worker silent past the deadline: the job ends FAILED.
 */
public final class CeleryDispatcher implements Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CeleryDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RUN_TASK = "yaptide.celery.tasks.run_single_simulation";
    static final String MERGING_QUEUED_TASK = "yaptide.celery.tasks.set_merging_queued_state";
    static final String MERGE_TASK = "yaptide.celery.tasks.merge_results";
    static final String CLEANUP_TASK = "yaptide.utils.helper_tasks.terminate_unfinished_tasks";
    /** How long one send attempt holds its outbox row. */
    private static final long LEASE_MILLIS = 30_000;
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    private final CeleryConfig config;
    private final CeleryBroker broker;
    private final CeleryOutbox outbox;
    private final TaskStore tasks;
    private final Thread sender;
    private final Thread watcher;
    private final Object wake = new Object();
    private volatile boolean running = true;

    public CeleryDispatcher(Database db, CeleryConfig config) {
        this.config = config;
        this.broker = new CeleryBroker(config);
        this.outbox = new CeleryOutbox(db);
        this.tasks = new TaskStore(db);
        this.sender = new Thread(this::sendLoop, "celery-outbox-sender");
        this.watcher = new Thread(this::watchLoop, "celery-job-watcher");
        sender.setDaemon(true);
        watcher.setDaemon(true);
        sender.start();
        watcher.start();
        LOG.info("Celery workers: broker {}, result backend {}, queue {}", config.brokerUrl(),
                config.resultBackendUrl(), config.queue()); // RedisUrl prints itself masked
    }

    // ---- submit -----------------------------------------------------------------------------------

    @Override
    public void recordInTransaction(StoreTransaction h, Submission s) {
        if (s.platform() != Platform.DIRECT) {
            return; // batch jobs run on clusters, not on Celery workers
        }
        List<String> celeryIds = new ArrayList<>();
        for (int i = 0; i < s.taskCount(); i++) {
            celeryIds.add(UUID.randomUUID().toString());
        }
        String mergeId = UUID.randomUUID().toString();
        String groupId = UUID.randomUUID().toString();
        ObjectNode m = JSON.createObjectNode();
        m.put("update_key", s.updateKey());
        m.put("sim_type", s.simType().dbValue());
        m.put("merging_queued_id", UUID.randomUUID().toString());
        m.set("files_dict", s.inputFiles() == null ? JSON.createObjectNode() : s.inputFiles());
        celeryIds.forEach(m.putArray("celery_ids")::add);
        CeleryOutbox.record(h, s.simulationId(), celeryIds, mergeId, groupId, m.toString(), System.currentTimeMillis());
    }

    /** {@code queued} while the job is recorded but not yet in Redis; empty after. */
    @Override
    public Optional<String> dispatchState(long simulationId) {
        return outbox.find(simulationId).filter(e -> CeleryOutbox.QUEUED.equals(e.dispatchState()))
                .map(CeleryOutbox::dispatchState);
    }

    @Override
    public void submit(Submission submission) {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void sendLoop() {
        while (running) {
            try {
                sendDue();
            } catch (RuntimeException e) {
                // the database is away: the rows wait, nothing is lost
                LOG.warn("Celery outbox: cannot read the queued jobs: {}", e.getMessage());
            }
            synchronized (wake) {
                try {
                    wake.wait(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    void sendDue() {
        long now = System.currentTimeMillis();
        outbox.dropStale();
        for (CeleryOutbox.Due d : outbox.due(now, 50)) {
            if (!running || !outbox.claim(d, now + LEASE_MILLIS)) {
                continue;
            }
            try {
                boolean fresh = broker.publishOnce(publication(d));
                outbox.markSent(d.simulationId(), System.currentTimeMillis());
                LOG.info("simulation {} {} to the Celery workers (attempt {})", d.simulationId(),
                        fresh ? "sent" : "was already sent", d.attempts() + 1);
            } catch (RuntimeException e) {
                long backoff = Math.min(MAX_BACKOFF_MILLIS, 500L << Math.min(d.attempts(), 16));
                backoff += ThreadLocalRandom.current().nextLong(backoff / 4 + 1);
                outbox.markRetry(d.simulationId(), System.currentTimeMillis() + backoff, e.getMessage());
                LOG.warn("simulation {}: Redis refused the job ({}); retrying in {} ms", d.simulationId(),
                        e.getMessage(), backoff);
            }
        }
    }

    /** The chord's messages, rebuilt from the outbox row. */
    private CeleryBroker.Publication publication(CeleryOutbox.Due d) {
        JsonNode m;
        try {
            m = JSON.readTree(d.message());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String queue = config.queue();
        ObjectNode body = CeleryEnvelope.chain(List.of(
                CeleryEnvelope.signature(MERGING_QUEUED_TASK, m.path("merging_queued_id").asText(), queue),
                CeleryEnvelope.signature(MERGE_TASK, d.mergeId(), queue)));
        List<String> messages = new ArrayList<>();
        JsonNode ids = m.path("celery_ids");
        for (int i = 0; i < ids.size(); i++) {
            ObjectNode kwargs = JSON.createObjectNode();
            kwargs.set("files_dict", m.path("files_dict"));
            kwargs.put("task_id", i);
            kwargs.put("update_key", m.path("update_key").asText());
            kwargs.put("simulation_id", d.simulationId());
            kwargs.put("sim_type", m.path("sim_type").asText());
            messages.add(CeleryEnvelope.task(RUN_TASK, ids.get(i).asText(), kwargs, queue, d.groupId(), i, body));
        }
        return new CeleryBroker.Publication(d.groupId(), ids.size(), queue, messages);
    }

    // ---- cancel -----------------------------------------------------------------------------------

    /**
     * Called after the job and its unfinished tasks became CANCELED: as the original, revokes the
     * merge step first (so it cannot start), then the tasks that had not ended, then queues the
     * clean-up task on the helper worker's queue. A job not yet sent is simply never sent.
     */
    @Override
    public void cancel(long simulationId) {
        Optional<String> state = outbox.cancel(simulationId);
        if (state.isEmpty() || !CeleryOutbox.SENT.equals(state.get())) {
            return;
        }
        try {
            outbox.mergeId(simulationId).ifPresent(id -> broker.revoke(List.of(id)));
            broker.revoke(outbox.celeryIds(simulationId, List.of(JobState.CANCELED.name())));
            ObjectNode kwargs = JSON.createObjectNode().put("simulation_id", simulationId);
            broker.send(CeleryConfig.HELPER_QUEUE, CeleryEnvelope.task(CLEANUP_TASK, UUID.randomUUID().toString(),
                    kwargs, CeleryConfig.HELPER_QUEUE, null, null, null));
            LOG.info("simulation {}: revoked its merge and unfinished tasks, queued the clean-up", simulationId);
        } catch (RuntimeException e) {
            // the job is CANCELED in the database: workers' later reports are refused
            LOG.warn("simulation {}: cannot revoke its Celery tasks ({}); its reports will be refused", simulationId,
                    e.getMessage());
        }
    }

    // ---- watch ------------------------------------------------------------------------------------

    private void watchLoop() {
        while (running) {
            try {
                Thread.sleep(config.sweepInterval().toMillis());
                watch();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Celery job watcher: {}", e.getMessage());
            }
        }
    }

    void watch() {
        long now = System.currentTimeMillis();
        for (CeleryOutbox.Watched w : outbox.watched()) {
            List<Task> list = tasks.listBySimulation(w.simulationId());
            long lastReport = w.sentAt();
            boolean allEnded = true;
            boolean anyFailed = false;
            for (Task t : list) {
                if (t.lastUpdateTime() != null && t.lastUpdateTime().toEpochMilli() > lastReport) {
                    lastReport = t.lastUpdateTime().toEpochMilli();
                }
                if (!t.state().isTerminal() && t instanceof io.yaptide.store.tasks.DirectTask d
                        && !d.celeryId().isEmpty()
                        && broker.taskState(d.celeryId()).filter("FAILURE"::equals).isPresent()) {
                    // the worker raised before it could report (e.g. a simulator it does not run)
                    outbox.failTask(w.simulationId(), d.celeryId());
                    LOG.info("simulation {}: task {} failed on the worker without reporting", w.simulationId(), t.taskId());
                    anyFailed = true;
                    continue;
                }
                allEnded &= t.state().isTerminal();
                anyFailed |= t.state() == JobState.FAILED;
            }
            Optional<String> merge = broker.taskState(w.mergeId());
            String reason = null;
            if (merge.filter("FAILURE"::equals).isPresent()) {
                reason = "its merge step failed";
            } else if (merge.filter("SUCCESS"::equals).isPresent()) {
                // merge_results posts the results (which complete the job) before it returns
                reason = "its merge step ended without results";
            } else if (allEnded && anyFailed && now - lastReport > 2 * config.sweepInterval().toMillis()) {
                reason = "its tasks ended and some failed, so nothing was merged";
            } else if (now - lastReport > config.silenceDeadline().toMillis()) {
                reason = "no worker reported for " + config.silenceDeadline().toSeconds() + " s";
            }
            if (reason != null && outbox.fail(w.simulationId())) {
                LOG.warn("simulation {} FAILED: {}", w.simulationId(), reason);
                // what may still run of it on a worker (a silent task) is stopped, as a cancel does
                broker.revoke(List.of(w.mergeId()));
                broker.revoke(outbox.celeryIds(w.simulationId(), List.of(JobState.FAILED.name())));
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return; // routed to from several simulator types: closed once
        }
        running = false;
        sender.interrupt();
        watcher.interrupt();
        try {
            sender.join(5000);
            watcher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.close();
    }
}
