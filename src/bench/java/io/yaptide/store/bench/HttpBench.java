package io.yaptide.store.bench;

import io.yaptide.store.dispatch.ExternalWorkers;
import io.yaptide.store.http.HttpConfig;
import io.yaptide.store.http.Tokens;
import io.yaptide.store.http.YaptideServer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The service on a free loopback port over the bench database, for the HTTP workloads: no dummy
 * simulator (jobs stay as the workload leaves them), a secret known here so that a workload can
 * log the bench user in by minting its access token. Workloads talk to it with {@link LoopbackClient}.
 */
final class HttpBench implements AutoCloseable {
    final YaptideServer server;
    private final Tokens tokens;

    HttpBench(BenchContext ctx) {
        this(ctx, null);
    }

    /** With users' reads routed to the standbys of {@code replicas} (null: all on the primary). */
    HttpBench(BenchContext ctx, io.yaptide.store.db.ReplicaRouting replicas) {
        byte[] secret = new byte[64];
        new SecureRandom().nextBytes(secret);
        HttpConfig config = new HttpConfig("127.0.0.1", 0, secret, true, List.of(), HttpConfig.DEFAULT_MAX_BODY_BYTES,
                Duration.ofHours(1), Duration.ofHours(2), new HttpConfig.DummyConfig(1, Duration.ZERO, 1, null));
        this.server = YaptideServer.start(ctx.db(), replicas, config, io.yaptide.store.config.OpsConfig.defaults(),
                io.yaptide.store.keycloak.KeycloakSettings.none(), url -> new ExternalWorkers());
        this.tokens = new Tokens(secret, Duration.ofHours(1), Duration.ofHours(2), Clock.systemUTC());
    }

    /** The Cookie header value that logs the user in. */
    String cookieFor(io.yaptide.store.users.User user) {
        return "access_token=" + tokens.issue(user, Tokens.Kind.ACCESS).token();
    }

    /**
     * Posts one worker report and returns how long the answer took, in nanoseconds; any answer but
     * an accepted report ends the workload (a benchmark of refusals measures nothing).
     */
    static long timedTaskReport(LoopbackClient client, byte[] body) throws java.io.IOException {
        long t0 = System.nanoTime();
        LoopbackClient.Response r = client.send("POST", "/tasks", "Content-Type: application/json\r\n", body);
        long took = System.nanoTime() - t0;
        if (r.status() != 202 || !r.text().contains("\"Task updated\"")) {
            throw new IllegalStateException("POST /tasks answered " + r.status() + ": " + r.text());
        }
        return took;
    }

    @Override
    public void close() {
        server.close();
    }
}
