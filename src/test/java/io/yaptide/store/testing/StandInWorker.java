package io.yaptide.store.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Celery worker (Debian's python3-celery, {@code /usr/bin/python3}) running the stand-in of
 * the original's worker modules in {@code src/test/python}: the original's command line, its
 * environment ({@code CELERY_BROKER_URL}, {@code CELERY_RESULT_BACKEND}, {@code BACKEND_INTERNAL_URL}).
 */
public final class StandInWorker implements AutoCloseable {
    private final Process process;
    private final Path log;

    private StandInWorker(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The simulation worker on queue {@code simulations}. */
    public static StandInWorker simulations(String redisUrl, URI backend) throws IOException, InterruptedException {
        return start("yaptide.celery.simulation_worker", "simulations", 3, redisUrl, backend);
    }

    /** The helper worker on queue {@code helper-short} (the clean-up task after a cancel). */
    public static StandInWorker helper(String redisUrl, URI backend) throws IOException, InterruptedException {
        return start("yaptide.utils.helper_worker", "helper-short", 1, redisUrl, backend);
    }

    private static StandInWorker start(String app, String queue, int concurrency, String redisUrl, URI backend)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("celery-worker", ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/python3", "-m", "celery", "--app", app, "worker",
                "--queues", queue, "--concurrency", Integer.toString(concurrency), "--pool", "prefork",
                "--hostname", queue + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "@%h",
                "--without-gossip", "--without-mingle", "--loglevel", "INFO"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PYTHONPATH", Path.of("src", "test", "python").toAbsolutePath().toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // nothing written into the source tree
        pb.environment().put("CELERY_BROKER_URL", redisUrl);
        pb.environment().put("CELERY_RESULT_BACKEND", redisUrl);
        pb.environment().put("BACKEND_INTERNAL_URL", backend.toString());
        StandInWorker w = new StandInWorker(pb.start(), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains(" ready.")) {
            if (!w.process.isAlive() || System.nanoTime() > deadline) {
                String out = Files.readString(log);
                w.close();
                throw new IllegalStateException("the Celery worker did not start: " + out);
            }
            Thread.sleep(100);
        }
        return w;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            // kept for a failing test's reader: target/celery-workers/
            Path kept = Path.of("target", "celery-workers");
            Files.createDirectories(kept);
            Files.move(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a temp file left behind
        }
    }
}
