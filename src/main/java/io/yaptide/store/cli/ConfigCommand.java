package io.yaptide.store.cli;

import io.yaptide.store.config.OpsConfig;
import io.yaptide.store.config.Settings;
import io.yaptide.store.dispatch.celery.CeleryConfig;
import io.yaptide.store.http.HttpConfig;
import io.yaptide.store.keycloak.KeycloakConfig;
import io.yaptide.store.keycloak.KeycloakSettings;
import io.yaptide.store.users.KeyCipher;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yaptide config}: every setting in effect, where it came from (flag, variable, default),
 * secrets masked. The values are read by the same code {@code serve} reads them with, so an invalid
 * one fails here exactly as it would at the start (one line, exit 3).
 */
@Command(name = "config", description = {
        "Print every setting in effect and where it came from (flag, variable or default); secrets masked.",
        "Values are checked as serve checks them: an invalid one is one line and exit code 3.",
        "YAPTIDE_* variables this build does not know (typos) are listed at the end."})
final class ConfigCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", description = "As serve --port: show the port serve would use with it.")
    Integer port;

    @Option(names = "--host", paramLabel = "H", description = "As serve --host.")
    String host;

    @Spec
    CommandSpec spec;

    /** One line of the overview. */
    record Entry(String name, String value, String source) {
    }

    /** Variables that are settings; anything else starting with YAPTIDE_ is reported as unknown. */
    static final Set<String> KNOWN = Set.of(Settings.ENV_DATABASE_URL, Settings.ENV_FLASK_DATABASE_URI, Settings.ENV_DATA_DIR,
            io.yaptide.store.config.ReplicaConfig.ENV_REPLICA_URL, io.yaptide.store.config.ReplicaConfig.ENV_MAX_LAG_SECONDS,
            "YAPTIDE_BACKUP_DIR", HttpConfig.ENV_JWT_SECRET, HttpConfig.ENV_CORS_ORIGINS, HttpConfig.ENV_MAX_BODY_BYTES,
            HttpConfig.ENV_MAX_RESULTS_BODY_BYTES,
            HttpConfig.ENV_ACCESS_TOKEN_SECONDS, HttpConfig.ENV_REFRESH_TOKEN_SECONDS, HttpConfig.ENV_DUMMY_THREADS,
            HttpConfig.ENV_DUMMY_STEP_MILLIS, HttpConfig.ENV_DUMMY_RESULTS_FILE, OpsConfig.ENV_METRICS_PORT,
            OpsConfig.ENV_BROKER_URL, OpsConfig.ENV_CELERY_BROKER_URL, OpsConfig.ENV_LOG_FORMAT, OpsConfig.ENV_LOG_LEVEL,
            KeyCipher.ENV_KEY_FILE, KeycloakConfig.PREFIX + KeycloakConfig.BASE_URL, KeycloakConfig.PREFIX + KeycloakConfig.REALM,
            KeycloakConfig.PREFIX + KeycloakConfig.CLIENT_ID, KeycloakConfig.PREFIX + KeycloakConfig.REALMS_PATH,
            KeycloakConfig.PREFIX + KeycloakConfig.CERT_AUTH_URL, KeycloakConfig.PREFIX + KeycloakConfig.CLOCK_SKEW_SECONDS,
            KeycloakConfig.PREFIX + KeycloakConfig.JWKS_MIN_REFRESH_SECONDS,
            // read by the tests and the benchmark only
            "YAPTIDE_CELERY_RESULT_BACKEND", "YAPTIDE_CELERY_QUEUE", "YAPTIDE_CELERY_SILENCE_SECONDS",
            "YAPTIDE_CELERY_SWEEP_SECONDS",
            "YAPTIDE_TEST_POSTGRES_URL", "YAPTIDE_TEST_REDIS_URL");

    @Override
    public Integer call() {
        Map<String, String> env = GlobalOptions.environment;
        GlobalOptions global = Main.globalOf(spec);
        List<Entry> entries = entries(global.db, host, port, env);
        PrintWriter out = spec.commandLine().getOut();
        int nameWidth = entries.stream().mapToInt(e -> e.name().length()).max().orElse(10);
        int valueWidth = Math.min(60, entries.stream().mapToInt(e -> e.value().length()).max().orElse(10));
        String format = "%-" + nameWidth + "s  %-" + valueWidth + "s  %s%n";
        out.printf(format, "setting", "value", "from");
        entries.forEach(e -> out.printf(format, e.name(), e.value(), e.source()));
        Set<String> unknown = new TreeSet<>();
        env.keySet().stream().filter(k -> k.startsWith("YAPTIDE_") && !KNOWN.contains(k)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            out.println("Not settings of this build (ignored; a typo?): " + String.join(", ", unknown));
        }
        out.flush();
        return ExitCode.OK;
    }

    static List<Entry> entries(String dbOption, String hostOption, Integer portOption, Map<String, String> env) {
        HttpConfig http = HttpConfig.fromEnvironment(hostOption == null ? HttpConfig.DEFAULT_HOST : hostOption,
                portOption == null ? HttpConfig.DEFAULT_PORT : portOption, env);
        OpsConfig ops = OpsConfig.fromEnvironment(env);
        Settings.ResolvedUrl db = Settings.resolveDatabaseUrl(dbOption, env);

        List<Entry> out = new ArrayList<>();
        out.add(new Entry("database URL", db.url().toString(), switch (db.source()) {
            case OPTION -> "flag --db";
            case YAPTIDE_DATABASE_URL -> "variable " + Settings.ENV_DATABASE_URL;
            case FLASK_SQLALCHEMY_DATABASE_URI -> "variable " + Settings.ENV_FLASK_DATABASE_URI;
            case EMBEDDED_DEFAULT -> "default (the embedded SQLite file)";
        }));
        // the standbys (docs/replica.md): the separate URL, and the servers of both URLs the service watches
        io.yaptide.store.config.ReplicaConfig replicas = io.yaptide.store.config.ReplicaConfig.fromEnvironment(db.url(), env);
        out.add(new Entry("replica URL", replicas.replicaUrl() == null ? "(none)" : replicas.replicaUrl().toString(),
                source(env, io.yaptide.store.config.ReplicaConfig.ENV_REPLICA_URL)));
        out.add(new Entry("database servers", replicas.enabled() ? replicas.servers().stream().map(u -> u.hosts().get(0).toString())
                .collect(java.util.stream.Collectors.joining(", ")) + " (roles: bin/yaptide db replicas)" : "one (no standby)",
                "the hosts of both URLs"));
        out.add(new Entry(io.yaptide.store.config.ReplicaConfig.ENV_MAX_LAG_SECONDS, replicas.maxLag().toMillis() / 1000.0 + "",
                source(env, io.yaptide.store.config.ReplicaConfig.ENV_MAX_LAG_SECONDS)));
        out.add(variable(env, Settings.ENV_DATA_DIR, Settings.DEFAULT_DATA_DIR));
        out.add(variable(env, "YAPTIDE_BACKUP_DIR", DbOpsCommands.backupDir(env).toString()));
        out.add(new Entry("serve --host", http.host(), hostOption == null ? "default" : "flag --host"));
        out.add(new Entry("serve --port", Integer.toString(http.port()), portOption == null ? "default" : "flag --port"));
        out.add(new Entry(HttpConfig.ENV_JWT_SECRET, http.secretGenerated() ? "(none: a random secret per start)"
                : "*** (" + http.jwtSecret().length + " bytes)", source(env, HttpConfig.ENV_JWT_SECRET)));
        out.add(new Entry(HttpConfig.ENV_CORS_ORIGINS, http.corsOrigins().isEmpty() ? "(none)" : String.join(",", http.corsOrigins()),
                source(env, HttpConfig.ENV_CORS_ORIGINS)));
        out.add(number(env, HttpConfig.ENV_MAX_BODY_BYTES, http.maxBodyBytes()));
        out.add(number(env, HttpConfig.ENV_MAX_RESULTS_BODY_BYTES, http.maxResultsBodyBytes()));
        out.add(number(env, HttpConfig.ENV_ACCESS_TOKEN_SECONDS, http.accessTokenTtl().toSeconds()));
        out.add(number(env, HttpConfig.ENV_REFRESH_TOKEN_SECONDS, http.refreshTokenTtl().toSeconds()));
        out.add(number(env, HttpConfig.ENV_DUMMY_THREADS, http.dummy().threads()));
        out.add(number(env, HttpConfig.ENV_DUMMY_STEP_MILLIS, http.dummy().stepDelay().toMillis()));
        out.add(new Entry(HttpConfig.ENV_DUMMY_RESULTS_FILE, http.dummy().resultsFile() == null ? "(generated)" : http.dummy().resultsFile(),
                source(env, HttpConfig.ENV_DUMMY_RESULTS_FILE)));
        out.add(new Entry(OpsConfig.ENV_METRICS_PORT, ops.metricsPort() == null ? "(none: /metrics on the API port)"
                : ops.metricsPort().toString(), source(env, OpsConfig.ENV_METRICS_PORT)));
        out.add(new Entry("broker URL", ops.brokerUrl() == null ? "(none: readiness does not check a broker)"
                : ops.brokerUrl().toString(),
                ops.brokerSource() == null ? "default" : "variable " + ops.brokerSource()));
        KeycloakSettings keycloak = KeycloakSettings.fromEnvironment(env);
        KeycloakConfig realm = keycloak.realm().config();
        out.add(new Entry("Keycloak login", realm == null ? "off (" + keycloak.realm().notConfigured() + ")"
                : "issuer " + realm.issuer() + ", client " + realm.clientId() + ", clock skew " + realm.clockSkew().toSeconds() + " s",
                "variables " + KeycloakConfig.BASE_URL + ", " + KeycloakConfig.REALM + ", " + KeycloakConfig.CLIENT_ID
                        + " (or " + KeycloakConfig.PREFIX + "...)"));
        out.add(new Entry(KeycloakConfig.CERT_AUTH_URL, realm == null || realm.certAuthUrl() == null ? "(none)" : realm.certAuthUrl().toString(),
                prefixedSource(env, KeycloakConfig.CERT_AUTH_URL)));
        out.add(new Entry(KeyCipher.ENV_KEY_FILE, keycloak.keyCipher() == null ? "(none: private keys stored as the original stores them)"
                : env.get(KeyCipher.ENV_KEY_FILE).strip() + " (key not shown)", source(env, KeyCipher.ENV_KEY_FILE)));
        Optional<CeleryConfig> celery = CeleryConfig.fromEnvironment(env);
        out.add(new Entry("Celery dispatch", celery.map(c -> "result backend " + c.resultBackendUrl() + ", queue " + c.queue()
                        + ", silence deadline " + c.silenceDeadline().toSeconds() + " s").orElse("off (no broker: jobs wait for workers)"),
                "variables YAPTIDE_CELERY_* (or CELERY_BROKER_URL, CELERY_RESULT_BACKEND)"));
        out.add(new Entry(OpsConfig.ENV_LOG_FORMAT, ops.logFormat(), source(env, OpsConfig.ENV_LOG_FORMAT)));
        String level = env.get(OpsConfig.ENV_LOG_LEVEL);
        out.add(new Entry(OpsConfig.ENV_LOG_LEVEL, level == null || level.isBlank() ? "INFO (io.yaptide), WARN (libraries)" : level.strip(),
                source(env, OpsConfig.ENV_LOG_LEVEL)));
        return out;
    }

    private static Entry variable(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return new Entry(name, v == null || v.isBlank() ? fallback : v.strip(), source(env, name));
    }

    private static Entry number(Map<String, String> env, String name, long value) {
        return new Entry(name, Long.toString(value), source(env, name));
    }

    /** Keycloak's variables come plain (the original's names) or with YAPTIDE_, which wins. */
    private static String prefixedSource(Map<String, String> env, String name) {
        String prefixed = KeycloakConfig.PREFIX + name;
        return source(env, prefixed).equals("variable") ? "variable " + prefixed
                : source(env, name).equals("variable") ? "variable " + name : "default";
    }

    private static String source(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? "default" : "variable";
    }
}
