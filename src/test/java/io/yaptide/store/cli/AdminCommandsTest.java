package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.EmptyDatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.UserStore;
import java.util.Map;

/** Every admin command on both databases: its lines, its exit code, and what it did to the data. */
class AdminCommandsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    private static long user(TestDatabase db, String name) {
        return new UserStore(db.database()).createPasswordUser(name, "secret-1").id();
    }

    @DatabaseTest
    void listUsersPrintsCountThenOneLinePerUserOfEitherProvider(TestDatabase db) {
        user(db, "anna");
        new UserStore(db.database()).createKeycloakUser("plg", "cert", "key");
        Cli.Result r = Cli.run(db.url(), "list-users");
        assertThat(r.code()).isZero();
        assertThat(r.outLines()).containsExactly("2 users in DB:",
                "Login anna; Auth provider YaptideUser", "Login plg; Auth provider KeycloakUser");
    }

    @DatabaseTest
    void listUsersAsJsonGivesIdsNamesAndProviders(TestDatabase db) throws Exception {
        long id = user(db, "anna");
        Cli.Result r = Cli.run(db.url(), "list-users", "--json");
        JsonNode users = JSON.readTree(r.out());
        assertThat(users).hasSize(1);
        assertThat(users.get(0).get("id").asLong()).isEqualTo(id);
        assertThat(users.get(0).get("username").asText()).isEqualTo("anna");
        assertThat(users.get(0).get("auth_provider").asText()).isEqualTo("YaptideUser");
    }

    @DatabaseTest
    void addUserStoresOnlyAHashAndTheUserCanLogIn(TestDatabase db) {
        Cli.Result r = Cli.run(db.url(), "add-user", "demo.user", "--password", "demo-Pass-123");
        assertThat(r.code()).isZero();
        assertThat(r.outLines()).containsExactly("Adding user: demo.user",
                "YaptideUser: demo.user does not exist, adding", "Adding user: demo.user");
        UserStore users = new UserStore(db.database());
        assertThat(users.authenticate("demo.user", "demo-Pass-123")).isPresent();
        String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT password_hash FROM \"YaptideUser\"")
                .mapTo(String.class).one());
        assertThat(stored).doesNotContain("demo-Pass-123").startsWith("scrypt:");
    }

    @DatabaseTest
    void addUserOfAnExistingNameIsAbortedWithTheOriginalsLines(TestDatabase db) {
        user(db, "demo.user");
        Cli.Result r = Cli.run(db.url(), "add-user", "demo.user", "--password", "again");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.outLines()).containsExactly("Adding user: demo.user", "User: demo.user exists",
                "YaptideUser: demo.user already exists, aborting add");
        assertThat(r.err()).isEqualTo("Aborted!\n");
        assertThat(new UserStore(db.database()).authenticate("demo.user", "secret-1")).isPresent();
    }

    @DatabaseTest
    void passwordComesFromStdinAndAnEmptyOneIsRefused(TestDatabase db) {
        Cli.Result ok = Cli.runWithInput(db.url(), "from-stdin-9\n", "add-user", "piped", "--password-stdin");
        assertThat(ok.code()).isZero();
        assertThat(new UserStore(db.database()).authenticate("piped", "from-stdin-9")).isPresent();

        Cli.Result empty = Cli.runWithInput(db.url(), "\n", "add-user", "blank", "--password-stdin");
        assertThat(empty.code()).isEqualTo(ExitCode.USAGE);
        assertThat(empty.err()).contains("password is empty");
        assertThat(new UserStore(db.database()).find("blank", io.yaptide.store.users.AuthProvider.YAPTIDE)).isEmpty();
    }

    @DatabaseTest
    void withoutAPasswordAndWithoutATerminalTheCommandSaysHowToGiveOne(TestDatabase db) {
        Cli.Result r = Cli.run(db.url(), "add-user", "nopw");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--password-stdin");
    }

    @DatabaseTest
    void updateUserChangesThePasswordOrAbortsForAnUnknownUser(TestDatabase db) {
        user(db, "demo.user");
        Cli.Result r = Cli.run(db.url(), "update-user", "demo.user", "--password", "changed-Pass-1");
        assertThat(r.code()).isZero();
        assertThat(r.outLines()).containsExactly("Updating user: demo.user", "User: demo.user exists",
                "Successfully updated user: demo.user");
        assertThat(new UserStore(db.database()).authenticate("demo.user", "changed-Pass-1")).isPresent();

        Cli.Result missing = Cli.run(db.url(), "update-user", "nobody.here", "--password", "x");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.allLines()).containsExactly("Updating user: nobody.here",
                "YaptideUser: nobody.here does not exist, aborting update", "Aborted!");
    }

    @DatabaseTest
    void removeUserOfAnUnknownUserIsAborted(TestDatabase db) {
        Cli.Result r = Cli.run(db.url(), "remove-user", "demo.user", "YaptideUser");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.allLines()).containsExactly("Deleting user: demo.user", "Aborting, user demo.user does not exist", "Aborted!");
    }

    @DatabaseTest
    void removeUserWithNoSimulationsDeletesIt(TestDatabase db) {
        user(db, "demo.user");
        Cli.Result r = Cli.run(db.url(), "remove-user", "demo.user", "YaptideUser");
        assertThat(r.code()).isZero();
        assertThat(r.outLines()).containsExactly("Deleting user: demo.user", "User: demo.user exists",
                "Successfully deleted user: demo.user");
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("User", 0L).containsEntry("YaptideUser", 0L);
    }

    @DatabaseTest
    void removeUserWhoOwnsSimulationsIsRefusedUnlessCascadeThenEverythingGoes(TestDatabase db) {
        long owner = user(db, "owner");
        long other = user(db, "other");
        long sim = SeedRows.directSimulation(db.jdbi(), owner, 3);
        SeedRows.resultsAndLogs(db.jdbi(), sim, 2);
        long kept = SeedRows.directSimulation(db.jdbi(), other, 1);
        Map<String, Long> before = SeedRows.counts(db.jdbi());

        Cli.Result refused = Cli.run(db.url(), "remove-user", "owner", "YaptideUser");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.outLines()).hasSize(3);
        assertThat(refused.outLines().get(2)).isEqualTo("Aborting, user owner still owns 1 simulation(s) with 3 task(s), "
                + "0 input(s), 1 estimator(s), 2 result page(s) and 1 log file(s); add --cascade to delete them too");
        assertThat(refused.err()).isEqualTo("Aborted!\n");
        assertThat(SeedRows.counts(db.jdbi())).isEqualTo(before);

        Cli.Result cascaded = Cli.run(db.url(), "remove-user", "owner", "YaptideUser", "--cascade");
        assertThat(cascaded.code()).isZero();
        assertThat(cascaded.outLines()).contains("Successfully deleted user: owner");
        Map<String, Long> after = SeedRows.counts(db.jdbi());
        assertThat(after).containsEntry("User", 1L).containsEntry("Simulation", 1L).containsEntry("Task", 1L)
                .containsEntry("Estimator", 0L).containsEntry("Page", 0L).containsEntry("Logfiles", 0L);
        assertThat(new SimulationStore(db.database()).findById(kept)).isPresent();
    }

    @DatabaseTest
    void anUnknownAuthProviderIsAUsageError(TestDatabase db) {
        Cli.Result r = Cli.run(db.url(), "remove-user", "x", "Foo");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).isEqualTo("Error: unknown auth provider 'Foo'; use YaptideUser or KeycloakUser\n");
    }

    @DatabaseTest
    void clustersAreListedAddedAndADuplicateIsAborted(TestDatabase db) {
        new ClusterStore(db.database()).create("ares");
        assertThat(Cli.run(db.url(), "add-cluster", "eagle").outLines()).containsExactly("Cluster eagle added to DB");
        Cli.Result dup = Cli.run(db.url(), "add-cluster", "ares");
        assertThat(dup.code()).isEqualTo(1);
        assertThat(dup.allLines()).containsExactly("Cluster ares already exists in DB", "Aborted!");
        Cli.Result list = Cli.run(db.url(), "list-clusters");
        assertThat(list.outLines()).hasSize(3);
        assertThat(list.outLines().get(0)).isEqualTo("2 clusters in DB:");
        assertThat(list.outLines().get(1)).matches("id \\d+; cluster name ares;");
        assertThat(list.outLines().get(2)).matches("id \\d+; cluster name eagle;");
    }

    @DatabaseTest
    void listSimulationsShowsTheOwnerUnlessFilteredByUser(TestDatabase db) {
        long anna = user(db, "anna");
        long bob = user(db, "bob");
        long s1 = SeedRows.directSimulation(db.jdbi(), anna, 1);
        SeedRows.directSimulation(db.jdbi(), bob, 1);
        Cli.Result all = Cli.run(db.url(), "list-simulations");
        assertThat(all.outLines()).hasSize(3);
        assertThat(all.outLines().get(0)).isEqualTo("2 simulations in DB:");
        assertThat(all.outLines().get(1)).startsWith("id " + s1 + "; job id ").contains("; start_time ")
                .endsWith("; end_time None; username anna");

        Cli.Result annas = Cli.run(db.url(), "list-simulations", "--user", "anna");
        assertThat(annas.outLines()).hasSize(2);
        assertThat(annas.outLines().get(1)).endsWith("; end_time None;");

        Cli.Result keycloak = Cli.run(db.url(), "list-simulations", "--auth-provider", "KeycloakUser");
        assertThat(keycloak.outLines()).containsExactly("0 simulations in DB:");

        Cli.Result nobody = Cli.run(db.url(), "list-simulations", "--user", "nobody.here");
        assertThat(nobody.code()).isEqualTo(1);
        assertThat(nobody.allLines()).containsExactly("Aborting, user nobody.here does not exist", "Aborted!");
    }

    @DatabaseTest
    void listTasksFiltersBySimulationWithEitherSpellingOfTheOption(TestDatabase db) {
        long anna = user(db, "anna");
        long s1 = SeedRows.directSimulation(db.jdbi(), anna, 2);
        SeedRows.directSimulation(db.jdbi(), anna, 3);
        for (String option : new String[] {"--sim_id", "--sim-id"}) {
            Cli.Result r = Cli.run(db.url(), "list-tasks", option, String.valueOf(s1));
            assertThat(r.code()).isZero();
            assertThat(r.outLines()).containsExactly("2 tasks in DB:",
                    "Simulation id " + s1 + "; Task id ...0; task_state PENDING;  username anna",
                    "Simulation id " + s1 + "; Task id ...1; task_state PENDING;  username anna");
        }
        Cli.Result byUser = Cli.run(db.url(), "list-tasks", "--user", "anna", "--auth-provider", "YaptideUser");
        assertThat(byUser.outLines()).hasSize(6).first().isEqualTo("5 tasks in DB:");
        assertThat(byUser.outLines().get(1)).isEqualTo("Simulation id " + s1 + "; Task id ...0; task_state PENDING; ");

        Cli.Result missing = Cli.run(db.url(), "list-tasks", "--sim-id", "999999");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.allLines()).containsExactly("Aborting, simulation 999999 does not exist", "Aborted!");
    }

    @DatabaseTest
    void removeTaskRemovesOnlyThatSimulationsTask(TestDatabase db) {
        long anna = user(db, "anna");
        long s1 = SeedRows.directSimulation(db.jdbi(), anna, 2);
        long s2 = SeedRows.directSimulation(db.jdbi(), anna, 2);
        Cli.Result r = Cli.run(db.url(), "remove-task", String.valueOf(s1), "0");
        assertThat(r.code()).isZero();
        assertThat(r.outLines()).containsExactly("Deleting task: 0 from simulation: " + s1, "Successfully deleted task: 0");
        io.yaptide.store.tasks.TaskStore tasks = new io.yaptide.store.tasks.TaskStore(db.database());
        assertThat(tasks.find(s1, 0)).isEmpty();
        assertThat(tasks.find(s1, 1)).isPresent();
        assertThat(tasks.find(s2, 0)).isPresent();

        Cli.Result missing = Cli.run(db.url(), "remove-task", String.valueOf(s1), "999");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.allLines()).containsExactly("Deleting task: 999 from simulation: " + s1,
                "Aborting, task 999 does not exist", "Aborted!");

        Cli.Result notANumber = Cli.run(db.url(), "remove-task", "one", "0");
        assertThat(notANumber.code()).isEqualTo(ExitCode.USAGE);
    }

    @DatabaseTest
    void removeSimulationDeletesItWithEverythingItOwns(TestDatabase db) {
        long anna = user(db, "anna");
        long sim = SeedRows.directSimulation(db.jdbi(), anna, 2);
        SeedRows.resultsAndLogs(db.jdbi(), sim, 3);
        Cli.Result r = Cli.run(db.url(), "remove-simulation", String.valueOf(sim));
        assertThat(r.code()).isZero();
        assertThat(r.outLines()).containsExactly("Deleting simulation: " + sim, "Successfully deleted simulation: " + sim);
        assertThat(SeedRows.counts(db.jdbi())).containsEntry("Simulation", 0L).containsEntry("Task", 0L)
                .containsEntry("Page", 0L).containsEntry("Logfiles", 0L).containsEntry("User", 1L);

        Cli.Result missing = Cli.run(db.url(), "remove-simulation", "999999");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.allLines()).containsExactly("Deleting simulation: 999999",
                "Aborting, simulation 999999 does not exist", "Aborted!");
    }

    @DatabaseTest
    void rotateUpdateKeyPrintsAKeyThatWorksAndStoresOnlyItsHash(TestDatabase db) throws Exception {
        long anna = user(db, "anna");
        long sim = SeedRows.directSimulation(db.jdbi(), anna, 1);
        SimulationStore sims = new SimulationStore(db.database());
        String jobId = sims.findById(sim).orElseThrow().jobId();
        Cli.Result r = Cli.run(db.url(), "rotate-update-key", jobId);
        assertThat(r.code()).isZero();
        String key = r.outLines().get(r.outLines().size() - 1);
        assertThat(sims.checkUpdateKey(sim, key)).isTrue();
        String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT update_key_hash FROM \"Simulation\"")
                .mapTo(String.class).one());
        assertThat(stored).isNotEqualTo(key).doesNotContain(key);

        JsonNode again = JSON.readTree(Cli.run(db.url(), "rotate-update-key", jobId, "--json").out());
        assertThat(again.get("simulation_id").asLong()).isEqualTo(sim);
        assertThat(sims.checkUpdateKey(sim, again.get("update_key").asText())).isTrue();
        assertThat(sims.checkUpdateKey(sim, key)).isFalse();

        Cli.Result missing = Cli.run(db.url(), "rotate-update-key", "no-such-job");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.allLines()).containsExactly("Aborting, simulation with job id no-such-job does not exist", "Aborted!");
    }

    @DatabaseTest
    void theCommandTheServiceLogsForAnExternalJobWorksAsLogged(TestDatabase db) {
        long anna = user(db, "anna");
        long sim = SeedRows.directSimulation(db.jdbi(), anna, 1);
        String jobId = new SimulationStore(db.database()).findById(sim).orElseThrow().jobId();
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(io.yaptide.store.dispatch.ExternalWorkers.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        log.addAppender(lines);
        ch.qos.logback.classic.Level level = log.getLevel();
        log.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            new io.yaptide.store.dispatch.ExternalWorkers().submit(new io.yaptide.store.dispatch.Submission(sim, jobId,
                    io.yaptide.store.simulations.SimulatorType.SHIELDHIT, io.yaptide.store.simulations.Platform.DIRECT,
                    1, 100, "key", JSON.createObjectNode()));
        } finally {
            log.detachAppender(lines);
            log.setLevel(level);
        }
        String logged = lines.list.get(0).getFormattedMessage();
        java.util.regex.Matcher command = java.util.regex.Pattern.compile("bin/yaptide (rotate-update-key) (\\S+)").matcher(logged);
        assertThat(command.find()).as(logged).isTrue();
        Cli.Result r = Cli.run(db.url(), command.group(1), command.group(2));
        assertThat(r.code()).as(r.allLines().toString()).isZero();
    }

    @DatabaseTest
    void inJsonModeARefusalIsOneErrorLineWithTheSameExitCode(TestDatabase db) {
        Cli.Result r = Cli.run(db.url(), "remove-simulation", "999999", "--json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("Error: Aborting, simulation 999999 does not exist\n");
    }

    @DatabaseTest
    void verbosityTwoNamesTheDatabaseWithThePasswordMasked(TestDatabase db) {
        Cli.Result r = Cli.run(db.url(), "list-clusters", "-vv");
        assertThat(r.code()).isZero();
        assertThat(r.err()).startsWith("Connecting to URL: ");
        if (db.url().password().isPresent()) {
            assertThat(r.err()).doesNotContain(db.url().password().get() + "@").contains("***");
        }
    }

    @EmptyDatabaseTest
    void onADatabaseWithoutTheSchemaTheCommandSaysToMigrate(TestDatabase db) {
        Cli.Result r = Cli.run(db.url(), "list-users");
        assertThat(r.code()).isEqualTo(ExitCode.MIGRATION);
        assertThat(r.err()).startsWith("Error: the database has no Yaptide schema").contains("db upgrade");
        assertThat(r.err().lines()).hasSize(1);
    }

    @DatabaseTest
    void anUnreachableDatabaseIsOneLineAndExitCodeFour(TestDatabase db) {
        Cli.Result r = Cli.run(null, "--db", "postgresql://nobody:pw@127.0.0.1:1/none", "list-users");
        assertThat(r.code()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).doesNotContain(":pw@");
    }
}
