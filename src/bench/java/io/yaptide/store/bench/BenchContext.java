package io.yaptide.store.bench;

import io.yaptide.store.db.Database;
import io.yaptide.store.results.Payload;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.CreatedSimulation;
import io.yaptide.store.simulations.InputType;
import io.yaptide.store.simulations.NewSimulation;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.simulations.SimulatorType;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.users.PasswordUser;
import io.yaptide.store.users.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What workloads share: the database (opened lazily, so database-free workloads run without one),
 * the stores, the fixture files, a bench user owning everything created (removed with all of it at
 * the end), and the simulations holding ingested results, so read workloads can reuse what
 * {@code ingest} stored or prepare it themselves.
 */
public final class BenchContext implements AutoCloseable {
    /** Result sets stored by ingest and read back by the read workloads. */
    public static final int RESULT_SETS = 20;

    private final Opener opener;
    private final Path fixtures;
    private Database db;
    private PasswordUser user;
    private byte[] resultsFixture;
    private List<Long> resultSimulations;

    /** Opens (and migrates) the database on first use. */
    public interface Opener {
        Database open();
    }

    public BenchContext(Opener opener, Path fixtures) {
        this.opener = opener;
        this.fixtures = fixtures;
    }

    public synchronized Database db() {
        if (db == null) {
            db = opener.open();
        }
        return db;
    }

    public SimulationStore simulations() {
        return new SimulationStore(db());
    }

    public TaskStore tasks() {
        return new TaskStore(db());
    }

    public ResultStore results() {
        return new ResultStore(db());
    }

    public Path fixture(String name) {
        return fixtures.resolve(name);
    }

    /** {@code json_with_results.json} as bytes. */
    public synchronized byte[] resultsFixture() {
        if (resultsFixture == null) {
            try {
                resultsFixture = Files.readAllBytes(fixture("json_with_results.json"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the fixture json_with_results.json under " + fixtures, e);
            }
        }
        return resultsFixture;
    }

    /** The user owning everything the benchmarks create. */
    public synchronized PasswordUser user() {
        if (user == null) {
            user = new UserStore(db()).createPasswordUser("bench-" + UUID.randomUUID(), UUID.randomUUID().toString());
        }
        return user;
    }

    /** A new direct simulation of the bench user with {@code tasks} PENDING tasks. */
    public CreatedSimulation newSimulation(int tasks) {
        return simulations().create(new NewSimulation("bench-" + UUID.randomUUID() + "DIRECT", user().id(), "benchmark",
                Platform.DIRECT, InputType.EDITOR, SimulatorType.SHIELDHIT, null, tasks, 1_000_000,
                Payload.ofJson(Map.of("input_type", "editor")), Instant.now()));
    }

    /** Simulations holding the stored result sets ({@link #RESULT_SETS} of them), if stored already. */
    public synchronized List<Long> resultSimulations() {
        return resultSimulations;
    }

    public synchronized void setResultSimulations(List<Long> ids) {
        resultSimulations = new ArrayList<>(ids);
    }

    /** Removes the bench user with all its simulations, tasks and results. */
    @Override
    public synchronized void close() {
        if (db != null) {
            try {
                if (user != null) {
                    new UserStore(db).delete(user.id(), true);
                }
            } finally {
                db.close();
            }
        }
    }
}
