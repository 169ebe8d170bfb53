package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every class of bad input gets a 4xx whose message names the problem, and nothing is written:
 * malformed JSON, missing and wrong-typed fields, unknown job ids, page numbers out of range,
 * bodies over the limit.
 */
class BadInputTest {

    record Case(String method, String path, Object body, int status, String message) {
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) ApiClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @DatabaseTest
    void badRequestsAreRefusedWithAMessageAndChangeNothing(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            ObjectNode dummy = UserJourneyTest.payload("shieldhit_json_payload_files.json", "dummy");
            String jobId = anna.post("/jobs/direct", dummy).json().path("job_id").asText();
            UserJourneyTest.waitForState(anna, jobId, "COMPLETED");
            SimulationStore sims = new SimulationStore(db.database());
            long simId = sims.findByJobId(jobId).orElseThrow().id();
            String pending = anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json",
                    "shieldhit")).json().path("job_id").asText();
            long pendingId = sims.findByJobId(pending).orElseThrow().id();
            String key = sims.rotateUpdateKey(pendingId);
            String task = "{\"simulation_id\": " + pendingId + ", \"task_id\": 0, \"update_key\": \"" + key + "\", ";
            String worker = "{\"simulation_id\": " + pendingId + ", \"update_key\": \"" + key + "\", ";
            Map<String, Long> rows = SeedRows.counts(db.jdbi());

            List<Case> cases = List.of(
                    // malformed JSON, empty bodies, not an object
                    new Case("PUT", "/auth/register", "{\"username\": \"x\",", 400, "Malformed JSON in body"),
                    new Case("POST", "/auth/login", "{username: 1}", 400, "Malformed JSON in body"),
                    new Case("POST", "/jobs/direct", "[1, 2]", 400, "JSON body must be an object, got an array"),
                    new Case("POST", "/jobs/direct", "", 400, "No JSON in body"),
                    new Case("POST", "/tasks", "{\"simulation_id\": 1", 400, "Malformed JSON in body"),
                    new Case("POST", "/results", "{\"simulation_id\": 1, ]", 400, "Malformed JSON in body"),
                    new Case("POST", "/results", "", 400, "No JSON in body"),
                    new Case("POST", "/logfiles", "nonsense", 400, "Malformed JSON in body"),
                    // missing fields
                    new Case("PUT", "/auth/register", json("{\"username\": \"carl\"}"), 400, "Missing keys in JSON payload: password"),
                    new Case("POST", "/auth/login", json("{}"), 400, "Missing keys in JSON payload: username, password"),
                    new Case("POST", "/jobs/direct", json("{\"sim_type\": \"dummy\", \"input_type\": \"files\"}"), 400,
                            "Missing keys in JSON payload: ntasks"),
                    new Case("POST", "/jobs/direct", json("{\"sim_type\": \"dummy\", \"ntasks\": 1, \"input_type\": \"files\"}"),
                            400, "Wrong data provided: input_type files needs input_files"),
                    new Case("POST", "/tasks", json(task.replace(", \"task_id\": 0", "") + "\"update_dict\": {}}"), 400,
                            "Missing keys in JSON payload: task_id"),
                    new Case("POST", "/results", json(worker + "\"x\": 1}"), 400, "Incomplete JSON data"),
                    new Case("POST", "/logfiles", json(worker + "\"x\": 1}"), 400, "Incomplete JSON data"),
                    // wrong types and values
                    new Case("PUT", "/auth/register", json("{\"username\": 5, \"password\": \"p\"}"), 400,
                            "Wrong data provided: username must be a string, got an integer"),
                    new Case("PUT", "/auth/register", json("{\"username\": \" \", \"password\": \"p\"}"), 400,
                            "Wrong data provided: username must not be empty"),
                    new Case("POST", "/jobs/direct", json("{\"sim_type\": \"dummy\", \"ntasks\": \"4\", \"input_type\": \"files\"}"),
                            400, "Wrong data provided: ntasks must be an integer, got a string"),
                    new Case("POST", "/jobs/direct", json("{\"sim_type\": \"dummy\", \"ntasks\": 0, \"input_type\": \"files\"}"),
                            400, "Wrong data provided: ntasks must be between 1 and 1000, got 0"),
                    new Case("POST", "/jobs/direct", json("{\"sim_type\": \"geant4\", \"ntasks\": 1, \"input_type\": \"files\"}"),
                            400, "Wrong data provided: unknown sim_type 'geant4'"),
                    new Case("POST", "/jobs/direct", json("{\"sim_type\": \"dummy\", \"ntasks\": 1, \"input_type\": \"paper\"}"),
                            400, "Wrong data provided: unknown input_type 'paper'"),
                    new Case("POST", "/jobs/direct", json("{\"sim_type\": \"dummy\", \"ntasks\": 1, \"input_type\": \"files\", "
                            + "\"input_files\": {\"beam.dat\": 3}}"), 400, "Wrong data provided: input_files.beam.dat must be the file's text"),
                    new Case("POST", "/jobs/direct", json("{\"sim_type\": \"dummy\", \"ntasks\": 1, \"input_type\": \"editor\", "
                            + "\"input_json\": {\"beam\": {\"numberOfParticles\": \"many\"}}}"), 400,
                            "Wrong data provided: input_json.beam.numberOfParticles must be a whole number"),
                    new Case("POST", "/tasks", json(task + "\"update_dict\": {\"simulated_primaries\": \"x\"}}"), 400,
                            "Wrong data provided: update_dict.simulated_primaries must be a whole number"),
                    new Case("POST", "/tasks", json(task + "\"update_dict\": {\"task_state\": \"DONE\"}}"), 400,
                            "Wrong data provided: update_dict.task_state 'DONE' is not one of"),
                    new Case("POST", "/tasks", json(task + "\"update_dict\": {\"start_time\": \"yesterday\"}}"), 400,
                            "Wrong data provided: update_dict.start_time: invalid time 'yesterday'"),
                    new Case("POST", "/tasks", json(task + "\"update_dict\": [1]}"), 400,
                            "Wrong data provided: update_dict must be a JSON object, got an array"),
                    new Case("POST", "/tasks", json(task.replace("\"task_id\": 0", "\"task_id\": \"first\"") + "\"update_dict\": {}}"),
                            400, "Wrong data provided: task_id must be an integer (or its text), got a string"),
                    new Case("POST", "/results", json(worker + "\"estimators\": {}}"), 400, "Wrong data provided: \"estimators\" must be a list"),
                    new Case("POST", "/results", json(worker + "\"estimators\": [{\"name\": \"e\", \"pages\": "
                            + "[{\"metadata\": {\"page_number\": \"one\"}}]}]}"), 400, "Wrong data provided: estimator #0: page #0: page_number \"one\" is not an integer"),
                    new Case("POST", "/results", json("{\"simulation_id\": \"1\", \"update_key\": \"k\", \"estimators\": []}"), 400,
                            "Wrong data provided: simulation_id must be an integer"),
                    new Case("POST", "/logfiles", json(worker + "\"logfiles\": \"text\"}"), 400,
                            "Wrong data provided: logfiles must be a JSON object, got a string"),
                    // query parameters
                    new Case("GET", "/jobs", null, 400, "Wrong parameters: job_id is required"),
                    new Case("GET", "/user/simulations?page_size=0", null, 400, "page_size must be between 1 and 100"),
                    new Case("GET", "/user/simulations?page_size=ten", null, 400, "page_size must be a whole number, got 'ten'"),
                    new Case("GET", "/user/simulations?page_idx=0", null, 400, "page_idx must be between 1 and"),
                    new Case("GET", "/user/simulations?order_by=title", null, 400, "order_by must be start_time or end_time"),
                    new Case("GET", "/user/simulations?order_type=up", null, 400, "order_type must be ascend or descend"),
                    // unknown job ids, estimators, pages out of range
                    new Case("GET", "/results?job_id=nope", null, 404, "Job with provided ID does not exist"),
                    new Case("GET", "/inputs?job_id=nope", null, 404, "Job with provided ID does not exist"),
                    new Case("DELETE", "/jobs/direct?job_id=nope", null, 404, "Job with provided ID does not exist"),
                    new Case("GET", "/results?job_id=" + jobId + "&estimator_name=nope", null, 404, "Estimator not found"),
                    new Case("GET", "/results?job_id=" + jobId + "&estimator_name=z_profile_&page_number=99", null, 404,
                            "Page 99 of estimator z_profile_ does not exist; its pages are 0-3"),
                    new Case("GET", "/results?job_id=" + jobId + "&estimator_name=z_profile_&page_numbers=2-5", null, 404,
                            "Page [4, 5] of estimator z_profile_ does not exist; its pages are 0-3"),
                    new Case("GET", "/results?job_id=" + jobId + "&estimator_name=z_profile_&page_number=-1", null, 400,
                            "page_number must be between 0 and"),
                    new Case("GET", "/results?job_id=" + jobId + "&estimator_name=z_profile_&page_number=", null, 400,
                            "page_number must be a whole number, got ''"),
                    new Case("GET", "/results?job_id=" + jobId + "&estimator_name=z_profile_&page_numbers=3-1", null, 400,
                            "range 3-1 must go from a page number up to a larger one"),
                    new Case("GET", "/results?job_id=" + jobId + "&estimator_name=z_profile_&page_numbers=0-99999", null, 400,
                            "more than 10000 pages"),
                    new Case("GET", "/results?job_id=" + jobId + "&page_number=1", null, 400, "need estimator_name"),
                    new Case("GET", "/results?job_id=" + pending, null, 404, "Results are unavailable"),
                    new Case("GET", "/logfiles?job_id=" + pending, null, 404, "Logfiles are unavailable"),
                    new Case("GET", "/no/such/route", null, 404, "Endpoint GET /no/such/route not found"));

            for (Case c : cases) {
                ApiClient.Response r = anna.send(c.method(), c.path(), c.body());
                assertThat(r.status()).as("%s %s %s -> %s", c.method(), c.path(), c.body(), r.text()).isEqualTo(c.status());
                assertThat(r.message()).as("%s %s %s", c.method(), c.path(), c.body()).contains(c.message());
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            }
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);
            assertThat(anna.get("/jobs?job_id=" + pending).json().path("job_state").asText()).isEqualTo("PENDING");
            assertThat(anna.get("/results?job_id=" + jobId).json().path("estimators")).hasSize(4);
            assertThat(simId).isPositive();
        }
    }

    @DatabaseTest
    void bodiesOverTheLimitAreRefusedWhetherTheirSizeIsDeclaredOrNot(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            Map<String, Long> rows = SeedRows.counts(db.jdbi());
            byte[] big = new byte[(int) TestServer.MAX_BODY + 1];
            Arrays.fill(big, (byte) ' ');
            big[0] = '{';
            big[big.length - 1] = '}';
            for (String path : List.of("/results", "/jobs/direct", "/tasks", "/logfiles", "/auth/login")) {
                ApiClient.Response declared = anna.send("POST", path, big);
                assertThat(declared.status()).as(path).isEqualTo(413);
                assertThat(declared.message()).contains("Request body too large", "the limit is " + TestServer.MAX_BODY,
                        path.equals("/results") ? HttpConfig.ENV_MAX_RESULTS_BODY_BYTES : HttpConfig.ENV_MAX_BODY_BYTES);
            }
            // chunked: no Content-Length, so the server counts while reading
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.url() + "/results"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(ApiClient.JSON.readTree(r.body()).path("message").asText()).startsWith("Request body too large");
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);
        }
    }
}
