package io.yaptide.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.yaptide.store.clusters.ClusterExistsException;
import io.yaptide.store.db.DatabaseUnavailableException;
import io.yaptide.store.db.InvalidDataException;
import io.yaptide.store.db.StoreException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's error mapping, over a real socket: a store's refusal is answered by its kind, and
 * anything else, however it is spelled (a library's IllegalArgumentException, a stray
 * {@code orElseThrow()}), is a 500 that shows no internal text.
 */
class ErrorMappingTest {
    private static final String INTERNAL = "internal detail: SELECT secret FROM \"User\"";
    private static Javalin app;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
        });
        app.get("/not-found", ctx -> {
            throw new StoreException.NotFound("no simulation with id 7");
        });
        app.get("/conflict", ctx -> {
            throw new ClusterExistsException("ares");
        });
        app.get("/invalid", ctx -> {
            throw new StoreException.Invalid("user name must not be empty");
        });
        app.get("/invalid-data", ctx -> {
            throw new InvalidDataException("ERROR: invalid byte sequence " + INTERNAL, new SQLException(INTERNAL, "22021"));
        });
        app.get("/unavailable", ctx -> {
            throw new DatabaseUnavailableException("cannot connect " + INTERNAL, null);
        });
        app.get("/library-iae", ctx -> {
            throw new IllegalArgumentException(INTERNAL);
        });
        app.get("/number-format", ctx -> ctx.result(String.valueOf(Integer.parseInt(INTERNAL))));
        app.get("/stray-or-else-throw", ctx -> ctx.result(Optional.<String>empty().orElseThrow()));
        app.get("/iterator", ctx -> ctx.result(List.<String>of().iterator().next()));
        app.get("/no-such-element", ctx -> {
            throw new NoSuchElementException(INTERNAL);
        });
        app.get("/api", ctx -> {
            throw new ApiException(403, "User is not allowed to use this endpoint");
        });
        YaptideServer.mapErrors(app);
        app.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String message(HttpResponse<String> response) throws Exception {
        JsonNode body = ApiClient.JSON.readTree(response.body());
        return body.path("message").asText();
    }

    @Test
    void aStoreRefusalIsAnsweredByItsKind() throws Exception {
        HttpResponse<String> notFound = get("/not-found");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(message(notFound)).isEqualTo("Not found: no simulation with id 7");

        HttpResponse<String> conflict = get("/conflict");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(message(conflict)).isEqualTo("cluster ares already exists");

        HttpResponse<String> invalid = get("/invalid");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(message(invalid)).isEqualTo("Wrong data provided: user name must not be empty");

        HttpResponse<String> api = get("/api");
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(message(api)).isEqualTo("User is not allowed to use this endpoint");
    }

    @Test
    void aValueTheDatabaseRefusesIsA400WithoutTheDriversText() throws Exception {
        HttpResponse<String> refused = get("/invalid-data");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(message(refused)).isEqualTo("Wrong data provided: a value the database cannot store"
                + " (text with a NUL character, or a number out of range)");
        assertThat(refused.body()).doesNotContain("secret");
    }

    @Test
    void anUnavailableDatabaseIsA503WithRetryAfterAndNoInternalText() throws Exception {
        HttpResponse<String> unavailable = get("/unavailable");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue(String.valueOf(YaptideServer.RETRY_AFTER_SECONDS));
        assertThat(message(unavailable)).isEqualTo("Database unavailable; try again later");
        assertThat(unavailable.body()).doesNotContain("secret");
    }

    @Test
    void aLibrarysIllegalArgumentOrNoSuchElementIsA500ThatShowsNoInternalText() throws Exception {
        for (String path : List.of("/library-iae", "/number-format", "/stray-or-else-throw", "/iterator", "/no-such-element")) {
            HttpResponse<String> failed = get(path);
            assertThat(failed.statusCode()).as(path).isEqualTo(500);
            assertThat(message(failed)).as(path).isEqualTo("Internal server error");
            assertThat(failed.body()).as(path).doesNotContain("secret").doesNotContain("internal detail")
                    .doesNotContain("No value present");
        }
    }
}
