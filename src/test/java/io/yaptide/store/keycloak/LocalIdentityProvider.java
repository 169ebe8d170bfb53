package io.yaptide.store.keycloak;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A small stand-in for a Keycloak realm and the PLGrid certificate service, over a real socket:
 * the realm's JWKS at {@code /auth/realms/yaptide/protocol/openid-connect/certs} (the keys it is told
 * to publish), and {@code /cert} answering {@code {"cert", "private"}} for a bearer token. It mints
 * tokens with its own keys, shaped as Keycloak's PLGrid access tokens, and can be told to misbehave.
 */
public final class LocalIdentityProvider implements AutoCloseable {
    public static final String REALM = "yaptide";
    public static final String CLIENT = "yaptide-ui";
    static final String CERTS_PATH = "/auth/realms/" + REALM + "/protocol/openid-connect/certs";

    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicInteger certRequests = new AtomicInteger();
    private final List<String> certAuthorizations = new CopyOnWriteArrayList<>();
    private volatile Answer jwksOverride;
    private volatile Answer certAnswer;

    /** A canned answer: status and body. */
    public record Answer(int status, String contentType, String body) {
    }

    public final RSAKey rsaKey;

    public LocalIdentityProvider() throws IOException {
        rsaKey = newRsaKey();
        published.add(rsaKey.toPublicJWK());
        certAnswer = new Answer(200, "application/json", "{\"cert\": \"CERT-1\", \"private\": \"PRIVATE-KEY-1\"}");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(CERTS_PATH, this::jwks);
        server.createContext("/cert", this::cert);
        server.start();
    }

    public static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey newEcKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public URI certUrl() {
        return URI.create(baseUrl() + "/cert");
    }

    public String issuer() {
        return baseUrl() + "/auth/realms/" + REALM;
    }

    /** The realm as our service sees it, with the certificate service, 30 s skew and refetch limit. */
    public KeycloakConfig config() {
        return KeycloakConfig.of(baseUrl(), "/auth/realms", REALM, CLIENT, certUrl(), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
    }

    /** Publishes exactly these keys (their public halves) from now on. */
    public void publish(JWK... keys) {
        List<JWK> pub = new ArrayList<>();
        for (JWK k : keys) {
            pub.add(k.toPublicJWK());
        }
        published.clear();
        published.addAll(pub);
    }

    public void answerJwks(Answer answer) {
        jwksOverride = answer;
    }

    public void answerCert(Answer answer) {
        certAnswer = answer;
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    public int certRequests() {
        return certRequests.get();
    }

    public List<String> certAuthorizations() {
        return List.copyOf(certAuthorizations);
    }

    /** Claims of a PLGrid access token for the user, valid for 5 minutes, for our client. */
    public JWTClaimsSet.Builder claims(String username) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(UUID.randomUUID().toString())
                .audience("account")
                .claim("azp", CLIENT)
                .claim("typ", "Bearer")
                .claim("preferred_username", username)
                .claim("plgridAccessServices", List.of("PLG_OTHER", "PLG_YAPTIDE_ACCESS"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** A valid token for the user, signed RS256 by the published key. */
    public String token(String username) {
        return sign(rsaKey, claims(username).build());
    }

    public String token(String username, UnaryOperator<JWTClaimsSet.Builder> change) {
        return sign(rsaKey, change.apply(claims(username)).build());
    }

    /** Signs with the key (RS256 for RSA, ES256 for EC), naming its kid. */
    public static String sign(JWK key, JWTClaimsSet claims) {
        return sign(key, key.getKeyID(), claims);
    }

    public static String sign(JWK key, String kid, JWTClaimsSet claims) {
        try {
            JWSSigner signer;
            JWSAlgorithm alg;
            if (key instanceof RSAKey rsa) {
                signer = new RSASSASigner(rsa);
                alg = JWSAlgorithm.RS256;
            } else {
                signer = new ECDSASigner((ECKey) key);
                alg = JWSAlgorithm.ES256;
            }
            JWSHeader.Builder header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
            if (kid != null) {
                header.keyID(kid);
            }
            SignedJWT jwt = new SignedJWT(header.build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256 "signed" with the bytes of the RSA public key as the secret: the classic key-confusion attack. */
    public String hmacWithPublicKey(String username) {
        try {
            byte[] secret = rsaKey.toRSAPublicKey().getEncoded();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsaKey.getKeyID()).build(),
                    claims(username).build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured token: {@code "alg": "none"}, no signature. */
    public String unsigned(String username) {
        return new PlainJWT(claims(username).build()).serialize();
    }

    private void jwks(HttpExchange ex) throws IOException {
        jwksRequests.incrementAndGet();
        Answer a = jwksOverride;
        if (a == null) {
            a = new Answer(200, "application/json", new JWKSet(List.copyOf(published)).toString(true));
        }
        answer(ex, a);
    }

    private void cert(HttpExchange ex) throws IOException {
        certRequests.incrementAndGet();
        certAuthorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        answer(ex, certAnswer);
    }

    private static void answer(HttpExchange ex, Answer a) throws IOException {
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", a.contentType());
        ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
