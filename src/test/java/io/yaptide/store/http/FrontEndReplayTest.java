package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.Fixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The web front end's exact call sequences, as {@code src/services/} of github:yaptide/ui issues
 * them, replayed over a real socket against the database the original made at its current revision:
 * v2.3.0 ({@code ShSimulatorService}, {@code AuthService}) and v2.6.6
 * ({@code RemoteWorkerSimulationService}, {@code AuthService}). Both log in, submit, list, poll,
 * open results, read inputs and logs, cancel, refresh and log out; the v2.6.6 one filters by state
 * and reads results estimator by estimator, page groups by dimension. What the two plot is the same.
 *
 * <p>Query strings are encoded as the browser's {@code URLSearchParams} does ({@code ,} as
 * {@code %2C}), parameters in the order the services write them ({@code camelToSnakeCase}).
 */
class FrontEndReplayTest {

    /** The fixture's password users and their direct jobs (upstream-head/credentials.json). */
    private static final List<String> USERS = List.of("anna.kowalska", "piotr.nowak", "maria.zielinska", "tomasz.wojcik");

    /** v2.6.6 SimulationsGrid: ValidStatusStates (every StatusState but UNKNOWN and LOCAL), in the enum's order. */
    private static final String V266_GRID_STATES = "PENDING,RUNNING,MERGING_QUEUED,MERGING_RUNNING,FAILED,COMPLETED,CANCELED";
    /** v2.6.6 RecentSimulations' statusStates. */
    private static final String V266_RECENT_STATES = "RUNNING,PENDING,MERGING_QUEUED,MERGING_RUNNING,COMPLETED";

    /** What a front end ends up plotting for one job: estimator name (after updateEstimators) to its pages by number. */
    private record Plotted(Map<String, TreeMap<Integer, JsonNode>> estimators) {
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void bothFrontEndsListOpenAndPlotTheSameResults(Engine engine) throws Exception {
        try (UpstreamApiTest.Fixture f = UpstreamApiTest.start(engine)) {
            int completedSeen = 0;
            for (String user : USERS) {
                Map<String, Plotted> v230 = replayV230(f, user);
                Map<String, Plotted> v266 = replayV266(f, user);
                assertThat(v266.keySet()).as(user).isEqualTo(v230.keySet());
                for (String job : v230.keySet()) {
                    assertThat(v266.get(job)).as(user + " " + job).isEqualTo(v230.get(job));
                    assertThat(v230.get(job).estimators()).isNotEmpty();
                    completedSeen++;
                }
            }
            assertThat(completedSeen).isEqualTo(3); // the password users' completed direct jobs
        }
    }

    /** v2.3.0: ShSimulatorService and AuthService. */
    private Map<String, Plotted> replayV230(UpstreamApiTest.Fixture f, String user) throws Exception {
        ApiClient ui = new ApiClient(f.server().baseUrl());
        // AuthService: the backend's "alive" check, then login
        assertThat(ui.get("/").json().path("message").asText()).isNotEmpty();
        ApiClient.Response login = ui.post("/auth/login", Map.of("username", user, "password", f.password(user)));
        assertThat(login.status()).isEqualTo(202);
        assertThat(login.json().path("access_exp").asLong()).isPositive();

        // postJob: an editor project to jobs/direct
        String submitted = submit(ui, "v2.3.0 job");

        // getPageContents(pageIdx, pageSize, orderType, orderBy): BackendSimulations' defaults
        JsonNode page = ok(ui.get("/user/simulations?" + query("page_idx", "1", "page_size", "6", "order_type", "descend",
                "order_by", "start_time")));
        List<String> listed = page.path("simulations").findValuesAsText("job_id");
        assertThat(listed).contains(submitted);

        Map<String, Plotted> plotted = new LinkedHashMap<>();
        for (JsonNode info : page.path("simulations")) {
            String jobId = info.path("job_id").asText();
            // getPageStatus -> getJobStatus on getEndpointFromSimulationInfo(info)
            JsonNode status = ok(ui.get("/" + endpoint(info) + "?" + query("job_id", jobId)));
            String state = status.path("job_state").asText();
            if (state.equals("COMPLETED")) {
                // getJobResults: the whole result set, then the inputs for recreateRefsInResults
                JsonNode results = ok(ui.get("/results?" + query("job_id", jobId)));
                ok(ui.get("/inputs?" + query("job_id", jobId)));
                Map<String, TreeMap<Integer, JsonNode>> estimators = new LinkedHashMap<>();
                for (JsonNode e : results.path("estimators")) {
                    estimators.put(updateEstimatorName(e.path("name").asText()), byNumber(e.path("pages")));
                }
                plotted.put(jobId, new Plotted(estimators));
            } else if (state.equals("FAILED")) {
                ok(ui.get("/logfiles?" + query("job_id", jobId)));
            }
        }
        // cancelJob on its own submission, then the token refresh and logout
        assertThat(ui.delete("/jobs/direct?" + query("job_id", submitted)).status()).isLessThan(300);
        assertThat(ui.get("/auth/refresh").status()).isEqualTo(200);
        assertThat(ui.delete("/auth/logout").status()).isLessThan(300);
        return plotted;
    }

    /** v2.6.6: RemoteWorkerSimulationService and AuthService. */
    private Map<String, Plotted> replayV266(UpstreamApiTest.Fixture f, String user) throws Exception {
        ApiClient ui = new ApiClient(f.server().baseUrl());
        // helloWorld, then login
        assertThat(ui.get("/").json().path("message").asText()).isNotEmpty();
        assertThat(ui.post("/auth/login", Map.of("username", user, "password", f.password(user))).status()).isEqualTo(202);

        String submitted = submit(ui, "v2.6.6 job");

        // getPageContents(pageIdx, pageSize, orderType, orderBy, jobState): RecentSimulations, then the grid
        JsonNode recent = ok(ui.get("/user/simulations?" + query("page_idx", "1", "page_size", "10", "order_type", "descend",
                "order_by", "start_time", "job_state", V266_RECENT_STATES)));
        assertThat(recent.path("simulations").findValuesAsText("job_id")).contains(submitted);
        for (JsonNode s : recent.path("simulations")) {
            assertThat(List.of(V266_RECENT_STATES.split(","))).contains(ok(ui.get("/" + endpoint(s) + "?"
                    + query("job_id", s.path("job_id").asText()))).path("job_state").asText());
        }
        JsonNode page = ok(ui.get("/user/simulations?" + query("page_idx", "1", "page_size", "10", "order_type", "descend",
                "order_by", "start_time", "job_state", V266_GRID_STATES)));

        Map<String, Plotted> plotted = new LinkedHashMap<>();
        for (JsonNode info : page.path("simulations")) {
            String jobId = info.path("job_id").asText();
            JsonNode status = ok(ui.get("/" + endpoint(info) + "?" + query("job_id", jobId)));
            String state = status.path("job_state").asText();
            if (state.equals("COMPLETED")) {
                // getFullSimulationData: inputs, then (no estimatorsItems in the input) GET estimators
                ok(ui.get("/inputs?" + query("job_id", jobId)));
                JsonNode estimators = ok(ui.get("/estimators?" + query("job_id", jobId))).path("estimators_metadata");
                Map<String, TreeMap<Integer, JsonNode>> byEstimator = new LinkedHashMap<>();
                // the first estimator first (findEstimatorsNamesAndPages), the others as the user opens them
                for (JsonNode estimator : estimators) {
                    String name = estimator.path("name").asText();
                    // prepareEstimatorItemByPageDimension: page numbers grouped by dimension, keys in
                    // Object.entries order (integer-like keys ascending)
                    Map<Integer, List<Integer>> byDimension = new TreeMap<>();
                    for (JsonNode p : estimator.path("pages_metadata")) {
                        byDimension.computeIfAbsent(p.path("page_dimension").asInt(), d -> new ArrayList<>())
                                .add(p.path("page_number").asInt());
                    }
                    TreeMap<Integer, JsonNode> pages = new TreeMap<>();
                    for (List<Integer> numbers : byDimension.values()) {
                        // getEstimatorsPages: URLSearchParams({job_id, estimator_name, page_numbers})
                        JsonNode part = ok(ui.get("/results?" + query("job_id", jobId, "estimator_name", name,
                                "page_numbers", preparePageNumbers(numbers))));
                        assertThat(part.path("pages")).hasSize(numbers.size());
                        pages.putAll(byNumber(part.path("pages")));
                    }
                    byEstimator.put(updateEstimatorName(name), pages);
                }
                plotted.put(jobId, new Plotted(byEstimator));
            } else if (state.equals("FAILED")) {
                ok(ui.get("/logfiles?" + query("job_id", jobId)));
            }
        }
        assertThat(ui.delete("/jobs/direct?" + query("job_id", submitted)).status()).isLessThan(300);
        assertThat(ui.get("/auth/refresh").status()).isEqualTo(200);
        assertThat(ui.delete("/auth/logout").status()).isLessThan(300);
        return plotted;
    }

    /** postJob: {input_json, input_type, ntasks, sim_type, title} (camelToSnakeCase of the form's fields). */
    private static String submit(ApiClient ui, String title) throws Exception {
        JsonNode editor = ApiClient.JSON.readTree(Fixtures.read("json_payload_editor.json"));
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.set("input_json", editor.path("input_json"));
        body.put("input_type", "editor").put("ntasks", 2).put("sim_type", "shieldhit").put("title", title);
        ApiClient.Response r = ui.post("/jobs/direct", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().path("job_id").asText();
    }

    /** getEndpointFromSimulationInfo: jobs/direct or jobs/batch by the listed platform. */
    private static String endpoint(JsonNode info) {
        return info.path("metadata").path("platform").asText().equals("BATCH") ? "jobs/batch" : "jobs/direct";
    }

    /** updateEstimators: the name without one trailing underscore. */
    private static String updateEstimatorName(String name) {
        return name.replaceFirst("_$", "");
    }

    /** preparePageNumbers: consecutive numbers as ranges, "0-3,5". */
    private static String preparePageNumbers(List<Integer> numbers) {
        List<String> ranges = new ArrayList<>();
        int start = numbers.get(0);
        int end = numbers.get(0);
        for (int i = 1; i < numbers.size(); i++) {
            if (numbers.get(i) == end + 1) {
                end = numbers.get(i);
            } else {
                ranges.add(start == end ? String.valueOf(start) : start + "-" + end);
                start = numbers.get(i);
                end = numbers.get(i);
            }
        }
        ranges.add(start == end ? String.valueOf(start) : start + "-" + end);
        return String.join(",", ranges);
    }

    private static TreeMap<Integer, JsonNode> byNumber(JsonNode pages) {
        TreeMap<Integer, JsonNode> out = new TreeMap<>();
        for (JsonNode p : pages) {
            out.put(p.path("metadata").path("page_number").asInt(), p);
        }
        return out;
    }

    /** As URLSearchParams serialises: form encoding, in the given order. */
    private static String query(String... keysAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            params.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        List<String> parts = new ArrayList<>();
        params.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", parts);
    }

    private static JsonNode ok(ApiClient.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }
}
