package io.yaptide.store.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.yaptide.store.bench.RepeatedResultSet;
import io.yaptide.store.bench.ServiceProcess;
import io.yaptide.store.bench.StreamingHttp;
import io.yaptide.store.http.Tokens;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationSeeds;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.users.PasswordUser;
import io.yaptide.store.users.UserStore;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code yaptide serve} with a 64 MB heap stores a worker's result set of about 200 MB (over three
 * times the heap) and serves it back, plain and as one gzip member, without an OutOfMemoryError
 * (the service runs with {@code -XX:+ExitOnOutOfMemoryError}, so one would end it): the body goes
 * from the socket to the database page by page and back (both engines).
 */
class ResultsInASmallHeapTest {
    private static final String HEAP = "-Xmx64m";
    private static final long BODY_BYTES = 200_000_000L;
    private static final byte[] SECRET = "small-heap-secret-small-heap-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    @DatabaseTest
    void aServiceWithASmallHeapStoresAndServesAResultSetSeveralTimesItsHeap(TestDatabase db) throws Exception {
        RepeatedResultSet set = new RepeatedResultSet(Fixtures.readBytes("json_with_results.json"));
        PasswordUser user = new UserStore(db.database()).createPasswordUser("heap-" + db.url().database(), "secret-password");
        SimulationStore sims = new SimulationStore(db.database());
        Simulation sim = sims.create(SimulationSeeds.direct(user.id(), 1)).simulation();
        String key = sims.rotateUpdateKey(sim.id());
        db.closePool(); // the service has the database to itself while it runs
        int repetitions = set.repetitionsFor(BODY_BYTES);
        long length = set.length(sim.id(), key, repetitions);
        String cookie = "Cookie: access_token=" + new Tokens(SECRET, Duration.ofHours(1), Duration.ofHours(2), Clock.systemUTC())
                .issue(user, Tokens.Kind.ACCESS).token() + "\r\n";

        try (ServiceProcess service = ServiceProcess.start(db.url().render(true), List.of(HEAP),
                Map.of("YAPTIDE_JWT_SECRET", new String(SECRET, StandardCharsets.UTF_8),
                        "YAPTIDE_MAX_RESULTS_BODY_BYTES", Long.toString(2 * BODY_BYTES)));
             StreamingHttp http = new StreamingHttp(service.baseUrl())) {
            StreamingHttp.Head stored = http.send("POST", "/results", "", length, out -> {
                OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
                set.writeTo(buffered, sim.id(), key, repetitions);
                buffered.flush();
            });
            String answer = new String(http.body().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(stored.status()).as("%s; service stderr: %s", answer, service.stderr()).isEqualTo(202);

            String path = "/results?job_id=" + sim.jobId();
            StreamingHttp.Head plain = http.send("GET", path, cookie, 0, null);
            assertThat(plain.status()).isEqualTo(200);
            long[] plainText = countedEstimators(http.body(), repetitions * set.estimatorsPerRepetition());
            assertThat(plainText[0]).isGreaterThan(length - 1_000_000); // the set as posted, in the original's envelope

            StreamingHttp.Head gzip = http.send("GET", path, cookie + "Accept-Encoding: gzip\r\n", 0, null);
            assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
            long[] decoded = StreamingHttp.gunzipOneMember(http.body(), OutputStream.nullOutputStream());
            assertThat(decoded).as("gzip decodes to the plain answer: length and CRC-32").containsExactly(plainText[0], plainText[1]);

            assertThat(service.alive()).as("no OutOfMemoryError ended the service").isTrue();
            assertThat(service.stderr()).doesNotContain("OutOfMemoryError");
            ServiceProcess.GcLog gc = ServiceProcess.GcLog.read(service.gcLog(), 0);
            System.out.printf("small heap (%s, %s): %d MB stored and served; heap peak %.0f MB, after collections at most %.0f MB, %d collections%n",
                    HEAP, db, length / 1_000_000, gc.peakBeforeMb(), gc.peakAfterMb(), gc.collections());
            assertThat(gc.heapMb()).isLessThanOrEqualTo(64);
        }
    }

    /**
     * Reads the plain answer to its end, counting its estimators with a streaming parser (the answer
     * must be JSON of the original's shape, with {@code expected} estimators); returns its length and CRC-32.
     */
    private static long[] countedEstimators(InputStream body, int expected) throws Exception {
        PipedInputStream parsed = new PipedInputStream(1 << 20);
        PipedOutputStream tee = new PipedOutputStream(parsed);
        CompletableFuture<Integer> count = CompletableFuture.supplyAsync(() -> {
            try (JsonParser p = new JsonFactory().createParser(parsed)) {
                int estimators = 0;
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("estimators")) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            p.skipChildren();
                            estimators++;
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                return estimators;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long[] lengthAndCrc;
        try (OutputStream out = tee) {
            lengthAndCrc = StreamingHttp.lengthAndCrc(new TeeInput(body, out));
        }
        assertThat(count.get()).isEqualTo(expected);
        return lengthAndCrc;
    }

    /** Passes what is read on to {@code copy}. */
    private static final class TeeInput extends java.io.FilterInputStream {
        private final OutputStream copy;

        TeeInput(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }
    }
}
