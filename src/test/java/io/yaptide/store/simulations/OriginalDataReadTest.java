package io.yaptide.store.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import io.yaptide.store.tasks.BatchTask;
import io.yaptide.store.tasks.DirectTask;
import io.yaptide.store.tasks.Task;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.tasks.TaskUpdate;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.OriginalCredentials;
import io.yaptide.store.testing.OriginalDatabases;
import io.yaptide.store.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stores read and update the databases the original system wrote (fixtures
 * {@code original-db/}: 30 simulations in every state, direct and batch, 633 tasks), on both engines.
 */
class OriginalDataReadTest {

    private static Database open(String engine) throws IOException, InterruptedException {
        if (engine.equals("sqlite")) {
            Path copy = Files.createTempFile("yaptide-original-copy-", ".db");
            Files.copy(OriginalDatabases.sqliteFile(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            copy.toFile().deleteOnExit();
            return Database.open(DatabaseUrl.parse("sqlite:///" + copy.toAbsolutePath()));
        }
        DatabaseUrl url = TestDatabases.scratchPostgres("original");
        ProcessBuilder p = new ProcessBuilder("bash", "-c", "xz -dc \"$0\" | psql -q -v ON_ERROR_STOP=1 -h \"$1\" -p \"$2\" -U \"$3\" -d \"$4\"",
                Fixtures.file("original-db/postgres.sql.xz").toAbsolutePath().toString(), url.host(),
                String.valueOf(url.port()), url.user().orElse("postgres"), url.database())
                .redirectErrorStream(true);
        url.password().ifPresent(pw -> p.environment().put("PGPASSWORD", pw));
        Process run = p.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as("loading postgres.sql.xz with psql: " + output).isZero();
        return Database.open(url);
    }

    private static long userId(Database db, String username) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM \"User\" WHERE username = :u")
                .bind("u", username).mapTo(Long.class).one());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void everySimulationAndTaskOfTheOriginalLoadsAsItsVariant(String engine) throws Exception {
        try (Database db = open(engine)) {
            SimulationStore sims = new SimulationStore(db);
            TaskStore tasks = new TaskStore(db);
            List<JsonNode> expected = List.copyOf(listOf(OriginalCredentials.json().get("simulations")));

            JsonNode counts = OriginalCredentials.json().get("counts");
            List<Simulation> all = sims.list(Optional.empty());
            assertThat(all).hasSize(counts.get("Simulation").asInt());
            assertThat(all.stream().filter(s -> s instanceof BatchSimulation)).hasSize(counts.get("BatchSimulation").asInt());
            int taskCount = 0;
            for (Simulation s : all) {
                List<Task> own = tasks.listBySimulation(s.id());
                assertThat(own).extracting(Task::taskId).isSorted();
                assertThat(own).allSatisfy(t -> assertThat(t)
                        .isInstanceOf(s.platform() == Platform.DIRECT ? DirectTask.class : BatchTask.class));
                taskCount += own.size();
            }
            assertThat(taskCount).isEqualTo(counts.get("Task").asInt());
            // the simulations credentials.json describes in detail
            for (JsonNode e : expected) {
                Simulation s = sims.findByJobId(e.get("job_id").asText()).orElseThrow();
                assertThat(s.id()).isEqualTo(e.get("simulation_id").asLong());
                assertThat(s.platform().name()).isEqualTo(e.get("platform").asText());
                assertThat(s.state().name()).isEqualTo(e.get("job_state").asText());
                assertThat(s.simType().dbValue()).isEqualTo(e.get("sim_type").asText());
                assertThat(s.inputType().name()).isEqualTo(e.get("input_type").asText());
                assertThat(s.title()).isEqualTo(e.get("title").asText());
                assertThat(s).isInstanceOf(s.platform() == Platform.DIRECT ? DirectSimulation.class : BatchSimulation.class);
                assertThat(sims.findById(s.id())).contains(s);
                assertThat(tasks.listBySimulation(s.id())).hasSize(e.get("ntasks").asInt());
            }

            long anna = userId(db, "anna.kowalski");
            long owned = all.stream().filter(s -> s.userId() != null && s.userId() == anna).count();
            SimulationPage page = sims.listByUser(anna, 0, 5, SimulationOrder.NEWEST_FIRST);
            assertThat(owned).isPositive();
            assertThat(page.total()).isEqualTo(owned);
            assertThat(page.simulations()).extracting(Simulation::startTime)
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void aWorkerOfTheOriginalKeepsWorkingWithItsKeyAndItsUnfinishedTasks(String engine) throws Exception {
        try (Database db = open(engine)) {
            SimulationStore sims = new SimulationStore(db);
            TaskStore tasks = new TaskStore(db);
            JsonNode running = listOf(OriginalCredentials.json().get("simulations")).stream()
                    .filter(e -> e.get("job_state").asText().equals("RUNNING")).findFirst().orElseThrow();
            JsonNode finished = listOf(OriginalCredentials.json().get("simulations")).stream()
                    .filter(e -> e.get("job_state").asText().equals("COMPLETED")).findFirst().orElseThrow();
            long id = running.get("simulation_id").asLong();
            String key = running.get("update_key").asText();

            assertThat(sims.checkUpdateKey(id, key)).isTrue();
            String rehashed = db.jdbi().withHandle(h -> h.createQuery("SELECT update_key_hash FROM \"Simulation\" WHERE id = :id")
                    .bind("id", id).mapTo(String.class).one());
            assertThat(rehashed).isEqualTo(UpdateKey.hash(key));
            assertThat(sims.checkUpdateKey(id, key)).isTrue();

            Task open = tasks.listBySimulation(id).stream().filter(t -> !t.state().isTerminal()).findFirst().orElseThrow();
            assertThat(tasks.update(id, open.taskId(), new TaskUpdate(JobState.RUNNING, null, 77, 30, null, null, null))).isTrue();
            assertThat(tasks.find(id, open.taskId()).orElseThrow().simulatedPrimaries()).isEqualTo(77);

            long done = finished.get("simulation_id").asLong();
            assertThat(sims.cancel(done)).isFalse();
            assertThat(sims.findById(done).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        }
    }

    private static List<JsonNode> listOf(JsonNode array) {
        List<JsonNode> list = new java.util.ArrayList<>();
        array.forEach(list::add);
        return list;
    }
}
