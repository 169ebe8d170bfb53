package io.yaptide.store.cli;

import io.yaptide.store.clusters.Cluster;
import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.db.Database;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationListing;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.tasks.Task;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.users.AuthProvider;
import io.yaptide.store.users.User;
import io.yaptide.store.users.UserStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The admin commands of the original's {@code db_manage.py}, with its names, options, output lines
 * and exit codes, over the stores (no SQL here). Three of its defects are not repeated:
 * {@code remove-task} removes only the named simulation's task; removing a user who owns
 * simulations is refused unless {@code --cascade}; and {@code list-tasks --sim_id} works.
 */
final class AdminCommands {

    private AdminCommands() {
    }

    /** Where {@code --password-stdin} reads; replaceable in tests. */
    static InputStream stdin = System.in;

    abstract static class Admin implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print machine-readable JSON instead of the original's lines.")
        boolean json;

        AdminOutput output;

        @Override
        public final Integer call() {
            return execute(Main.globalOf(spec), spec.commandLine().getOut(), spec.commandLine().getErr());
        }

        /** Runs the command with these options and writers, as picocli's call does (also {@link QuickAdmin}). */
        final Integer execute(GlobalOptions global, PrintWriter stdout, PrintWriter err) {
            output = new AdminOutput(stdout, json);
            if (global.verbosity() > 1) {
                err.println("Connecting to URL: " + global.resolvedUrl().url());
                err.flush();
            }
            // One connection is all a command needs; starting a pool costs more than the command takes.
            // a store's refusal (an empty name...: StoreException.Invalid) ends as a usage error in Main.handle
            try (Database db = EarlyConnection.take(global.resolvedUrl().url())) {
                run(db);
            }
            return ExitCode.OK;
        }

        abstract void run(Database db);

        AdminOutput out() {
            return output;
        }
    }

    static AuthProvider provider(String text) {
        return AuthProvider.parse(text).orElseThrow(() -> new CliException(ExitCode.USAGE,
                "unknown auth provider '" + text + "'; use YaptideUser or KeycloakUser"));
    }

    /** Password from --password, --password-stdin, or a prompt; never empty. */
    static final class PasswordSource {
        @Option(names = "--password", paramLabel = "P", description = "The password (visible in shell history; "
                + "prefer --password-stdin or the prompt).")
        String password;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean fromStdin;

        static String read(PasswordSource source, String name) {
            String pw;
            if (source != null && source.password != null) {
                pw = source.password;
            } else if (source != null && source.fromStdin) {
                try {
                    String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
                    pw = line == null ? "" : line;
                } catch (IOException e) {
                    throw new CliException(ExitCode.USAGE, "cannot read the password from standard input: " + e.getMessage());
                }
            } else {
                java.io.Console console = System.console();
                if (console == null) {
                    throw new CliException(ExitCode.USAGE, "no password given and no terminal to ask for one; "
                            + "use --password-stdin (echo \"$PW\" | ...) or --password");
                }
                char[] first = console.readPassword("Password for %s: ", name);
                char[] again = console.readPassword("Repeat the password: ");
                if (first == null || again == null || !java.util.Arrays.equals(first, again)) {
                    throw new CliException(ExitCode.USAGE, "the two passwords differ; nothing was changed");
                }
                pw = new String(first);
            }
            if (pw.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "the password is empty; give a non-empty password");
            }
            return pw;
        }
    }

    // ---- users ----------------------------------------------------------------------------------

    @Command(name = "list-users", description = "List users: login and auth provider.")
    static final class ListUsers extends Admin {
        @Override
        void run(Database db) {
            List<User> users = new UserStore(db).list();
            out().line(users.size() + " users in DB:");
            for (User u : users) {
                out().line("Login " + u.username() + "; Auth provider " + u.authProvider().dbValue());
            }
            out().document(users.stream().map(u -> row("id", u.id(), "username", u.username(),
                    "auth_provider", u.authProvider().dbValue())).toList());
        }
    }

    @Command(name = "add-user", description = "Add a password (YaptideUser) user.")
    static final class AddUser extends Admin {
        @Parameters(paramLabel = "NAME", description = "Login name.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        PasswordSource password;

        @Override
        void run(Database db) {
            String pw = PasswordSource.read(password, name);
            UserStore users = new UserStore(db);
            out().line("Adding user: " + name);
            if (users.find(name, AuthProvider.YAPTIDE).isPresent()) {
                out().line("User: " + name + " exists");
                throw out().abort("YaptideUser: " + name + " already exists, aborting add");
            }
            out().line("YaptideUser: " + name + " does not exist, adding");
            out().line("Adding user: " + name);
            User created;
            try {
                created = users.createPasswordUser(name, pw);
            } catch (io.yaptide.store.users.UserExistsException raced) {
                throw out().abort("YaptideUser: " + name + " already exists, aborting add");
            }
            out().document(row("id", created.id(), "username", created.username(), "auth_provider",
                    created.authProvider().dbValue(), "added", true));
        }
    }

    @Command(name = "update-user", description = "Set a new password for a YaptideUser.")
    static final class UpdateUser extends Admin {
        @Parameters(paramLabel = "NAME", description = "Login name.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        PasswordSource password;

        @Override
        void run(Database db) {
            UserStore users = new UserStore(db);
            out().line("Updating user: " + name);
            if (users.find(name, AuthProvider.YAPTIDE).isEmpty()) {
                throw out().abort("YaptideUser: " + name + " does not exist, aborting update");
            }
            out().line("User: " + name + " exists");
            String pw = PasswordSource.read(password, name);
            if (!users.updatePassword(name, pw)) {
                throw out().abort("YaptideUser: " + name + " does not exist, aborting update");
            }
            out().line("Successfully updated user: " + name);
            out().document(row("username", name, "updated", true));
        }
    }

    @Command(name = "remove-user", description = {
            "Delete a user (refused while the user owns simulations, unless --cascade).",
            "With --cascade the user's simulations and all their tasks, inputs, results and logs go too, after a "
                    + "count of what will be deleted."})
    static final class RemoveUser extends Admin {
        @Parameters(index = "0", paramLabel = "NAME", description = "Login name.")
        String name;

        @Parameters(index = "1", paramLabel = "AUTH_PROVIDER", description = "YaptideUser or KeycloakUser.")
        String authProvider;

        @Option(names = "--cascade", description = "Also delete the user's simulations with all their data.")
        boolean cascade;

        @Override
        void run(Database db) {
            AuthProvider p = provider(authProvider);
            UserStore users = new UserStore(db);
            out().line("Deleting user: " + name);
            Optional<User> user = users.find(name, p);
            if (user.isEmpty()) {
                throw out().abort("Aborting, user " + name + " does not exist");
            }
            out().line("User: " + name + " exists");
            long id = user.get().id();
            io.yaptide.store.simulations.CascadeCounts owned = new SimulationStore(db).cascadeOfUser(id);
            if (!owned.isEmpty()) {
                String what = owned.simulations() + " simulation(s) with " + owned.tasks() + " task(s), "
                        + owned.inputs() + " input(s), " + owned.estimators() + " estimator(s), " + owned.pages()
                        + " result page(s) and " + owned.logfiles() + " log file(s)";
                if (!cascade) {
                    throw out().abort("Aborting, user " + name + " still owns " + what
                            + "; add --cascade to delete them too");
                }
                out().line("User " + name + " owns " + what + "; deleting them");
            }
            try {
                if (!users.delete(id, cascade)) {
                    throw out().abort("Aborting, user " + name + " does not exist");
                }
            } catch (io.yaptide.store.users.UserHasSimulationsException raced) {
                throw out().abort("Aborting, user " + name + " still owns " + raced.simulations() + " simulation(s)"
                        + " (created meanwhile); add --cascade to delete them too");
            }
            out().line("Successfully deleted user: " + name);
            out().document(row("username", name, "auth_provider", p.dbValue(), "deleted", true,
                    "simulations_deleted", owned.simulations(), "tasks_deleted", owned.tasks(),
                    "inputs_deleted", owned.inputs(), "estimators_deleted", owned.estimators(),
                    "pages_deleted", owned.pages(), "logfiles_deleted", owned.logfiles()));
        }
    }

    // ---- simulations and tasks ------------------------------------------------------------------

    /** The --user / --auth-provider filter of list-simulations and list-tasks, checked as the original did. */
    static final class Filter {
        final Map<Long, User> users;
        final boolean byUser;

        Filter(UserStore store, String user, String authProvider, AdminOutput out) {
            AuthProvider p = authProvider == null ? null : provider(authProvider);
            // with --user, only that name's rows (by index), not every user
            List<User> all = user == null ? store.list() : store.findByUsername(user);
            if (user != null && all.stream().noneMatch(u -> u.username().equals(user))) {
                throw out.abort("Aborting, user " + user + " does not exist");
            }
            users = all.stream()
                    .filter(u -> user == null || u.username().equals(user))
                    .filter(u -> p == null || u.authProvider() == p)
                    .collect(Collectors.toMap(User::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
            byUser = user != null;
        }

        boolean filtered(String user, String authProvider) {
            return user != null || authProvider != null;
        }

        String username(Long userId) {
            User u = userId == null ? null : users.get(userId);
            return u == null ? "None" : u.username();
        }
    }

    @Command(name = "list-simulations", description = "List simulations, optionally of one user / auth provider.")
    static final class ListSimulations extends Admin {
        @Option(names = "--user", paramLabel = "U", description = "Only this user's simulations.")
        String user;

        @Option(names = "--auth-provider", paramLabel = "A", description = "Only users of this provider (YaptideUser, KeycloakUser).")
        String authProvider;

        @Override
        void run(Database db) {
            Filter f = new Filter(new UserStore(db), user, authProvider, out());
            boolean zoneAware = db.isPostgres();
            SimulationStore store = new SimulationStore(db);
            // --user reads only that user's simulations (by index), not the whole table; a listing
            // reads the Simulation rows only (SimulationListing: no variant table is joined)
            List<SimulationListing> sims = f.byUser
                    ? f.users.keySet().stream().flatMap(id -> store.listing(Optional.of(id)).stream())
                            .sorted(java.util.Comparator.comparingLong(SimulationListing::id)).toList()
                    : store.listing(Optional.empty()).stream()
                            .filter(s -> !f.filtered(user, authProvider) || (s.userId() != null && f.users.containsKey(s.userId())))
                            .toList();
            // Only the form that is printed is built: the lines as one block of text (println on
            // the autoflushing stdout of bin/yaptide flushed every line), the JSON document only
            // with --json. Building both took a third of the command's CPU for 900 lines.
            if (!out().json()) {
                String eol = System.lineSeparator();
                StringBuilder text = new StringBuilder(96 * (sims.size() + 1));
                text.append(sims.size()).append(" simulations in DB:").append(eol);
                for (SimulationListing s : sims) {
                    text.append("id ").append(s.id()).append("; job id ").append(s.jobId()).append("; start_time ");
                    AdminOutput.appendPythonTime(text, s.startTime(), zoneAware);
                    text.append("; end_time ");
                    AdminOutput.appendPythonTime(text, s.endTime(), zoneAware);
                    text.append(';');
                    if (!f.byUser) {
                        text.append(" username ").append(f.username(s.userId()));
                    }
                    text.append(eol);
                }
                out().text(text);
                return;
            }
            List<Map<String, Object>> doc = new ArrayList<>(sims.size());
            for (SimulationListing s : sims) {
                doc.add(row("id", s.id(), "job_id", s.jobId(), "start_time", iso(s.startTime()), "end_time", iso(s.endTime()),
                        "username", s.userId() == null ? null : f.username(s.userId()), "job_state", s.state().name(),
                        "platform", s.platform().name(), "title", s.title()));
            }
            out().document(doc);
        }
    }

    @Command(name = "remove-simulation", description = "Delete a simulation with its tasks, input, results and logs.")
    static final class RemoveSimulation extends Admin {
        @Parameters(paramLabel = "SIMULATION_ID", description = "The simulation's id (see list-simulations).")
        long simulationId;

        @Override
        void run(Database db) {
            out().line("Deleting simulation: " + simulationId);
            if (!new SimulationStore(db).delete(simulationId)) {
                throw out().abort("Aborting, simulation " + simulationId + " does not exist");
            }
            out().line("Successfully deleted simulation: " + simulationId);
            out().document(row("simulation_id", simulationId, "deleted", true));
        }
    }

    @Command(name = "list-tasks", description = "List tasks, optionally of one user / auth provider / simulation.")
    static final class ListTasks extends Admin {
        @Option(names = "--user", paramLabel = "U", description = "Only this user's tasks.")
        String user;

        @Option(names = "--auth-provider", paramLabel = "A", description = "Only users of this provider (YaptideUser, KeycloakUser).")
        String authProvider;

        @Option(names = {"--sim_id", "--sim-id"}, paramLabel = "N", description = "Only the tasks of simulation N.")
        Long simId;

        @Override
        void run(Database db) {
            Filter f = new Filter(new UserStore(db), user, authProvider, out());
            SimulationStore simStore = new SimulationStore(db);
            List<Simulation> sims;
            if (simId != null) {
                Optional<Simulation> one = simStore.findById(simId);
                if (one.isEmpty()) {
                    throw out().abort("Aborting, simulation " + simId + " does not exist");
                }
                sims = List.of(one.get());
            } else {
                sims = simStore.list(Optional.empty());
            }
            sims = sims.stream()
                    .filter(s -> !f.filtered(user, authProvider) || (s.userId() != null && f.users.containsKey(s.userId())))
                    .toList();
            TaskStore tasks = new TaskStore(db);
            List<String> lines = new ArrayList<>();
            List<Map<String, Object>> doc = new ArrayList<>();
            for (Simulation s : sims) {
                String userColumn = f.byUser ? "" : " username " + f.username(s.userId());
                for (Task t : tasks.listBySimulation(s.id())) {
                    // the original's current format (since late 2024): the task's state, the columns joined by "; "
                    lines.add(String.join("; ", "Simulation id " + s.id(), "Task id ..." + t.taskId(),
                            "task_state " + t.state().name(), userColumn));
                    doc.add(row("simulation_id", s.id(), "task_id", t.taskId(), "task_state", t.state().name(),
                            "username", s.userId() == null ? null : f.username(s.userId())));
                }
            }
            out().line(lines.size() + " tasks in DB:");
            lines.forEach(out()::line);
            out().document(doc);
        }
    }

    @Command(name = "remove-task", description = "Delete task TASK_ID of simulation SIMULATION_ID (only that simulation's).")
    static final class RemoveTask extends Admin {
        @Parameters(index = "0", paramLabel = "SIMULATION_ID", description = "The simulation's id.")
        long simulationId;

        @Parameters(index = "1", paramLabel = "TASK_ID", description = "The task's number within the simulation (0, 1, ...).")
        int taskId;

        @Override
        void run(Database db) {
            out().line("Deleting task: " + taskId + " from simulation: " + simulationId);
            if (!new TaskStore(db).delete(simulationId, taskId)) {
                throw out().abort("Aborting, task " + taskId + " does not exist");
            }
            out().line("Successfully deleted task: " + taskId);
            out().document(row("simulation_id", simulationId, "task_id", taskId, "deleted", true));
        }
    }

    @Command(name = "rotate-update-key", description = {
            "Give a simulation a fresh update key (for workers run by hand, and tests).",
            "The key is printed once, on the last line; only its hash is stored."})
    static final class RotateUpdateKey extends Admin {
        @Parameters(paramLabel = "JOB_ID", description = "The simulation's job id (see list-simulations).")
        String jobId;

        @Override
        void run(Database db) {
            SimulationStore sims = new SimulationStore(db);
            Optional<Simulation> sim = sims.findByJobId(jobId);
            if (sim.isEmpty()) {
                throw out().abort("Aborting, simulation with job id " + jobId + " does not exist");
            }
            String key = sims.rotateUpdateKey(sim.get().id());
            out().line("New update key of simulation " + sim.get().id() + " (job id " + jobId
                    + "); it is shown only this once, and the old key no longer works:");
            out().line(key);
            out().document(row("simulation_id", sim.get().id(), "job_id", jobId, "update_key", key));
        }
    }

    // ---- clusters -------------------------------------------------------------------------------

    @Command(name = "add-cluster", description = "Add a batch cluster, unless one of that name exists.")
    static final class AddCluster extends Admin {
        @Parameters(paramLabel = "NAME", description = "Cluster name (such as ares).")
        String name;

        @Override
        void run(Database db) {
            ClusterStore clusters = new ClusterStore(db);
            if (clusters.findByName(name).isPresent()) {
                throw out().abort("Cluster " + name + " already exists in DB");
            }
            Cluster c;
            try {
                c = clusters.create(name);
            } catch (io.yaptide.store.clusters.ClusterExistsException raced) {
                throw out().abort("Cluster " + name + " already exists in DB");
            }
            out().line("Cluster " + name + " added to DB");
            out().document(row("id", c.id(), "cluster_name", c.name(), "added", true));
        }
    }

    @Command(name = "list-clusters", description = "List batch clusters.")
    static final class ListClusters extends Admin {
        @Override
        void run(Database db) {
            List<Cluster> clusters = new ClusterStore(db).list();
            out().line(clusters.size() + " clusters in DB:");
            clusters.forEach(c -> out().line("id " + c.id() + "; cluster name " + c.name() + ";"));
            out().document(clusters.stream().map(c -> row("id", c.id(), "cluster_name", c.name())).toList());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    static String iso(java.time.Instant t) {
        return t == null ? null : t.toString();
    }

    /** An ordered JSON object from name/value pairs (values may be null, unlike Map.of). */
    static Map<String, Object> row(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
