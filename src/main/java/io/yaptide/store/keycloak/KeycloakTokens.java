package io.yaptide.store.keycloak;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSetParseException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Checks a Keycloak access token the way the original meant to, and more strictly.
 *
 * <p>The signature must be RS256 or ES256 by a key of the realm's key set, found by the token's
 * {@code kid} (never {@code none}, never HMAC: an HMAC token "signed" with the public key is refused
 * because only those two algorithms select a key). The key set is fetched with timeouts, cached, and
 * fetched again when a token names an unknown {@code kid} (a key rotation), at most twice per
 * {@link KeycloakConfig#jwksMinRefresh()}: a stream of tokens with made-up key ids cannot make us
 * hammer Keycloak. Then: {@code iss} is the realm's; {@code exp} is in the future (within the
 * configured clock skew, as is {@code nbf}); the configured client is the token's {@code azp} or one
 * of its {@code aud}; {@code typ}, when present, is {@code Bearer} (an ID token is not an access
 * token); {@code plgridAccessServices} lists {@code PLG_YAPTIDE_ACCESS}; and the user the caller
 * says they are is the token's {@code preferred_username}.
 */
final class KeycloakTokens {
    public static final String ACCESS_SERVICES_CLAIM = "plgridAccessServices";
    public static final String YAPTIDE_ACCESS = "PLG_YAPTIDE_ACCESS";
    static final int JWKS_SIZE_LIMIT = 512 * 1024;

    /** A token that passed: whose it is and until when. */
    public record Identity(String username, String subject, Instant expires) {
    }

    private final KeycloakConfig config;
    private final DefaultJWTProcessor<SecurityContext> processor;

    public KeycloakTokens(KeycloakConfig config) {
        this.config = config;
        DefaultResourceRetriever retriever = new DefaultResourceRetriever((int) config.connectTimeout().toMillis(),
                (int) config.readTimeout().toMillis(), JWKS_SIZE_LIMIT);
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(config.jwksUrl().toURL(), retriever)
                    .cache(config.jwksTtl().toMillis(), config.readTimeout().plus(config.connectTimeout()).toMillis())
                    .rateLimited(config.jwksMinRefresh().toMillis())
                    .retrying(false)
                    .outageTolerant(false)
                    .refreshAheadCache(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + config.jwksUrl(), e);
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null,
                new JWTClaimsSet.Builder().issuer(config.issuer().toString()).build(),
                Set.of("iss", "exp", "preferred_username"), null);
        claims.setMaxClockSkew((int) config.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    public KeycloakConfig config() {
        return config;
    }

    /** The identity of a token presented by the user named {@code username}; refused unless all checks pass. */
    public Identity verify(String token, String username) throws KeycloakRefusal {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            // also an unsecured ("alg": "none") token: it is not a signed JWT
            throw KeycloakRefusal.forbidden("Invalid token", "not a signed JWT");
        }
        if (jwt.getHeader().getKeyID() == null) {
            throw KeycloakRefusal.forbidden("Invalid token", "no kid in the header");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (ExpiredJWTException e) {
            throw KeycloakRefusal.forbidden("Signature expired", "expired");
        } catch (BadJOSEException e) {
            throw KeycloakRefusal.forbidden("Invalid token", e.getMessage());
        } catch (RateLimitReachedException e) {
            // an unknown kid while the key set was fetched recently: not a key of the realm
            throw KeycloakRefusal.forbidden("Invalid token", "unknown kid (key set refetch rate-limited)");
        } catch (JWKSetParseException e) {
            throw KeycloakRefusal.unavailable("Service is not available", "the key set of Keycloak is not a JWK set");
        } catch (KeySourceException e) {
            throw KeycloakRefusal.unavailable("Service is not available", "Keycloak's key set cannot be fetched: "
                    + e.getMessage());
        } catch (JOSEException e) {
            throw KeycloakRefusal.forbidden("Invalid token", e.getMessage());
        }
        checkClient(claims);
        Object typ = claims.getClaim("typ");
        if (typ != null && !"Bearer".equals(typ)) {
            throw KeycloakRefusal.forbidden("Invalid token", "typ is not Bearer");
        }
        if (!accessServices(claims).contains(YAPTIDE_ACCESS)) {
            throw KeycloakRefusal.forbidden("User " + username + " has no access to our service", "no " + YAPTIDE_ACCESS);
        }
        String preferred;
        try {
            preferred = claims.getStringClaim("preferred_username");
        } catch (ParseException e) {
            throw KeycloakRefusal.forbidden("Invalid token", "preferred_username is not a string");
        }
        if (!preferred.equals(username)) {
            throw KeycloakRefusal.forbidden("The token is not that user's", "username differs from preferred_username");
        }
        return new Identity(preferred, claims.getSubject(), claims.getExpirationTime().toInstant());
    }

    private void checkClient(JWTClaimsSet claims) throws KeycloakRefusal {
        String client = config.clientId();
        Object azp = claims.getClaim("azp");
        List<String> aud = claims.getAudience();
        if (!client.equals(azp) && (aud == null || !aud.contains(client))) {
            throw KeycloakRefusal.forbidden("Invalid token", "token is not for client " + client);
        }
    }

    private static List<String> accessServices(JWTClaimsSet claims) {
        Object value = claims.getClaim(ACCESS_SERVICES_CLAIM);
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
