package io.yaptide.store.ops;

import io.yaptide.store.db.Database;
import io.yaptide.store.results.Estimator;
import io.yaptide.store.results.Payload;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.users.User;
import io.yaptide.store.users.UserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the application needs of the data, checked through the stores themselves: every user loads,
 * every simulation loads with its tasks, every stored payload decompresses and parses as JSON.
 */
final class ReadChecks {

    /** Counts of what loaded, and a line per failure. */
    public record Report(long users, long simulations, long tasks, long payloads, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }

        public String summary() {
            return users + " users, " + simulations + " simulations with " + tasks + " tasks, "
                    + payloads + " payloads decompressed";
        }
    }

    private ReadChecks() {
    }

    public static Report run(Database db) {
        List<String> failures = new ArrayList<>();
        long users = 0;
        long simulations = 0;
        long tasks = 0;
        long payloads = 0;
        UserStore userStore = new UserStore(db);
        SimulationStore simulationStore = new SimulationStore(db);
        TaskStore taskStore = new TaskStore(db);
        ResultStore resultStore = new ResultStore(db);
        try {
            for (User u : userStore.list()) {
                if (userStore.findById(u.id()).isEmpty()) {
                    failures.add("user " + u.id() + " (" + u.username() + ") is listed but does not load");
                }
                users++;
            }
        } catch (RuntimeException e) {
            failures.add("users do not load: " + firstLine(e));
        }
        List<Simulation> all;
        try {
            all = simulationStore.list(Optional.empty());
        } catch (RuntimeException e) {
            failures.add("simulations do not load: " + firstLine(e));
            all = List.of();
        }
        for (Simulation s : all) {
            try {
                if (simulationStore.findById(s.id()).isEmpty()) {
                    failures.add("simulation " + s.id() + " is listed but does not load");
                }
                tasks += taskStore.listBySimulation(s.id()).size();
                simulations++;
                Optional<io.yaptide.store.results.StoredInput> input = resultStore.input(s.id());
                if (input.isPresent()) {
                    payloads += decode(input.get().data(), "input of simulation " + s.id(), failures);
                }
                Optional<io.yaptide.store.results.StoredLogfiles> logs = resultStore.logfiles(s.id());
                if (logs.isPresent()) {
                    payloads += decode(logs.get().data(), "log files of simulation " + s.id(), failures);
                }
                for (Estimator e : resultStore.estimators(s.id())) {
                    if (e.metadata() != null) {
                        payloads += decode(e.metadata(), "estimator " + e.name() + " of simulation " + s.id(), failures);
                    }
                    for (ResultPage p : resultStore.pages(e.id())) {
                        payloads += decode(p.data(), "page " + p.pageNumber() + " of estimator " + e.name()
                                + " of simulation " + s.id(), failures);
                    }
                }
            } catch (RuntimeException e) {
                failures.add("simulation " + s.id() + " does not load with its tasks and results: " + firstLine(e));
            }
        }
        return new Report(users, simulations, tasks, payloads, failures);
    }

    private static int decode(Payload p, String what, List<String> failures) {
        if (p == null) {
            return 0;
        }
        try {
            p.json();
            return 1;
        } catch (RuntimeException e) {
            failures.add(what + " does not decompress: " + firstLine(e));
            return 0;
        }
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
