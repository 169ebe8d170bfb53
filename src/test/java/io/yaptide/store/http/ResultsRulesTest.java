package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.SeedRows;
import io.yaptide.store.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code POST /results} and {@code POST /logfiles}: results and the COMPLETED state are one
 * transaction; a finished job keeps its state and results (409); an empty result set and a log
 * file that is not text are refused (400). Both engines.
 */
class ResultsRulesTest {

    record Job(String jobId, long simId, String key) {
        String envelope() {
            return "{\"simulation_id\": " + simId + ", \"update_key\": \"" + key + "\", ";
        }
    }

    private static Job pendingJob(ApiClient user, TestDatabase db) throws Exception {
        String jobId = user.post("/jobs/direct", UserJourneyTest.payload("shieldhit_json_payload_files.json", "shieldhit"))
                .json().path("job_id").asText();
        SimulationStore sims = new SimulationStore(db.database());
        long simId = sims.findByJobId(jobId).orElseThrow().id();
        return new Job(jobId, simId, sims.rotateUpdateKey(simId));
    }

    /** The fixture's result set, addressed to the job. */
    private static String results(Job job) throws Exception {
        String fixture = new String(Fixtures.readBytes("json_with_results.json"), StandardCharsets.UTF_8);
        int estimators = fixture.indexOf("\"estimators\"");
        return job.envelope() + fixture.substring(estimators);
    }

    private static String state(ApiClient user, Job job) {
        return user.get("/jobs?job_id=" + job.jobId()).json().path("job_state").asText();
    }

    private static long resultRows(TestDatabase db) {
        Map<String, Long> counts = SeedRows.counts(db.jdbi());
        return counts.getOrDefault("Estimator", 0L) + counts.getOrDefault("Page", 0L);
    }

    @DatabaseTest
    void resultsAndCompletionCommitTogether(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            ApiClient worker = server.client();
            Job job = pendingJob(anna, db);

            // the completion fails: the result set must not stay behind on a PENDING job
            db.jdbi().useHandle(h -> h.execute(db.isPostgres()
                    ? "CREATE FUNCTION yt_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$"
                    + " LANGUAGE plpgsql" : "SELECT 1"));
            db.jdbi().useHandle(h -> h.execute(db.isPostgres()
                    ? "CREATE TRIGGER yt_no_completion BEFORE UPDATE ON \"Simulation\" FOR EACH ROW"
                    + " WHEN (NEW.job_state = 'COMPLETED') EXECUTE FUNCTION yt_refuse()"
                    : "CREATE TRIGGER yt_no_completion BEFORE UPDATE ON \"Simulation\" WHEN NEW.job_state = 'COMPLETED'"
                    + " BEGIN SELECT RAISE(ABORT, 'refused by test'); END"));
            assertThat(worker.post("/results", results(job)).status()).isEqualTo(500);
            assertThat(state(anna, job)).isEqualTo("PENDING");
            assertThat(resultRows(db)).isZero();
            db.jdbi().useHandle(h -> h.execute("DROP TRIGGER yt_no_completion" + (db.isPostgres() ? " ON \"Simulation\"" : "")));

            // the results fail after the completion was written: the completion goes too
            db.jdbi().useHandle(h -> h.execute(db.isPostgres()
                    ? "CREATE TRIGGER yt_no_pages BEFORE INSERT ON \"Page\" FOR EACH ROW EXECUTE FUNCTION yt_refuse()"
                    : "CREATE TRIGGER yt_no_pages BEFORE INSERT ON \"Page\" BEGIN SELECT RAISE(ABORT, 'refused by test'); END"));
            assertThat(worker.post("/results", results(job)).status()).isEqualTo(500);
            assertThat(state(anna, job)).isEqualTo("PENDING");
            assertThat(resultRows(db)).isZero();
            db.jdbi().useHandle(h -> h.execute("DROP TRIGGER yt_no_pages" + (db.isPostgres() ? " ON \"Page\"" : "")));

            ApiClient.Response stored = worker.post("/results", results(job));
            assertThat(stored.status()).as(stored.text()).isEqualTo(202);
            assertThat(state(anna, job)).isEqualTo("COMPLETED");
            assertThat(anna.get("/results?job_id=" + job.jobId()).json().path("estimators")).hasSize(4);
        }
    }

    @DatabaseTest
    void aFinishedJobKeepsItsResultsAndEmptyOrNonTextBodiesAreRefused(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db)) {
            ApiClient anna = server.client().signedUp("anna");
            ApiClient worker = server.client();
            Job job = pendingJob(anna, db);
            Map<String, Long> rows = SeedRows.counts(db.jdbi());

            ApiClient.Response empty = worker.post("/results", job.envelope() + "\"estimators\": []}");
            assertThat(empty.status()).isEqualTo(400);
            assertThat(empty.message()).contains("estimators must not be empty");
            ApiClient.Response binary = worker.post("/logfiles", job.envelope() + "\"logfiles\": {\"run.log\": [1, 2]}}");
            assertThat(binary.status()).isEqualTo(400);
            assertThat(binary.message()).contains("logfiles.run.log must be the file's text, got an array");
            assertThat(SeedRows.counts(db.jdbi())).isEqualTo(rows);
            assertThat(state(anna, job)).isEqualTo("PENDING");

            assertThat(worker.post("/results", results(job)).status()).isEqualTo(202);
            long stored = resultRows(db);
            String again = job.envelope() + "\"estimators\": [{\"name\": \"late\", \"metadata\": {}, \"pages\": "
                    + "[{\"metadata\": {\"page_number\": 0}, \"data\": {\"values\": [1]}}]}]}";
            ApiClient.Response late = worker.post("/results", again);
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.message()).contains("is COMPLETED already");
            assertThat(resultRows(db)).isEqualTo(stored);
            assertThat(anna.get("/results?job_id=" + job.jobId() + "&estimator_name=late").status()).isEqualTo(404);

            Job canceled = pendingJob(anna, db);
            assertThat(anna.delete("/jobs/direct?job_id=" + canceled.jobId()).status()).isEqualTo(200);
            ApiClient.Response afterCancel = worker.post("/results", results(canceled));
            assertThat(afterCancel.status()).isEqualTo(409);
            assertThat(afterCancel.message()).contains("is CANCELED already");
            assertThat(state(anna, canceled)).isEqualTo("CANCELED");
            assertThat(resultRows(db)).isEqualTo(stored);
        }
    }
}
