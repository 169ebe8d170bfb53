package io.yaptide.store.simulations;

import io.yaptide.store.results.Payload;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.TestDatabase;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rows that simulation and task tests need around them. Users and clusters are inserted with plain
 * SQL so these tests depend only on the schema, not on the stores of other concepts.
 */
public final class SimulationSeeds {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    public static final Instant T0 = Instant.parse("2024-10-29T22:23:14.123456Z");

    private SimulationSeeds() {
    }

    public static long user(TestDatabase db, String name) {
        return db.jdbi().withHandle(h -> {
            long id = h.createUpdate("INSERT INTO \"User\" (username, auth_provider) VALUES (:name, 'YaptideUser')")
                    .bind("name", name).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            h.createUpdate("INSERT INTO \"YaptideUser\" (id, password_hash) VALUES (:id, 'not-a-real-hash')")
                    .bind("id", id).execute();
            return id;
        });
    }

    public static long cluster(TestDatabase db, String name) {
        return db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO \"Cluster\" (cluster_name) VALUES (:name)")
                .bind("name", name).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    /** The editor payload of the fixtures, as a simulation input. */
    public static Payload editorInput() {
        return Payload.ofJsonBytes(Fixtures.readBytes("json_payload_editor.json"));
    }

    public static NewSimulation direct(long userId, int tasks) {
        return direct(userId, tasks, T0);
    }

    public static NewSimulation direct(long userId, int tasks, Instant start) {
        return new NewSimulation(jobId("DIRECT"), userId, "direct run", Platform.DIRECT, InputType.EDITOR,
                SimulatorType.SHIELDHIT, null, tasks, 1000, Payload.ofJson(Map.of("input_files", Map.of("beam.dat", "x"))), start);
    }

    public static NewSimulation batch(long userId, long clusterId, int tasks) {
        return new NewSimulation(jobId("BATCH"), userId, "batch run", Platform.BATCH, InputType.FILES,
                SimulatorType.FLUKA, clusterId, tasks, 500, Payload.ofJson(Map.of("input_files", Map.of("fl.inp", "y"))), T0);
    }

    public static String jobId(String platform) {
        return "20241029-222314-" + String.format("%08d", COUNTER.incrementAndGet()) + "-test" + platform;
    }
}
