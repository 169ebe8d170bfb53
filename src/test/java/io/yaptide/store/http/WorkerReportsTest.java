package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.tasks.Task;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import java.util.List;

/**
 * Worker reports as the original's FLUKA monitor sends them (every one says RUNNING and repeats the
 * start time): the simulation follows its tasks on the first RUNNING report and on FAILED ones,
 * without a status read in between, and a repeated report only moves the counters.
 */
class WorkerReportsTest {

    private static ObjectNode report(long simulationId, int taskId, String key, int simulated, String startTime, String state) {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("simulation_id", simulationId).put("task_id", taskId)
                .put("update_key", key);
        ObjectNode dict = body.putObject("update_dict").put("simulated_primaries", simulated)
                .put("requested_primaries", 1000).put("task_state", state);
        if (startTime != null) {
            dict.put("start_time", startTime);
        } else {
            dict.put("end_time", "2024-10-29 22:30:00.000000");
        }
        return body;
    }

    @DatabaseTest
    void theSimulationFollowsTheFirstRunningReportAndTheFailuresWithoutAStatusRead(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            ObjectNode job = UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit");
            SimulationStore sims = new SimulationStore(db.database());
            TaskStore tasks = new TaskStore(db.database());
            long id = sims.findByJobId(anna.post("/jobs/direct", job).json().path("job_id").asText()).orElseThrow().id();
            String key = sims.rotateUpdateKey(id);
            List<Task> all = tasks.listBySimulation(id);
            assertThat(sims.findById(id).orElseThrow().state()).isEqualTo(JobState.PENDING);

            ApiClient.Response first = anna.post("/tasks", report(id, 0, key, 10, "2024-10-29 22:23:14.123456", "RUNNING"));
            assertThat(first.status()).isEqualTo(202);
            assertThat(first.message()).isEqualTo("Task updated");
            assertThat(sims.findById(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);

            ApiClient.Response again = anna.post("/tasks", report(id, 0, key, 20, "2024-10-29 22:25:00.000000", "RUNNING"));
            assertThat(again.status()).isEqualTo(202);
            Task task = tasks.find(id, 0).orElseThrow();
            assertThat(task.simulatedPrimaries()).isEqualTo(20);
            assertThat(task.requestedPrimaries()).isEqualTo(1000);
            assertThat(task.startTime()).hasToString("2024-10-29T22:23:14.123456Z");
            assertThat(sims.findById(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);

            for (Task t : all) {
                assertThat(anna.post("/tasks", report(id, t.taskId(), key, 0, null, "FAILED")).status()).isEqualTo(202);
            }
            assertThat(sims.findById(id).orElseThrow().state()).isEqualTo(JobState.FAILED);
        }
    }
}
