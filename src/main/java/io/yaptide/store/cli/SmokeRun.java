package io.yaptide.store.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * The seed's post-migration manual test as one run against a live service: a throwaway user
 * registers, logs in and out, submits a dummy simulation and waits for it, loads its results, input
 * and log files, lists its simulations, deletes the simulation, and finally deletes itself through
 * {@code DELETE /user} (which removes the account and anything it still owns), so that nothing is
 * left behind. Each step is printed with how long it took; the run stops at the first failure.
 */
final class SmokeRun {
    private static final ObjectMapper JSON = new ObjectMapper();


    /** A step did not get the answer it needed; the message says which and what came back. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final URI base;
    private final Duration timeout;
    private final PrintWriter out;
    private final HttpClient http;

    SmokeRun(URI base, Duration timeout, PrintWriter out) {
        this.base = base;
        this.timeout = timeout;
        this.out = out;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private record Answer(int status, JsonNode json) {
        String message() {
            return json.path("message").asText("");
        }
    }

    /** Runs every step; throws at the first that fails. */
    void run() throws Failure, IOException {
        String username = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        ObjectNode credentials = JSON.createObjectNode().put("username", username).put("password", password);
        long start = System.nanoTime();

        step("service answers GET /", () -> expect(call("GET", "/", null), 200));
        step("register " + username, () -> expect(call("PUT", "/auth/register", credentials), 201));
        step("log in", () -> expect(call("POST", "/auth/login", credentials), 202));
        step("status shows the user", () -> {
            Answer a = expect(call("GET", "/auth/status", null), 200);
            check(username.equals(a.json().path("username").asText()), "status names " + a.json().path("username"));
            return a;
        });
        step("log out", () -> expect(call("DELETE", "/auth/logout", null), 200));
        step("status refused after log out", () -> expect(call("GET", "/auth/status", null), 401));
        step("log in again", () -> expect(call("POST", "/auth/login", credentials), 202));
        step("refresh the access token", () -> expect(call("GET", "/auth/refresh", null), 200));

        ObjectNode job = JSON.createObjectNode().put("sim_type", "dummy").put("ntasks", 2)
                .put("input_type", "files").put("title", "smoke test " + username);
        job.putObject("input_files").put("beam.dat", "NSTAT       1000    0       ! NSTAT, Step of saving\n")
                .put("info.json", "{\"version\": \"smoke\"}");
        String jobId = step("submit a dummy simulation", () -> expect(call("POST", "/jobs/direct", job), 202))
                .json().path("job_id").asText();
        String q = "?job_id=" + URLEncoder.encode(jobId, StandardCharsets.UTF_8);
        step("wait until COMPLETED", () -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Answer a = expect(call("GET", "/jobs" + q, null), 200);
                String state = a.json().path("job_state").asText();
                if (state.equals("COMPLETED")) {
                    return a;
                }
                check(!state.equals("FAILED") && !state.equals("CANCELED"), "the job ended " + state);
                check(System.nanoTime() < deadline, "still " + state + " after " + timeout.toSeconds() + " s");
                sleep();
            }
        });
        String estimator = step("load results", () -> {
            Answer a = expect(call("GET", "/results" + q, null), 200);
            check(a.json().path("estimators").size() > 0, "no estimators in the results");
            return a;
        }).json().path("estimators").path(0).path("name").asText();
        step("load one result page", () -> expect(call("GET", "/results" + q + "&estimator_name="
                + URLEncoder.encode(estimator, StandardCharsets.UTF_8) + "&page_number=0", null), 200));
        step("load the input", () -> expect(call("GET", "/inputs" + q, null), 200));
        step("load the log files", () -> expect(call("GET", "/logfiles" + q, null), 200));
        step("list simulations", () -> {
            Answer a = expect(call("GET", "/user/simulations", null), 200);
            check(a.json().path("simulations").findValuesAsText("job_id").contains(jobId), "the job is not listed");
            return a;
        });
        step("delete the simulation", () -> expect(call("DELETE", "/user/simulations" + q, null), 200));
        step("remove the throwaway user", () -> expect(call("DELETE", "/user", null), 200));
        step("the user can no longer log in", () -> expect(call("POST", "/auth/login", credentials), 401));
        out.printf("smoke test passed in %.1f s against %s%n", (System.nanoTime() - start) / 1e9, base);
        out.flush();
    }

    private interface Step {
        Answer run() throws Failure, IOException;
    }

    private Answer step(String name, Step step) throws Failure, IOException {
        long t0 = System.nanoTime();
        try {
            Answer a = step.run();
            out.printf("ok   %6d ms  %s: %d %s%n", (System.nanoTime() - t0) / 1_000_000, name, a.status(), a.message());
            out.flush();
            return a;
        } catch (Failure e) {
            out.printf("FAIL %6d ms  %s: %s%n", (System.nanoTime() - t0) / 1_000_000, name, e.getMessage());
            out.flush();
            throw new Failure(name + ": " + e.getMessage());
        }
    }

    private Answer call(String method, String path, JsonNode body) throws IOException, Failure {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json;
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                throw new Failure(method + " " + path + " answered " + r.statusCode() + " with a body that is not JSON");
            }
            return new Answer(r.statusCode(), json == null ? JSON.createObjectNode() : json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static Answer expect(Answer a, int status) throws Failure {
        if (a.status() != status) {
            throw new Failure("expected " + status + ", got " + a.status() + " " + a.message());
        }
        return a;
    }

    private static void check(boolean condition, String problem) throws Failure {
        if (!condition) {
            throw new Failure(problem);
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
