package io.yaptide.store.submissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.dispatch.ExternalWorkers;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.InputType;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.Platform;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.simulations.SimulatorType;
import io.yaptide.store.tasks.Task;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.UserStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Building a submission: the primaries divided among the tasks in the simulator's own cards, and the job created and handed on. */
class SubmissionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode files(String name, String text) {
        ObjectNode files = JSON.createObjectNode();
        files.put(name, text);
        return files;
    }

    @Test
    void shieldhitsNstatIsDividedAmongTheTasksAndItsSavingStepKept() {
        SubmissionInput input = SubmissionInput.files(SimulatorType.SHIELDHIT, 4, "t",
                files("beam.dat", "RNDSEED 89736501\nNSTAT       10000       100\nJPART0 2\n"));

        assertThat(input.taskCount()).isEqualTo(4);
        assertThat(input.allPrimaries()).isEqualTo(10000);
        assertThat(input.primariesPerTask()).isEqualTo(2500);
        assertThat(input.inputFiles().get("beam.dat").asText()).isEqualTo("RNDSEED 89736501\nNSTAT       2500       100\nJPART0 2\n");
        assertThat(input.stored().get("number_of_all_primaries").asLong()).isEqualTo(10000);
        assertThat(input.stored().get("input_type").asText()).isEqualTo(InputType.FILES.name());
    }

    @Test
    void flukasStartCardIsRewrittenInFixedFormatAndNoMoreTasksThanPrimaries() {
        SubmissionInput input = SubmissionInput.files(SimulatorType.FLUKA, 8, "", files("run.inp", "BEAM\nSTART        6.0\nSTOP\n"));

        assertThat(input.taskCount()).isEqualTo(6);
        assertThat(input.inputFiles().get("run.inp").asText()).isEqualTo("BEAM\nSTART            1.0\nSTOP\n");
    }

    @Test
    void refusedValuesAreInvalidAndNameWhatIsWrong() {
        assertThatThrownBy(() -> SubmissionInput.files(SimulatorType.SHIELDHIT, 1, "", files("beam.dat", "NSTAT ten\n")))
                .isInstanceOf(StoreException.Invalid.class).hasMessage("beam.dat NSTAT value 'ten' is not a whole number");
        assertThatThrownBy(() -> SubmissionInput.taskCount(1001))
                .isInstanceOf(StoreException.Invalid.class).hasMessage("ntasks must be between 1 and 1000, got 1001");
        assertThatThrownBy(() -> SubmissionInput.simType("geant"))
                .isInstanceOf(StoreException.Invalid.class).hasMessageStartingWith("unknown sim_type 'geant'; use one of");
        ObjectNode notText = JSON.createObjectNode();
        notText.putArray("beam.dat");
        assertThatThrownBy(() -> SubmissionInput.files(SimulatorType.SHIELDHIT, 1, "", notText))
                .isInstanceOf(StoreException.Invalid.class).hasMessage("input_files.beam.dat must be the file's text, got an array");
    }

    @Test
    void jobIdsAreTheOriginalsTimeUuidAndPlatform() {
        String id = Submissions.newJobId(Platform.DIRECT, Instant.parse("2024-10-29T22:23:14Z"));
        assertThat(id).matches("20241029-222314-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}DIRECT");
    }

    @DatabaseTest
    void aSubmissionCreatesThePendingJobWithItsTasksAndInput(TestDatabase db) {
        long user = new UserStore(db.database()).createPasswordUser("anna", "pw").id();
        SimulationStore simulations = new SimulationStore(db.database());
        ExternalWorkers workers = new ExternalWorkers();
        Submissions submissions = new Submissions(simulations, new ClusterStore(db.database()), () -> workers);
        SubmissionInput input = SubmissionInput.files(SimulatorType.SHIELDHIT, 2, "eye",
                files("beam.dat", "NSTAT 1000 0\n"));

        Simulation made = submissions.submit(user, Platform.DIRECT, input, null);

        assertThat(simulations.findByJobId(made.jobId())).get().satisfies(s -> {
            assertThat(s.state()).isEqualTo(JobState.PENDING);
            assertThat(s.title()).isEqualTo("eye");
            assertThat(s.userId()).isEqualTo(user);
        });
        assertThat(new TaskStore(db.database()).listBySimulation(made.id())).extracting(Task::requestedPrimaries)
                .containsExactly(500, 500);
        assertThat(new ResultStore(db.database()).input(made.id())).get().satisfies(i ->
                assertThat(i.data().json().path("input_files").path("beam.dat").asText()).isEqualTo("NSTAT 500 0\n"));
        assertThat(submissions.chooseCluster("ares")).isEmpty();
    }
}
