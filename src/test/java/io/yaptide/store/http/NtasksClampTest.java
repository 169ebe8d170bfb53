package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;

/** The original's rule since the seed: a job gets no more tasks than it has primaries. */
class NtasksClampTest {

    @DatabaseTest
    void moreTasksThanPrimariesAreClampedToThePrimariesAndFewerAreKept(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");

            ObjectNode files = UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit");
            ObjectNode inputFiles = (ObjectNode) files.get("input_files");
            inputFiles.put("beam.dat", inputFiles.get("beam.dat").asText().replace("NSTAT       10000", "NSTAT       3"));
            files.put("ntasks", 5);
            JsonNode clamped = status(anna, anna.post("/jobs/direct", files));
            assertThat(clamped.path("job_tasks_status")).hasSize(3);
            clamped.path("job_tasks_status").forEach(t -> assertThat(t.path("requested_primaries").asInt()).isEqualTo(1));

            ObjectNode editor = UserJourneyTest.payload("json_payload_editor.json", "shieldhit");
            ((ObjectNode) editor.get("input_json").get("beam")).put("numberOfParticles", 2);
            editor.put("ntasks", 4);
            assertThat(status(anna, anna.post("/jobs/direct", editor)).path("job_tasks_status")).hasSize(2);

            ObjectNode kept = UserJourneyTest.payload("json_payload_editor.json", "shieldhit");
            kept.put("ntasks", 3);
            assertThat(status(anna, anna.post("/jobs/direct", kept)).path("job_tasks_status")).hasSize(3);

            ObjectNode none = UserJourneyTest.payload("json_payload_editor.json", "shieldhit");
            none.put("ntasks", 0);
            assertThat(anna.post("/jobs/direct", none).status()).isEqualTo(400);
        }
    }

    private static JsonNode status(ApiClient client, ApiClient.Response submitted) {
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        return client.get("/jobs?job_id=" + submitted.json().path("job_id").asText()).json();
    }
}
