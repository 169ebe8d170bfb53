package io.yaptide.store.http;

import io.yaptide.store.cli.ServeCommand;
import io.yaptide.store.config.OpsConfig;
import io.yaptide.store.db.Database;
import io.yaptide.store.dispatch.celery.CeleryConfig;
import io.yaptide.store.keycloak.KeycloakSettings;
import io.yaptide.store.testing.Fixtures;
import io.yaptide.store.testing.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The real server on a free port over a test database, with a fast dummy simulator. */
final class TestServer implements AutoCloseable {
    static final byte[] SECRET = "test-secret-test-secret-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    static final long MAX_BODY = 8L * 1024 * 1024;

    final YaptideServer server;
    final TestDatabase db;

    private TestServer(TestDatabase db, YaptideServer server) {
        this.db = db;
        this.server = server;
    }

    static TestServer start(TestDatabase db) {
        return start(db, Duration.ofMinutes(10), Duration.ofHours(2), List.of());
    }

    static TestServer start(TestDatabase db, Duration accessTtl, Duration refreshTtl, List<String> corsOrigins) {
        return new TestServer(db, standard(db.database(), config(accessTtl, refreshTtl, corsOrigins)));
    }

    /** With other body limits: {@code maxBody} for bodies held in memory, {@code maxResultsBody} for result sets. */
    static TestServer start(TestDatabase db, long maxBody, long maxResultsBody) {
        return new TestServer(db, standard(db.database(),
                config(Duration.ofMinutes(10), Duration.ofHours(2), List.of()).withBodyLimits(maxBody, maxResultsBody)));
    }

    /** With Keycloak login (and perhaps encryption of private keys) as given. */
    static TestServer start(TestDatabase db, KeycloakSettings keycloak) {
        HttpConfig config = config(Duration.ofMinutes(10), Duration.ofHours(2), List.of());
        return new TestServer(db, YaptideServer.start(db.database(), config, OpsConfig.defaults(), keycloak,
                url -> ServeCommand.dispatcher(url, config.dummy(), db.database(), Optional.empty())));
    }

    /** The server as {@code bin/yaptide serve} composes it (without Keycloak or a broker), on the given settings. */
    static YaptideServer standard(Database db, HttpConfig config) {
        return YaptideServer.start(db, config, OpsConfig.defaults(), KeycloakSettings.none(),
                url -> ServeCommand.dispatcher(url, config.dummy(), db, Optional.empty()));
    }

    private static HttpConfig config(Duration accessTtl, Duration refreshTtl, List<String> corsOrigins) {
        return new HttpConfig("127.0.0.1", 0, SECRET, false, corsOrigins, MAX_BODY, accessTtl, refreshTtl,
                new HttpConfig.DummyConfig(2, Duration.ofMillis(20), 3, Fixtures.file("json_with_results.json").toString()));
    }

    /** The same test server with the operator's settings (a broker to check, a metrics port). */
    static TestServer start(TestDatabase db, io.yaptide.store.config.OpsConfig ops) {
        HttpConfig config = new HttpConfig("127.0.0.1", 0, SECRET, false, List.of(), MAX_BODY, Duration.ofMinutes(10),
                Duration.ofHours(2), new HttpConfig.DummyConfig(2, Duration.ofMillis(20), 3, Fixtures.file("json_with_results.json").toString()));
        return new TestServer(db, YaptideServer.start(db.database(), config, ops, KeycloakSettings.none(),
                url -> ServeCommand.dispatcher(url, config.dummy(), db.database(), Optional.empty())));
    }

    /** As {@link #start(TestDatabase)}, with direct SHIELD-HIT12A, FLUKA and TOPAS jobs sent to Celery workers. */
    static TestServer start(TestDatabase db, CeleryConfig celery) {
        HttpConfig config = new HttpConfig("127.0.0.1", 0, SECRET, false, List.of(), MAX_BODY, Duration.ofMinutes(10),
                Duration.ofHours(2), new HttpConfig.DummyConfig(2, Duration.ofMillis(20), 3, null));
        return new TestServer(db, YaptideServer.start(db.database(), config, OpsConfig.defaults(), KeycloakSettings.none(),
                url -> ServeCommand.dispatcher(url, config.dummy(), db.database(), Optional.of(celery))));
    }

    /** With users' reads served by the standbys of {@code replicas} where they may be (docs/replica.md). */
    static TestServer start(TestDatabase db, io.yaptide.store.db.ReplicaRouting replicas) {
        return new TestServer(db, startOn(db.database(), replicas));
    }

    /** On a database of the test's own making (a throw-away primary and standby), reads routed by {@code replicas}. */
    static YaptideServer startOn(io.yaptide.store.db.Database database, io.yaptide.store.db.ReplicaRouting replicas) {
        HttpConfig config = config(Duration.ofMinutes(10), Duration.ofHours(2), List.of());
        return YaptideServer.start(database, replicas, config, io.yaptide.store.config.OpsConfig.defaults(),
                KeycloakSettings.none(), url -> ServeCommand.dispatcher(url, config.dummy(), database, Optional.empty()));
    }

    URI url() {
        return server.baseUrl();
    }

    ApiClient client() {
        return new ApiClient(url());
    }

    @Override
    public void close() {
        server.close();
    }
}
