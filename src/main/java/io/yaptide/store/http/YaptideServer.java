package io.yaptide.store.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.yaptide.store.clusters.ClusterStore;
import io.yaptide.store.config.OpsConfig;
import io.yaptide.store.db.Database;
import io.yaptide.store.db.InvalidDataException;
import io.yaptide.store.db.ReplicaRouting;
import io.yaptide.store.db.SqlErrors;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.dispatch.Dispatcher;
import io.yaptide.store.keycloak.KeycloakLogin;
import io.yaptide.store.keycloak.KeycloakSettings;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.submissions.Submissions;
import io.yaptide.store.tasks.TaskStore;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.users.UserStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP service: the original's API on Javalin (Jetty), over the stores of one database.
 *
 * <p>Routes are thin (parse, check access, call a store, answer); every failure becomes the
 * original's {@code {"message": ...}} shape here, in one place: a route's {@link ApiException} with
 * its status, a store's refusal ({@link StoreException}) by its kind (404, 409, 400, 503 with
 * {@code Retry-After}), anything else as 500 with the details in the log only.
 */
public final class YaptideServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(YaptideServer.class);
    /** What Jetty reads from a connection at a time (its default is 8 KiB). */
    static final int INPUT_BUFFER_BYTES = 64 * 1024;

    /**
     * Jetty reads a request 8 KiB per read by default: a worker's gigabyte result set was 125,000
     * reads, each a system call and a hand-over to the parser. 64 KiB makes it 16,000. The buffer is
     * held only while a connection has unread bytes, so idle keep-alive connections do not keep one.
     * Set on the connection factories once started, as Javalin creates its connector at the start;
     * connections accepted from then on use it.
     */
    private static void largerReads(Javalin app) {
        for (org.eclipse.jetty.server.Connector c : app.jettyServer().server().getConnectors()) {
            org.eclipse.jetty.server.HttpConnectionFactory http = c.getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class);
            if (http != null) {
                http.setInputBufferSize(INPUT_BUFFER_BYTES);
            }
        }
    }

    /** How long a stop waits for requests in flight. */
    static final long STOP_TIMEOUT_MILLIS = 10_000;

    private final Javalin app;
    private final URI baseUrl;
    private final Observability observability;
    private volatile Dispatcher dispatcher;

    private YaptideServer(Javalin app, URI baseUrl, Observability observability) {
        this.app = app;
        this.baseUrl = baseUrl;
        this.observability = observability;
    }

    /**
     * Starts the service on the given settings: every store, route and check it runs. The one way in;
     * the dispatcher is made by {@code dispatcherFactory} once the port is known (the composition
     * root, {@code cli/ServeCommand}, chooses it).
     */
    public static YaptideServer start(Database db, HttpConfig config, OpsConfig ops, KeycloakSettings keycloak,
                                      Function<URI, Dispatcher> dispatcherFactory) {
        return start(db, null, config, ops, keycloak, dispatcherFactory);
    }

    /**
     * The composition root: every store, route and check the service runs, on the given settings.
     *
     * @param replicas null, or the standbys that may serve users' reads (docs/replica.md): the stores of
     *                 what users read then run on its routed database; users (authentication) stay on the primary
     */
    public static YaptideServer start(Database db, ReplicaRouting replicas, HttpConfig config, OpsConfig ops,
                                      KeycloakSettings keycloak, Function<URI, Dispatcher> dispatcherFactory) {
        Database reads = replicas == null ? db : replicas.database();
        UserStore users = new UserStore(db, keycloak.keyCipher());
        SimulationStore simulations = new SimulationStore(reads);
        TaskStore tasks = new TaskStore(reads);
        ClusterStore clusters = new ClusterStore(db);
        ResultStore results = new ResultStore(reads);
        Tokens tokens = new Tokens(config.jwtSecret(), config.accessTokenTtl(), config.refreshTokenTtl(), Clock.systemUTC());
        Authenticator auth = new Authenticator(tokens, users);
        StandbyReads standbyReads = replicas == null ? null : new StandbyReads(replicas, tokens);
        // Routes need the dispatcher, which needs the port, known only after the start: routes get it
        // through this holder, filled right after the start (a submission in between waits for it).
        DispatcherHolder holder = new DispatcherHolder();
        Observability observability = Observability.create(db, ops, config.host());

        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.jetty.defaultHost = config.host();
            cfg.jetty.defaultPort = config.port();
            cfg.jetty.modifyServer(server -> server.setStopTimeout(STOP_TIMEOUT_MILLIS));
            observability.configure(cfg);
            // Jetty holds a request with a body until the first body bytes arrive: a declared size
            // over the limit would wait (for the idle timeout) for bytes it will refuse
            cfg.jetty.modifyHttpConfiguration(http -> http.setDelayDispatchUntilContent(false));
        });
        observability.register(app);
        Cors cors = new Cors(Set.copyOf(config.corsOrigins()));
        app.before(ctx -> Reply.vary(ctx, "Accept-Encoding")); // Javalin may compress any answer
        app.before(cors::addHeaders);
        BodyLimits bodies = new BodyLimits(config.maxBodyBytes(), config.maxResultsBodyBytes(), BodyLimits.defaultBudget());
        app.before(bodies::check);
        app.after(bodies::release);
        app.before(TextRules::checkRequest);
        if (standbyReads != null) {
            app.before(ctx -> ctx.attribute(StandbyReads.ATTRIBUTE, standbyReads));
            app.after(standbyReads::afterRequest);
        }
        app.before(new CrossSiteGuard(Set.copyOf(config.corsOrigins()))::check);
        app.options("/", cors::preflight);
        app.options("/*", cors::preflight);
        long max = config.maxBodyBytes();
        app.get("/", ctx -> Reply.send(ctx, 200, "Hello World!"));
        app.get("/openapi.json", YaptideServer::openApi);
        new AuthRoutes(users, auth, max).register(app);
        new KeycloakRoutes(new KeycloakLogin(keycloak.realm(), users), auth, max).register(app);
        new UserRoutes(users, simulations, clusters, auth, holder::get).register(app);
        new JobsRoutes(simulations, tasks, new Submissions(simulations, clusters, holder::get), auth, holder::get, max).register(app);
        new TasksRoutes(simulations, tasks, max).register(app);
        new ResultsRoutes(simulations, results, auth, max, config.maxResultsBodyBytes()).register(app);
        new InputsRoutes(simulations, results, auth).register(app);
        new EstimatorsRoutes(simulations, results, auth).register(app);
        new JobUpdatesRoutes(simulations, results, max).register(app);
        new LogfilesRoutes(simulations, results, auth, max).register(app);
        mapErrors(app);

        try {
            app.start();
            largerReads(app);
            observability.startListener();
        } catch (RuntimeException e) {
            app.stop();
            observability.close();
            throw e;
        }
        int port = app.port();
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
            host = "127.0.0.1"; // the dummy simulator calls back over loopback
        }
        URI baseUrl = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        YaptideServer server = new YaptideServer(app, baseUrl, observability);
        try {
            server.dispatcher = dispatcherFactory.apply(baseUrl);
        } catch (RuntimeException e) {
            app.stop();
            observability.close();
            throw e;
        }
        holder.set(observability.counting(server.dispatcher));
        return server;
    }

    /** The dispatcher once the server knows its port. */
    private static final class DispatcherHolder {
        private Dispatcher dispatcher;

        synchronized void set(Dispatcher d) {
            dispatcher = d;
            notifyAll();
        }

        synchronized Dispatcher get() {
            while (dispatcher == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the service starts", e);
                }
            }
            return dispatcher;
        }
    }

    /** Every failure to the original's {@code {"message": ...}} shape; package-private for ErrorMappingTest. */
    static void mapErrors(Javalin app) {
        app.exception(ApiException.class, (e, ctx) -> Reply.send(ctx, e.status(), e.getMessage(), e.content()));
        app.exception(HttpResponseException.class, (e, ctx) -> Reply.send(ctx, e.getStatus(), e.getMessage()));
        app.exception(StoreException.class, YaptideServer::refused);
        app.exception(Exception.class, (e, ctx) -> {
            // a JDBI or driver failure that reached us without passing a store's translation
            switch (SqlErrors.classify(e)) {
                case UNAVAILABLE -> unavailable(ctx, e);
                case INVALID_DATA -> invalidData(ctx);
                default -> {
                    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                    Reply.send(ctx, 500, "Internal server error");
                }
            }
        });
        app.error(404, ctx -> {
            if (ctx.attribute(Reply.ANSWERED) == null) {
                Reply.send(ctx, 404, "Not found: no endpoint " + ctx.method() + " " + ctx.path());
            }
        });
        app.error(405, ctx -> {
            if (ctx.attribute(Reply.ANSWERED) == null) {
                Reply.send(ctx, 405, "Method not allowed: " + ctx.method() + " " + ctx.path());
            }
        });
    }

    /**
     * A store's refusal, by its kind; the four kinds are all there is. The client sees the
     * refusal's public message, never a driver's text.
     */
    private static void refused(StoreException e, Context ctx) {
        if (e instanceof StoreException.NotFound) {
            Reply.send(ctx, 404, "Not found: " + e.publicMessage());
        } else if (e instanceof StoreException.Conflict) {
            Reply.send(ctx, 409, e.publicMessage());
        } else if (e instanceof StoreException.Invalid) {
            Reply.send(ctx, 400, "Wrong data provided: " + e.publicMessage());
        } else {
            unavailable(ctx, e);
        }
    }

    /** Seconds a client is asked to wait after a 503: the pool reconnects within that once the database is back. */
    static final int RETRY_AFTER_SECONDS = 1;

    private static void unavailable(Context ctx, Exception e) {
        // the exception's class only: a driver's message may quote the statement's values
        LOG.error("database unavailable during {} {}: {}", ctx.method(), ctx.path(), SqlErrors.describe(e));
        ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        Reply.send(ctx, 503, "Database unavailable; try again later");
    }

    private static void invalidData(Context ctx) {
        Reply.send(ctx, 400, "Wrong data provided: " + InvalidDataException.PUBLIC_MESSAGE);
    }

    private static void openApi(Context ctx) {
        try (InputStream in = YaptideServer.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new ApiException(404, "The OpenAPI document is not packaged in this build");
            }
            ctx.contentType(Reply.CONTENT_TYPE).result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return app.port();
    }

    /** The admin listener's port ({@code YAPTIDE_METRICS_PORT}), or -1 when {@code /metrics} is on the API port. */
    public int metricsPort() {
        return observability.metricsPort();
    }

    /** Where this server answers, as its own dummy simulator calls it. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Stops accepting requests, lets those in flight finish (up to {@link #STOP_TIMEOUT_MILLIS}), stops the dispatcher. */
    @Override
    public void close() {
        app.stop();
        Dispatcher d = dispatcher;
        if (d != null) {
            d.close();
        }
        observability.close();
    }
}
