package io.yaptide.store.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.db.Causes;
import io.yaptide.store.simulations.Platform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dummy} simulator: runs each task of a job in the background and reports exactly as an
 * external worker does, over HTTP to this service's worker endpoints with the simulation's update
 * key: a first update (celery id), RUNNING with start time and requested primaries, progress steps
 * with simulated primaries and estimated time, COMPLETED with end time; when every task has ended,
 * the log files ({@code POST /logfiles}) and then the result set ({@code POST /results}), which
 * marks the simulation COMPLETED.
 *
 * <p>A fixed number of threads runs all tasks of all jobs (queued beyond that), so a burst of
 * submissions cannot start unbounded threads. A cancelled job's remaining steps are skipped.
 */
public final class DummySimulator implements Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(DummySimulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Python's {@code str(datetime.utcnow())}, which workers send. */
    private static final DateTimeFormatter WORKER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    /** Primaries a dummy task reports when the input did not say how many. */
    static final int DEFAULT_PRIMARIES = 1000;

    private final URI baseUrl;
    private final Duration stepDelay;
    private final int progressSteps;
    private final String resultsFile;
    private final ExecutorService pool;
    private final HttpClient http;
    /**
     * Jobs this simulator is running, and whether each was cancelled. Cancels reach every dispatcher,
     * so one for a job not running here is ignored; an entry goes when its job ends, so an id that
     * SQLite gives to a later simulation starts clean.
     */
    private final Map<Long, Boolean> cancelled = new ConcurrentHashMap<>();

    public DummySimulator(URI baseUrl, int threads, Duration stepDelay, int progressSteps, String resultsFile) {
        this.baseUrl = baseUrl;
        this.stepDelay = stepDelay;
        this.progressSteps = Math.max(1, progressSteps);
        this.resultsFile = resultsFile;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dummy-simulator-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void submit(Submission s) {
        int primaries = s.primariesPerTask() > 0 ? s.primariesPerTask() : DEFAULT_PRIMARIES;
        List<CompletableFuture<String>> tasks = new ArrayList<>();
        cancelled.put(s.simulationId(), Boolean.FALSE);
        try {
            for (int task = 0; task < s.taskCount(); task++) {
                int taskId = task;
                tasks.add(CompletableFuture.supplyAsync(() -> runTask(s, taskId, primaries), pool));
            }
            CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new))
                    .thenRunAsync(() -> merge(s, primaries, tasks), pool)
                    .exceptionally(e -> {
                        LOG.warn("dummy simulation {} stopped: {}", s.simulationId(), Causes.root(e).getMessage());
                        return null;
                    })
                    .whenComplete((ignored, e) -> cancelled.remove(s.simulationId()));
        } catch (RejectedExecutionException e) {
            cancelled.remove(s.simulationId());
            LOG.warn("dummy simulator is shut down; {} stays PENDING", s);
        }
        LOG.info("dummy simulator runs {}", s);
    }

    /** Runs one task's reports; returns its log text. */
    private String runTask(Submission s, int taskId, int primaries) {
        StringBuilder log = new StringBuilder();
        long started = System.nanoTime();
        if (s.platform() == Platform.DIRECT) {
            send(s, taskId, update("celery_id", "dummy-" + s.jobId() + "-" + taskId));
        }
        send(s, taskId, update("task_state", "RUNNING", "start_time", now(), "requested_primaries", primaries));
        for (int step = 1; step <= progressSteps && !isCancelled(s); step++) {
            sleep(stepDelay);
            int simulated = (int) ((long) primaries * step / progressSteps);
            long remaining = stepDelay.toSeconds() * (progressSteps - step);
            send(s, taskId, update("simulated_primaries", simulated, "estimated_time", remaining));
            log.append("dummy: ").append(simulated).append(" of ").append(primaries).append(" primaries\n");
        }
        if (!isCancelled(s)) {
            send(s, taskId, update("task_state", "COMPLETED", "end_time", now(),
                    "simulated_primaries", primaries, "requested_primaries", primaries));
        }
        log.append(String.format("dummy: task %d finished in %.1f s%n", taskId, (System.nanoTime() - started) / 1e9));
        return log.toString();
    }

    private void merge(Submission s, int primaries, List<CompletableFuture<String>> tasks) {
        if (isCancelled(s)) {
            return;
        }
        ObjectNode logfiles = JSON.createObjectNode();
        for (int i = 0; i < tasks.size(); i++) {
            logfiles.put(String.format("dummy_%04d.log", i + 1), tasks.get(i).join());
        }
        ObjectNode logBody = JSON.createObjectNode().put("simulation_id", s.simulationId()).put("update_key", s.updateKey());
        logBody.set("logfiles", logfiles);
        post("/logfiles", logBody);
        ArrayNode estimators = DummyResults.load(resultsFile, (long) primaries * s.taskCount());
        ObjectNode results = JSON.createObjectNode().put("simulation_id", s.simulationId()).put("update_key", s.updateKey());
        results.set("estimators", estimators);
        post("/results", results);
        LOG.info("dummy simulator finished simulation {}", s.simulationId());
    }

    private void send(Submission s, int taskId, ObjectNode updateDict) {
        ObjectNode body = JSON.createObjectNode()
                .put("simulation_id", s.simulationId()).put("task_id", taskId).put("update_key", s.updateKey());
        body.set("update_dict", updateDict);
        post("/tasks", body);
    }

    private void post(String path, ObjectNode body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                // as the original's workers: report and carry on; the server decides what it accepts
                LOG.warn("dummy simulator: POST {} answered {}: {}", path, response.statusCode(), response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + baseUrl + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static ObjectNode update(Object... keysAndValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node;
    }

    private boolean isCancelled(Submission s) {
        return cancelled.getOrDefault(s.simulationId(), Boolean.FALSE);
    }

    private static String now() {
        return LocalDateTime.now(ZoneOffset.UTC).format(WORKER_TIME);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void cancel(long simulationId) {
        cancelled.replace(simulationId, Boolean.TRUE);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
