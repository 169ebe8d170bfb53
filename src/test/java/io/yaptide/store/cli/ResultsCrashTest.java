package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.simulations.SimulationSeeds;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kill -9} of the service while a worker posts a result set ({@code POST /results}, 2.5 MB),
 * at spread-out moments: afterwards each job is either PENDING with no results or COMPLETED with
 * the whole set, never a result set on a PENDING job (both engines).
 */
class ResultsCrashTest {
    static final List<Long> KILL_AFTER_MILLIS = List.of(0L, 100L, 400L, 800L, 1200L, 1600L, 2500L, 4000L);

    @DatabaseTest
    void aKilledServiceLeavesEachResultSetWholeWithItsCompletionOrNotAtAll(TestDatabase db) throws Exception {
        String fixture = new String(Fixtures.readBytes("json_with_results.json"), StandardCharsets.UTF_8);
        String estimators = fixture.substring(fixture.indexOf("\"estimators\""));
        long user = SimulationSeeds.user(db, "worker-owner");
        int completed = 0;
        for (long delay : KILL_AFTER_MILLIS) {
            SimulationStore sims = new SimulationStore(db.database()); // the pool is closed while the service runs
            long sim = sims.create(SimulationSeeds.direct(user, 1)).simulation().id();
            String key = sims.rotateUpdateKey(sim);
            db.closePool();
            byte[] body = ("{\"simulation_id\": " + sim + ", \"update_key\": \"" + key + "\", " + estimators)
                    .getBytes(StandardCharsets.UTF_8);
            Process serve = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "--db", db.url().render(true), "serve", "--port", "0"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                String line = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8)).readLine();
                Matcher m = Pattern.compile("on (http://\\S+) ").matcher(String.valueOf(line));
                assertThat(m.find()).as(line).isTrue();
                URI base = URI.create(m.group(1));
                try (Socket s = new Socket(base.getHost(), base.getPort())) {
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /results HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    Thread.sleep(delay);
                    serve.destroyForcibly().waitFor(); // SIGKILL, mid-request or just after
                }
            } finally {
                serve.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            String state = new SimulationStore(db.database()).findById(sim).orElseThrow().state().name();
            long estimatorRows = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM \"Estimator\" WHERE simulation_id = :s").bind("s", sim).mapTo(Long.class).one());
            long pageRows = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM \"Page\" p JOIN \"Estimator\" e"
                    + " ON e.id = p.estimator_id WHERE e.simulation_id = :s").bind("s", sim).mapTo(Long.class).one());
            if (state.equals("COMPLETED")) {
                completed++;
                assertThat(estimatorRows).as("killed after %d ms: COMPLETED with the whole set", delay).isEqualTo(4);
                assertThat(pageRows).isPositive();
            } else {
                assertThat(state).isEqualTo("PENDING");
                assertThat(estimatorRows + pageRows).as("killed after %d ms: PENDING with nothing", delay).isZero();
            }
        }
        System.out.println("results crash points (" + db + "): " + KILL_AFTER_MILLIS.size() + " tried, all consistent, "
                + completed + " had committed");
    }
}
