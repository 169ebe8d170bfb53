package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.db.ConnectionPurpose;
import io.yaptide.store.db.Connections;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.Engine;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The database connection drops while a request's statement is running (PostgreSQL terminates the
 * backend, as a restart or an operator's {@code pg_terminate_backend} does): the answer is a 503 with
 * {@code Retry-After}, never a 500, on the hot path ({@code POST /tasks}, plain JDBC) and on a read
 * (JDBI), and the next request is served again.
 *
 * <p>To drop the connection mid-statement, not before it, another session holds an exclusive lock
 * on the table the request needs; the request's statement waits on it inside the database, and the
 * backend waiting there (the service's session, {@code application_name} {@code yaptide-store}) is
 * the one terminated.
 */
class MidRequestDropTest {

    @Test
    void aTaskUpdateWhoseConnectionDropsMidStatementAnswers503WithRetryAfter() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES); TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            String jobId = anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json",
                    "shieldhit")).json().path("job_id").asText();
            SimulationStore sims = new SimulationStore(db.database());
            long simId = sims.findByJobId(jobId).orElseThrow().id();
            String key = sims.rotateUpdateKey(simId);
            ApiClient worker = server.client();
            Supplier<ApiClient.Response> report = () -> worker.post("/tasks", "{\"simulation_id\": " + simId
                    + ", \"task_id\": 0, \"update_key\": \"" + key + "\", \"update_dict\": {\"task_state\": \"RUNNING\","
                    + " \"simulated_primaries\": 7}}");

            ApiClient.Response dropped = dropMidStatement(db, "Task", report);

            assertThat(dropped.status()).as("answer: %s", dropped.text()).isEqualTo(503);
            assertThat(dropped.headers().firstValue("Retry-After")).hasValue(String.valueOf(YaptideServer.RETRY_AFTER_SECONDS));
            assertThat(report.get().status()).as("the next report, on a new connection").isEqualTo(202);
        }
    }

    @Test
    void aReadWhoseConnectionDropsMidStatementAnswers503WithRetryAfter() throws Exception {
        try (TestDatabase db = TestDatabases.migrated(Engine.POSTGRES); TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            anna.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit"));
            Supplier<ApiClient.Response> list = () -> anna.get("/user/simulations");

            ApiClient.Response dropped = dropMidStatement(db, "Simulation", list);

            assertThat(dropped.status()).as("answer: %s", dropped.text()).isEqualTo(503);
            assertThat(dropped.headers().firstValue("Retry-After")).hasValue(String.valueOf(YaptideServer.RETRY_AFTER_SECONDS));
            ApiClient.Response again = list.get();
            assertThat(again.status()).as("the next read, on a new connection").isEqualTo(200);
            assertThat(again.json().path("simulations")).hasSize(1);
        }
    }

    /**
     * Runs {@code request} while {@code table} is locked, terminates the service's backend once it
     * waits on that lock inside its statement, then releases the lock; returns the request's answer.
     */
    private static ApiClient.Response dropMidStatement(TestDatabase db, String table, Supplier<ApiClient.Response> request)
            throws Exception {
        try (Connection locker = Connections.open(db.url(), ConnectionPurpose.OPERATIONS);
             Connection observer = Connections.open(db.url(), ConnectionPurpose.OPERATIONS)) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE \"" + table + "\" IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<ApiClient.Response> answer = CompletableFuture.supplyAsync(request);
            try {
                int waiting = waitingServiceBackend(observer, db.url().database());
                try (PreparedStatement ps = observer.prepareStatement("SELECT pg_terminate_backend(?)")) {
                    ps.setInt(1, waiting);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next() && rs.getBoolean(1)).as("terminated backend %s", waiting).isTrue();
                    }
                }
                return answer.get(30, TimeUnit.SECONDS);
            } finally {
                locker.rollback();
            }
        }
    }

    /** The pid of the service's session that waits on a lock in {@code database}, once there is one. */
    private static int waitingServiceBackend(Connection observer, String database) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (PreparedStatement ps = observer.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ?"
                + " AND application_name = 'yaptide-store' AND wait_event_type = 'Lock'")) {
            ps.setString(1, database);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getInt(1);
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("no request of the service waited on the lock within 20 s");
    }
}
