package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.config.ReplicaConfig;
import io.yaptide.store.db.ReplicaRouting;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.LocalStandby;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service on the test PostgreSQL (5432) and its streaming standby (5433, made by
 * .ci/setup-replica): users' reads of results, estimators, inputs, log files and simulation lists
 * are served by the standby, writes by the primary (seen in pg_stat_activity on each); a user's own
 * submission, cancel and delete are seen at once although the standby's replay is paused; a standby
 * lagging past the bound, or stopped, is skipped without a failed request.
 */
class ReplicaReadsTest {

    @BeforeAll
    static void standbyStreams() {
        LocalStandby.require();
        LocalStandby.resumeReplay(); // in case a run killed mid-test left it paused
    }

    private static ReplicaRouting routing(TestDatabase db, Duration maxLag) {
        DatabaseUrl primary = db.url();
        return ReplicaRouting.start(db.database(), ReplicaConfig.of(primary, LocalStandby.on(primary), maxLag));
    }

    @Test
    void usersReadsAreServedByTheStandbyAndWritesByThePrimary() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES);
             ReplicaRouting routing = routing(db, Duration.ofSeconds(30));
             TestServer server = TestServer.start(db, routing)) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "dummy"))
                    .json().path("job_id").asText();
            UserJourneyTest.waitForState(anna, jobId, "COMPLETED");
            LocalStandby.waitForReplay(db.url());
            routing.lookAtServers(); // the standby has anna's writes now

            ReplicaRouting.ReadCounts before = routing.readCounts();
            List<String> reads = List.of("/results?job_id=" + jobId, "/estimators?job_id=" + jobId, "/inputs?job_id=" + jobId,
                    "/user/simulations", "/logfiles?job_id=" + jobId, "/results?job_id=" + jobId + "&estimator_name=" + firstEstimator(anna, jobId)
                            + "&page_number=1");
            for (String path : reads) {
                assertThat(anna.get(path).status()).as(path).isEqualTo(200);
            }
            ReplicaRouting.ReadCounts after = routing.readCounts();
            assertThat(after.standby() - before.standby()).as("reads served by the standby").isEqualTo(reads.size() + 1);
            assertThat(after.primary() - before.primary()).as("reads served by the primary").isZero();

            List<String[]> onStandby = LocalStandby.sessions(LocalStandby.on(db.url()));
            List<String[]> onPrimary = LocalStandby.sessions(db.url());
            assertThat(onStandby).as("standby pool sessions on 5433 ran the reads")
                    .anyMatch(s -> s[0].equals(ReplicaRouting.STANDBY_APPLICATION_NAME) && s[1].contains("\"Page\""));
            assertThat(onStandby).as("no primary pool session on the standby").noneMatch(s -> s[0].equals("yaptide-store"));
            assertThat(onPrimary).as("the primary pool works on 5432").anyMatch(s -> s[0].equals("yaptide-store"));
            assertThat(onPrimary).as("no standby pool session on the primary")
                    .noneMatch(s -> s[0].equals(ReplicaRouting.STANDBY_APPLICATION_NAME));

            // a write now: it reaches the primary (the standby refuses writes), and shows in 5432's sessions
            String second = anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit"))
                    .json().path("job_id").asText();
            assertThat(LocalStandby.queryOne(db.url(), "SELECT count(*) FROM \"Simulation\" WHERE job_id = '" + second + "'"))
                    .isEqualTo("1");
            assertThat(LocalStandby.sessions(db.url())).as("the submission ran on the primary")
                    .anyMatch(s -> s[0].equals("yaptide-store") && (s[1].contains("INSERT") || s[1].contains("pg_current_wal_insert_lsn")));
            System.out.println("replica reads: " + routing.readCounts() + ", servers " + routing.status());
        }
    }

    private static String firstEstimator(ApiClient client, String jobId) {
        return client.get("/estimators?job_id=" + jobId).json().path("estimators_metadata").path(0).path("name").asText();
    }

    @Test
    void aUsersOwnSubmissionCancelAndDeleteAreSeenAtOnceWhileTheStandbyIsBehind() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES);
             ReplicaRouting routing = routing(db, Duration.ofSeconds(60));
             TestServer server = TestServer.start(db, routing)) {
            ApiClient anna = server.client().signedUp("anna");
            ApiClient bob = server.client().signedUp("bob");
            LocalStandby.waitForReplay(db.url());
            routing.lookAtServers();
            LocalStandby.pauseReplay();
            try {
                String jobId = anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit"))
                        .json().path("job_id").asText();
                ReplicaRouting.ReadCounts before = routing.readCounts();
                assertThat(jobIds(anna)).as("anna's list right after her submission").contains(jobId);
                assertThat(anna.get("/inputs?job_id=" + jobId).status()).isEqualTo(200);
                assertThat(routing.readCounts().primary() - before.primary()).as("anna's reads went to the primary").isEqualTo(2);

                ReplicaRouting.ReadCounts beforeBob = routing.readCounts();
                assertThat(bob.get("/user/simulations").status()).isEqualTo(200);
                assertThat(routing.readCounts().standby() - beforeBob.standby()).as("bob wrote nothing: his read went to the standby")
                        .isEqualTo(1);

                assertThat(anna.delete("/jobs/direct?job_id=" + jobId).status()).isEqualTo(200);
                assertThat(jobIds(anna, "/user/simulations?job_state=CANCELED")).as("anna's canceled jobs right after her cancel")
                        .containsExactly(jobId);
                assertThat(anna.delete("/user/simulations?job_id=" + jobId).status()).isEqualTo(200);
                assertThat(jobIds(anna)).as("anna's list right after her delete").doesNotContain(jobId);
                assertThat(anna.get("/inputs?job_id=" + jobId).status()).isEqualTo(404);
            } finally {
                LocalStandby.resumeReplay();
            }
            LocalStandby.waitForReplay(db.url());
            routing.lookAtServers();
            ReplicaRouting.ReadCounts before = routing.readCounts();
            assertThat(anna.get("/user/simulations").status()).isEqualTo(200);
            assertThat(routing.readCounts().standby() - before.standby()).as("once replayed, anna reads the standby again").isEqualTo(1);
        }
    }

    private static List<String> jobIds(ApiClient client) {
        return jobIds(client, "/user/simulations");
    }

    private static List<String> jobIds(ApiClient client, String path) {
        List<String> ids = new ArrayList<>();
        client.get(path).json().path("simulations").forEach(s -> ids.add(s.path("job_id").asText()));
        return ids;
    }

    @Test
    void aStandbyLaggingPastTheBoundIsSkippedUntilItCatchesUp() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES);
             ReplicaRouting routing = routing(db, Duration.ofSeconds(1));
             TestServer server = TestServer.start(db, routing)) {
            ApiClient anna = server.client().signedUp("anna");
            ApiClient carol = server.client().signedUp("carol");
            LocalStandby.waitForReplay(db.url());
            waitFor(() -> standbyInUse(routing), "the standby is in use");
            LocalStandby.pauseReplay();
            try {
                anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit"));
                waitFor(() -> !standbyInUse(routing), "the paused standby is left out once more than 1 s behind");
                ReplicaRouting.ServerStatus standby = routing.status().get(1);
                assertThat(standby.lagBytes()).isPositive();
                assertThat(standby.lagSeconds()).isGreaterThan(1.0);
                ReplicaRouting.ReadCounts before = routing.readCounts();
                assertThat(carol.get("/user/simulations").status()).isEqualTo(200);
                assertThat(routing.readCounts().primary() - before.primary()).as("carol's read went to the primary").isEqualTo(1);
            } finally {
                LocalStandby.resumeReplay();
            }
            waitFor(() -> standbyInUse(routing), "the standby is used again once it caught up");
            ReplicaRouting.ReadCounts before = routing.readCounts();
            assertThat(carol.get("/user/simulations").status()).isEqualTo(200);
            assertThat(routing.readCounts().standby() - before.standby()).isEqualTo(1);
        }
    }

    @Test
    void aStoppedStandbyIsSkippedWithNoFailedRequest() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES);
             ReplicaRouting routing = routing(db, Duration.ofSeconds(30));
             TestServer server = TestServer.start(db, routing)) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "dummy"))
                    .json().path("job_id").asText();
            UserJourneyTest.waitForState(anna, jobId, "COMPLETED");
            LocalStandby.waitForReplay(db.url());
            waitFor(() -> standbyInUse(routing), "the standby is in use");

            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService readers = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String path = i % 2 == 0 ? "/results?job_id=" + jobId : "/user/simulations";
                running.add(readers.submit(() -> {
                    ApiClient reader = new ApiClient(server.url());
                    anna.cookies.getCookieStore().getCookies().forEach(c -> reader.cookies.getCookieStore().add(server.url(), c));
                    while (!stop.get()) {
                        statuses.computeIfAbsent(reader.get(path).status(), s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            ReplicaRouting.ReadCounts start;
            ReplicaRouting.ReadCounts whileDown;
            try {
                Thread.sleep(500);
                start = routing.readCounts();
                LocalStandby.stop();
                Thread.sleep(500);
                ReplicaRouting.ReadCounts stopped = routing.readCounts();
                Thread.sleep(500);
                whileDown = routing.readCounts();
                assertThat(whileDown.standby()).as("no standby read while it is down").isEqualTo(stopped.standby());
                assertThat(routing.status().get(1).role()).isEqualTo(ReplicaRouting.Role.DOWN);
            } finally {
                LocalStandby.start();
            }
            waitFor(() -> standbyInUse(routing), "the standby is used again once it is back");
            waitFor(() -> routing.readCounts().standby() > whileDown.standby(), "reads reach the standby again: " + routing.status() + " " + routing.readCounts() + " " + statuses);
            stop.set(true);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            readers.shutdown();
            System.out.println("stopped standby: answers " + statuses + ", reads " + routing.readCounts() + " (standby before the stop: "
                    + start.standby() + ")");
            assertThat(statuses.keySet()).as("every answer while the standby stopped and started: %s", statuses).containsOnly(200);
            assertThat(start.standby()).as("the standby served reads before the stop").isPositive();
            assertThat(whileDown.primary()).as("the primary served them while it was down").isGreaterThan(start.primary());
        }
    }

    private static boolean standbyInUse(ReplicaRouting routing) {
        routing.lookAtServers();
        return routing.status().get(1).inUse();
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
