package io.yaptide.store.http;

import io.yaptide.store.config.ConfigException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the HTTP service, read once at start from environment variables with named
 * defaults; an invalid value stops the start with one line naming the variable.
 *
 * @param host            interface to listen on
 * @param port            port (0: any free port, for tests)
 * @param jwtSecret       key material for the access and refresh tokens
 * @param secretGenerated true when no secret was configured and a random one was made for this run
 *                        (tokens then do not survive a restart)
 * @param corsOrigins     front-end origins allowed to call with credentials (exact match)
 * @param maxBodyBytes    largest request body accepted (bodies are held in memory to be parsed), and the
 *                        largest single page or estimator metadata of a result set
 * @param maxResultsBodyBytes largest result set a worker may post ({@code POST /results}, streamed to the
 *                        database page by page, so it may exceed the heap and 2 GiB)
 * @param accessTokenTtl  lifetime of an access token
 * @param refreshTokenTtl lifetime of a refresh token
 * @param dummy           how the built-in dummy simulator behaves
 */
public record HttpConfig(String host, int port, byte[] jwtSecret, boolean secretGenerated, List<String> corsOrigins,
                         long maxBodyBytes, Duration accessTokenTtl, Duration refreshTokenTtl, DummyConfig dummy,
                         long maxResultsBodyBytes) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;

    public static final String ENV_JWT_SECRET = "YAPTIDE_JWT_SECRET";
    public static final String ENV_CORS_ORIGINS = "YAPTIDE_CORS_ORIGINS";
    public static final String ENV_MAX_BODY_BYTES = "YAPTIDE_MAX_BODY_BYTES";
    public static final String ENV_MAX_RESULTS_BODY_BYTES = "YAPTIDE_MAX_RESULTS_BODY_BYTES";
    public static final String ENV_ACCESS_TOKEN_SECONDS = "YAPTIDE_ACCESS_TOKEN_SECONDS";
    public static final String ENV_REFRESH_TOKEN_SECONDS = "YAPTIDE_REFRESH_TOKEN_SECONDS";
    public static final String ENV_DUMMY_THREADS = "YAPTIDE_DUMMY_THREADS";
    public static final String ENV_DUMMY_STEP_MILLIS = "YAPTIDE_DUMMY_STEP_MILLIS";
    public static final String ENV_DUMMY_RESULTS_FILE = "YAPTIDE_DUMMY_RESULTS_FILE";

    /** 100 MiB: a large 2-D result set posted by a worker still fits; anything bigger is refused. */
    public static final long DEFAULT_MAX_BODY_BYTES = 100L * 1024 * 1024;
    /**
     * 16 GiB: result sets are streamed to the database (the heap they take does not grow with them),
     * so the bound is the database's disk, not memory; the original's users report sets of about 1 GB.
     */
    public static final long DEFAULT_MAX_RESULTS_BODY_BYTES = 16L * 1024 * 1024 * 1024;
    /** The original's lifetimes: 10 minutes for access, 120 minutes for refresh tokens. */
    public static final long DEFAULT_ACCESS_TOKEN_SECONDS = 600;
    public static final long DEFAULT_REFRESH_TOKEN_SECONDS = 7200;
    /** A secret shorter than this is refused: HS256 keys should carry at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    /** With result sets limited as other bodies are ({@code maxBodyBytes}). */
    public HttpConfig(String host, int port, byte[] jwtSecret, boolean secretGenerated, List<String> corsOrigins,
                      long maxBodyBytes, Duration accessTokenTtl, Duration refreshTokenTtl, DummyConfig dummy) {
        this(host, port, jwtSecret, secretGenerated, corsOrigins, maxBodyBytes, accessTokenTtl, refreshTokenTtl, dummy,
                maxBodyBytes);
    }

    /** The same configuration with other body limits (tests and benchmarks). */
    public HttpConfig withBodyLimits(long maxBody, long maxResultsBody) {
        return new HttpConfig(host, port, jwtSecret, secretGenerated, corsOrigins, maxBody, accessTokenTtl, refreshTokenTtl,
                dummy, maxResultsBody);
    }

    public HttpConfig {
        corsOrigins = List.copyOf(corsOrigins);
        if (port < 0 || port > 65535) {
            throw new ConfigException("port " + port + " is out of range; use 1-65535 (or 0 for any free port)");
        }
    }

    /** How the built-in {@code dummy} simulator runs. */
    public record DummyConfig(int threads, Duration stepDelay, int progressSteps, String resultsFile) {
        public static final int DEFAULT_THREADS = 4;
        public static final long DEFAULT_STEP_MILLIS = 300;
        public static final int DEFAULT_PROGRESS_STEPS = 5;
    }

    public static HttpConfig fromEnvironment(String host, int port, Map<String, String> env) {
        String secretText = env.get(ENV_JWT_SECRET);
        byte[] secret;
        boolean generated;
        if (secretText == null || secretText.isBlank()) {
            secret = new byte[64];
            new SecureRandom().nextBytes(secret);
            generated = true;
        } else {
            secret = secretText.getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_SECRET_BYTES) {
                throw new ConfigException(ENV_JWT_SECRET + " is " + secret.length + " bytes long; use at least "
                        + MIN_SECRET_BYTES + " random characters (e.g. openssl rand -hex 32)");
            }
            generated = false;
        }
        List<String> origins = Arrays.stream(env.getOrDefault(ENV_CORS_ORIGINS, "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(HttpConfig::checkOrigin).toList();
        long maxBody = positive(env, ENV_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES);
        long maxResults = positive(env, ENV_MAX_RESULTS_BODY_BYTES, DEFAULT_MAX_RESULTS_BODY_BYTES);
        long access = positive(env, ENV_ACCESS_TOKEN_SECONDS, DEFAULT_ACCESS_TOKEN_SECONDS);
        long refresh = positive(env, ENV_REFRESH_TOKEN_SECONDS, DEFAULT_REFRESH_TOKEN_SECONDS);
        int threads = (int) positive(env, ENV_DUMMY_THREADS, DummyConfig.DEFAULT_THREADS);
        long step = nonNegative(env, ENV_DUMMY_STEP_MILLIS, DummyConfig.DEFAULT_STEP_MILLIS);
        String results = env.get(ENV_DUMMY_RESULTS_FILE);
        return new HttpConfig(host, port, secret, generated, origins, maxBody, Duration.ofSeconds(access),
                Duration.ofSeconds(refresh), new DummyConfig(threads, Duration.ofMillis(step),
                DummyConfig.DEFAULT_PROGRESS_STEPS, results == null || results.isBlank() ? null : results), maxResults);
    }

    private static String checkOrigin(String origin) {
        if (!origin.matches("https?://[^/\\s]+")) {
            throw new ConfigException(ENV_CORS_ORIGINS + " entry '" + origin
                    + "' is not an origin; use scheme://host[:port] without a path, e.g. http://localhost:3000");
        }
        return origin;
    }

    private static long positive(Map<String, String> env, String name, long fallback) {
        long v = nonNegative(env, name, fallback);
        if (v == 0) {
            throw new ConfigException(name + " must be greater than 0");
        }
        return v;
    }

    private static long nonNegative(Map<String, String> env, String name, long fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) {
                throw new ConfigException(name + " must not be negative (got " + text + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number (got '" + text + "')");
        }
    }

    @Override
    public String toString() {
        return "HttpConfig[" + host + ":" + port + ", secret=" + (secretGenerated ? "generated" : "configured")
                + ", corsOrigins=" + corsOrigins + ", maxBodyBytes=" + maxBodyBytes + ", maxResultsBodyBytes=" + maxResultsBodyBytes + "]";
    }
}
