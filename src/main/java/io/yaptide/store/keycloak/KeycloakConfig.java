package io.yaptide.store.keycloak;

import io.yaptide.store.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the Keycloak realm is and how strictly its tokens are checked, read once at start.
 *
 * <p>The original's variables ({@code KEYCLOAK_BASE_URL}, {@code KEYCLOAK_REALM}, {@code CERT_AUTH_URL})
 * are read, and their {@code YAPTIDE_}-prefixed forms, which win when both are set. New:
 * {@code KEYCLOAK_CLIENT_ID} (the front end's client: the token's {@code azp} or one of its {@code aud});
 * {@code KEYCLOAK_REALMS_PATH} ({@code /auth/realms} as the original builds URLs, {@code /realms} for
 * Keycloak 17 and later); {@code KEYCLOAK_CLOCK_SKEW_SECONDS} (default 30, at most 300);
 * {@code KEYCLOAK_JWKS_MIN_REFRESH_SECONDS} (default 30: an unknown {@code kid} fetches the key set
 * again at most twice in that time).
 *
 * @param issuer          the realm's issuer, {@code {base}{realmsPath}/{realm}}: the token's {@code iss}
 * @param jwksUrl         the realm's key set, {@code {issuer}/protocol/openid-connect/certs}
 * @param clientId        the client the token must be for
 * @param certAuthUrl     the certificate service, or null when none is configured
 * @param clockSkew       how far {@code exp} and {@code nbf} may be off
 * @param jwksTtl         how long a fetched key set is used before it is fetched again
 * @param jwksMinRefresh  the rate limit of fetches caused by unknown key ids
 * @param connectTimeout  connect timeout towards Keycloak and the certificate service
 * @param readTimeout     read timeout towards them
 */
public record KeycloakConfig(URI issuer, URI jwksUrl, String clientId, URI certAuthUrl, Duration clockSkew,
                             Duration jwksTtl, Duration jwksMinRefresh, Duration connectTimeout, Duration readTimeout) {

    public static final String BASE_URL = "KEYCLOAK_BASE_URL";
    public static final String REALM = "KEYCLOAK_REALM";
    public static final String CLIENT_ID = "KEYCLOAK_CLIENT_ID";
    public static final String REALMS_PATH = "KEYCLOAK_REALMS_PATH";
    public static final String CERT_AUTH_URL = "CERT_AUTH_URL";
    public static final String CLOCK_SKEW_SECONDS = "KEYCLOAK_CLOCK_SKEW_SECONDS";
    public static final String JWKS_MIN_REFRESH_SECONDS = "KEYCLOAK_JWKS_MIN_REFRESH_SECONDS";
    public static final String PREFIX = "YAPTIDE_";

    public static final String DEFAULT_REALMS_PATH = "/auth/realms";
    public static final long DEFAULT_CLOCK_SKEW_SECONDS = 30;
    public static final long MAX_CLOCK_SKEW_SECONDS = 300;
    public static final long DEFAULT_JWKS_MIN_REFRESH_SECONDS = 30;
    public static final Duration DEFAULT_JWKS_TTL = Duration.ofMinutes(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

    public KeycloakConfig {
        if (clockSkew.isNegative() || clockSkew.toSeconds() > MAX_CLOCK_SKEW_SECONDS) {
            throw new ConfigException(CLOCK_SKEW_SECONDS + " must be between 0 and " + MAX_CLOCK_SKEW_SECONDS);
        }
    }

    /** For a realm at {@code base}{@code realmsPath}/{@code realm}, with the default limits. */
    public static KeycloakConfig of(String baseUrl, String realmsPath, String realm, String clientId, URI certAuthUrl,
                                    Duration clockSkew, Duration jwksMinRefresh) {
        String base = baseUrl.replaceAll("/+$", "");
        String path = realmsPath.isEmpty() || realmsPath.startsWith("/") ? realmsPath : "/" + realmsPath;
        URI issuer = uri(BASE_URL, base + path.replaceAll("/+$", "") + "/" + realm);
        return new KeycloakConfig(issuer, URI.create(issuer + "/protocol/openid-connect/certs"), clientId, certAuthUrl,
                clockSkew, DEFAULT_JWKS_TTL, jwksMinRefresh, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * What the environment configures: a realm, or the reason there is none (the login then answers
     * the original's 403 "Service is not available"). A value that is set but wrong stops the start.
     */
    public static Setup fromEnvironment(Map<String, String> env) {
        String base = get(env, BASE_URL);
        String realm = get(env, REALM);
        String client = get(env, CLIENT_ID);
        List<String> missing = new ArrayList<>();
        if (base == null) {
            missing.add(BASE_URL);
        }
        if (realm == null) {
            missing.add(REALM);
        }
        if (client == null) {
            missing.add(CLIENT_ID);
        }
        if (!missing.isEmpty()) {
            return new Setup(null, String.join(", ", missing) + " not set");
        }
        if (!base.matches("https?://[^\\s]+")) {
            throw new ConfigException(BASE_URL + " '" + base + "' is not an http(s) URL, e.g. https://sso.example.org");
        }
        if (!realm.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(REALM + " '" + realm + "' is not a realm name (letters, digits, . _ -)");
        }
        String path = env.containsKey(PREFIX + REALMS_PATH) ? env.get(PREFIX + REALMS_PATH)
                : env.getOrDefault(REALMS_PATH, DEFAULT_REALMS_PATH);
        if (!path.strip().matches("(/[A-Za-z0-9._-]+)*/?")) {
            throw new ConfigException(REALMS_PATH + " '" + path + "' is not a path such as /auth/realms or /realms");
        }
        String cert = get(env, CERT_AUTH_URL);
        URI certUrl = null;
        if (cert != null) {
            if (!cert.matches("https?://[^\\s]+")) {
                throw new ConfigException(CERT_AUTH_URL + " '" + cert + "' is not an http(s) URL");
            }
            certUrl = uri(CERT_AUTH_URL, cert);
        }
        long skew = seconds(env, CLOCK_SKEW_SECONDS, DEFAULT_CLOCK_SKEW_SECONDS);
        long refresh = seconds(env, JWKS_MIN_REFRESH_SECONDS, DEFAULT_JWKS_MIN_REFRESH_SECONDS);
        if (refresh < 1) {
            throw new ConfigException(JWKS_MIN_REFRESH_SECONDS + " must be at least 1");
        }
        return new Setup(of(base, path.strip(), realm, client, certUrl, Duration.ofSeconds(skew), Duration.ofSeconds(refresh)), null);
    }

    /** A configured realm, or why there is none. */
    public record Setup(KeycloakConfig config, String notConfigured) {
        public static Setup none() {
            return new Setup(null, "Keycloak login is not configured");
        }
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(PREFIX + name);
        if (v == null || v.isBlank()) {
            v = env.get(name);
        }
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static long seconds(Map<String, String> env, String name, long fallback) {
        String text = get(env, name);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number of seconds (got '" + text + "')");
        }
    }

    private static URI uri(String name, String text) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " '" + text + "' is not a valid URL");
        }
    }
}
