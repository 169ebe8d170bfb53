package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.yaptide.store.config.OpsConfig;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.LocalRedis;
import io.yaptide.store.testing.TestDatabase;
import io.yaptide.store.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /health/live} and {@code /health/ready} with the database up, down and behind in revision, and with a broker. */
class HealthTest {

    @DatabaseTest
    void readyWhenTheDatabaseAnswersAtTheExpectedRevision(TestDatabase db) {
        try (TestServer server = TestServer.start(db, OpsConfig.defaults())) {
            ApiClient.Response ready = server.client().get("/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.message()).isEqualTo("Ready");
            assertThat(parts(ready)).containsExactly("database:up", "schema:up");
            assertThat(ready.json().path("checks").get(1).path("detail").asText()).isEqualTo("at revision " + Migrator.headId());
            assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");

            ApiClient.Response live = server.client().get("/health/live");
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.message()).isEqualTo("Alive");
        }
    }

    @DatabaseTest
    void notReadyWhileTheSchemaIsBehindTheBuild(TestDatabase db) {
        String previous = Migrator.revisions().get(Migrator.revisions().size() - 2).id();
        new Migrator(db.url()).downgrade(previous);
        try (TestServer server = TestServer.start(db, OpsConfig.defaults())) {
            ApiClient.Response ready = server.client().get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(parts(ready)).containsExactly("database:up", "schema:down");
            assertThat(ready.message()).startsWith("Not ready: schema: at revision " + previous + ", this build expects "
                    + Migrator.headId() + ": run bin/yaptide db upgrade");
            assertThat(server.client().get("/health/live").status()).as("the process still serves").isEqualTo(200);

            new Migrator(db.url()).upgrade(Migrator.HEAD);
            assertThat(server.client().get("/health/ready").status()).as("ready again once upgraded").isEqualTo(200);
        }
    }

    /**
     * PostgreSQL: the database is dropped under the running service (its connections are
     * terminated, new ones are refused). SQLite has no server to lose: its pool is closed instead.
     */
    @DatabaseTest
    void notReadyWhenTheDatabaseIsGone(TestDatabase db) {
        try (TestServer server = TestServer.start(db, OpsConfig.defaults())) {
            assertThat(server.client().get("/health/ready").status()).isEqualTo(200);
            if (db.isPostgres()) {
                TestDatabases.drop(db.url().database());
            } else {
                db.database().close();
            }
            long start = System.nanoTime();
            ApiClient.Response ready = server.client().get("/health/ready");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(ready.status()).isEqualTo(503);
            assertThat(parts(ready)).containsExactly("database:down", "schema:down");
            assertThat(ready.message()).startsWith("Not ready: database: unreachable: ");
            assertThat(millis).as("answers within the pool's 5 s connection timeout").isLessThan(8_000);
            assertThat(server.client().get("/health/live").status()).isEqualTo(200);
        }
    }

    @DatabaseTest
    void theBrokerIsPartOfReadinessWhenConfigured(TestDatabase db) {
        try (TestServer server = TestServer.start(db, OpsConfig.defaults().withBroker(LocalRedis.url()))) {
            ApiClient.Response ready = server.client().get("/health/ready");
            assertThat(ready.status()).as(ready.text()).isEqualTo(200);
            assertThat(parts(ready)).containsExactly("database:up", "schema:up", "broker:up");
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerMakesTheServiceUnready() {
        try (TestDatabase db = TestDatabases.migrated(io.yaptide.store.testing.Engine.SQLITE);
             TestServer server = TestServer.start(db, OpsConfig.defaults().withBroker(LocalRedis.closedPort()))) {
            long start = System.nanoTime();
            ApiClient.Response ready = server.client().get("/health/ready");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(ready.status()).isEqualTo(503);
            assertThat(parts(ready)).containsExactly("database:up", "schema:up", "broker:down");
            assertThat(ready.message()).startsWith("Not ready: broker: no answer from 127.0.0.1:");
            assertThat(millis).as("a closed port is refused at once").isLessThan(3_000);
        }
    }

    private static List<String> parts(ApiClient.Response r) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : r.json().path("checks")) {
            out.add(c.path("name").asText() + ":" + c.path("status").asText());
        }
        return out;
    }
}
