package io.yaptide.store.cli;

import io.yaptide.store.config.OpsConfig;
import io.yaptide.store.config.Settings;
import io.yaptide.store.config.ReplicaConfig;
import io.yaptide.store.db.Database;
import io.yaptide.store.db.ReplicaRouting;
import io.yaptide.store.dispatch.Dispatcher;
import io.yaptide.store.dispatch.DummySimulator;
import io.yaptide.store.dispatch.ExternalWorkers;
import io.yaptide.store.dispatch.SimulatorRouting;
import io.yaptide.store.dispatch.celery.CeleryConfig;
import io.yaptide.store.dispatch.celery.CeleryDispatcher;
import io.yaptide.store.http.HttpConfig;
import io.yaptide.store.http.YaptideServer;
import io.yaptide.store.keycloak.KeycloakSettings;
import io.yaptide.store.migrate.Migrator;
import io.yaptide.store.migrate.Revision;
import io.yaptide.store.simulations.SimulatorType;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yaptide serve}: the HTTP service on the configured database until SIGTERM (or Ctrl-C),
 * then a graceful stop: requests in flight finish, the pool closes.
 *
 * <p>On the embedded default database the schema is brought to head first (nobody else manages
 * that file). On any configured database the service refuses to start while revisions are pending:
 * upgrading a shared database is the operator's decision ({@code bin/yaptide db upgrade}, which
 * backs up first).
 */
@Command(name = "serve", description = "Run the HTTP service (the original's API) on the configured database.")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port = HttpConfig.DEFAULT_PORT;

    @Option(names = "--host", paramLabel = "H", description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
    String host = HttpConfig.DEFAULT_HOST;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        GlobalOptions global = Main.globalOf(spec);
        HttpConfig config = HttpConfig.fromEnvironment(host, port, GlobalOptions.environment);
        OpsConfig ops = OpsConfig.fromEnvironment(GlobalOptions.environment);
        KeycloakSettings keycloak = KeycloakSettings.fromEnvironment(GlobalOptions.environment);
        Settings.ResolvedUrl resolved = global.resolvedUrl();
        Database db = Database.open(resolved.url());
        ReplicaRouting replicas = null;
        YaptideServer server;
        try {
            prepareSchema(db, resolved, out);
            ReplicaConfig replicaConfig = ReplicaConfig.fromEnvironment(resolved.url(), GlobalOptions.environment);
            replicas = replicaConfig.enabled() ? ReplicaRouting.start(db, replicaConfig) : null;
            if (config.secretGenerated()) {
                LOG.warn("{} is not set: using a random secret for this run; logins end when the service restarts",
                        HttpConfig.ENV_JWT_SECRET);
            }
            if (keycloak.realm().config() == null) {
                LOG.info("Keycloak login off: {}", keycloak.realm().notConfigured());
            }
            Optional<CeleryConfig> celery = CeleryConfig.fromEnvironment(GlobalOptions.environment);
            server = YaptideServer.start(db, replicas, config, ops, keycloak, url -> dispatcher(url, config.dummy(), db, celery));
        } catch (RuntimeException e) {
            if (replicas != null) {
                replicas.close();
            }
            db.close();
            throw e;
        }
        ReplicaRouting routing = replicas;
        out.println("Serving the Yaptide API on " + server.baseUrl() + " (database " + resolved.url()
                + (routing == null ? "" : ", reads also from the standbys among " + routing.config().servers().stream()
                        .map(u -> u.hosts().get(0).toString()).collect(Collectors.joining(", "))) + ")"
                + (config.corsOrigins().isEmpty() ? "" : ", CORS for " + String.join(", ", config.corsOrigins()))
                + (server.metricsPort() < 0 ? "" : ", metrics on port " + server.metricsPort()));
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: finishing requests in flight");
            server.close();
            if (routing != null) {
                routing.close();
            }
            db.close();
            LOG.info("stopped");
            stopped.countDown();
        }, "yaptide-shutdown"));
        stopped.await();
        return ExitCode.OK;
    }

    /**
     * The service's dispatcher: the dummy simulator (calling back to {@code baseUrl}) runs
     * {@code dummy} jobs; with a Celery broker configured, direct SHIELD-HIT12A, FLUKA and TOPAS jobs
     * go to the original's Celery workers (docs/celery.md); the rest wait for external workers.
     */
    public static Dispatcher dispatcher(URI baseUrl, HttpConfig.DummyConfig dummy, Database db, Optional<CeleryConfig> celery) {
        DummySimulator simulator = new DummySimulator(baseUrl, dummy.threads(), dummy.stepDelay(), dummy.progressSteps(),
                dummy.resultsFile());
        if (celery.isEmpty()) {
            return new SimulatorRouting(Map.of(SimulatorType.DUMMY, simulator), new ExternalWorkers());
        }
        Dispatcher workers = new CeleryDispatcher(db, celery.get());
        return new SimulatorRouting(Map.of(SimulatorType.DUMMY, simulator, SimulatorType.SHIELDHIT, workers,
                SimulatorType.FLUKA, workers, SimulatorType.TOPAS, workers), new ExternalWorkers());
    }

    private static void prepareSchema(Database db, Settings.ResolvedUrl resolved, PrintWriter out) {
        Migrator migrator = new Migrator(db);
        if (resolved.source() == Settings.Source.EMBEDDED_DEFAULT) {
            Migrator.Outcome outcome = migrator.upgrade(Migrator.HEAD);
            if (outcome.changed()) {
                out.println("Upgraded the embedded database " + resolved.url() + " to " + outcome.to());
            }
            return;
        }
        List<Revision> pending = migrator.pending();
        if (!pending.isEmpty()) {
            String current = migrator.current().orElse("an empty schema");
            throw new CliException(ExitCode.MIGRATION, "the database " + resolved.url() + " is at " + current + ", "
                    + pending.size() + " revision(s) behind head ("
                    + pending.stream().map(Revision::id).collect(Collectors.joining(", "))
                    + "); run 'bin/yaptide db upgrade' on it (same --db or YAPTIDE_DATABASE_URL), then serve again");
        }
    }
}
