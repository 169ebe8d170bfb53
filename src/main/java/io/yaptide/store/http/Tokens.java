package io.yaptide.store.http;

import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.yaptide.store.users.User;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWT access and refresh tokens (HS256, {@code sub} = user id, {@code exp}, {@code iat}), as the
 * original issues them. Access and refresh tokens are signed with different keys derived from the
 * one configured secret (the original had two secrets), so one can never stand in for the other.
 */
public final class Tokens {
    static final String USERNAME_CLAIM = "usr";
    static final String PROVIDER_CLAIM = "prv";
    /**
     * A keyed fingerprint of the password hash the token was issued under: a new password (any
     * process, the CLI included) changes the hash, and every token issued before stops matching.
     */
    static final String CREDENTIAL_CLAIM = "crd";

    public enum Kind { ACCESS, REFRESH }

    /** A signed token and when it expires (whole seconds, as {@code exp} carries). */
    public record Issued(String token, Instant expires) {
    }

    /** Why a token was refused, in the original's words ("Signature expired." / "Invalid token."). */
    public static final class InvalidToken extends Exception {
        InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }

    private final byte[] fingerprintKey;
    private final Algorithm accessKey;
    private final Algorithm refreshKey;
    private final JWTVerifier accessVerifier;
    private final JWTVerifier refreshVerifier;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final Clock clock;

    public Tokens(byte[] secret, Duration accessTtl, Duration refreshTtl, Clock clock) {
        this.fingerprintKey = derive(secret, "yaptide credential fingerprint");
        this.accessKey = Algorithm.HMAC256(derive(secret, "yaptide access token"));
        this.refreshKey = Algorithm.HMAC256(derive(secret, "yaptide refresh token"));
        this.accessVerifier = JWT.require(accessKey).build();
        this.refreshVerifier = JWT.require(refreshKey).build();
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
    }

    /**
     * The account a token was issued for. Ids alone are not enough: SQLite gives a deleted user's id
     * to the next user it creates (its rowids are not AUTOINCREMENT), so a token kept by a user who
     * deleted the account would open the next one. The name and provider bind the token to the account.
     */
    public record Subject(long userId, String username, String authProvider, String credential) {
    }

    /** True if the token's subject is this account, with the password it had when the token was issued. */
    public boolean matches(Subject subject, User user) {
        return user.id() == subject.userId() && user.username().equals(subject.username())
                && user.authProvider().dbValue().equals(subject.authProvider())
                && credentialOf(user).equals(subject.credential());
    }

    private String credentialOf(User user) {
        if (!(user instanceof io.yaptide.store.users.PasswordUser p) || p.passwordHash() == null) {
            return "";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(fingerprintKey, "HmacSHA256"));
            byte[] full = mac.doFinal(p.passwordHash().getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, 12));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    public Issued issue(User user, Kind kind) {
        Instant now = clock.instant();
        // exp carries whole seconds: round up, so a token never lives shorter than configured
        Instant end = now.plus(kind == Kind.ACCESS ? accessTtl : refreshTtl);
        Instant expires = end.truncatedTo(ChronoUnit.SECONDS);
        if (expires.isBefore(end)) {
            expires = expires.plusSeconds(1);
        }
        String token = JWT.create()
                .withSubject(Long.toString(user.id()))
                .withClaim(USERNAME_CLAIM, user.username())
                .withClaim(PROVIDER_CLAIM, user.authProvider().dbValue())
                .withClaim(CREDENTIAL_CLAIM, credentialOf(user))
                // unique per token: a token issued in the same second as a revoked one is not revoked with it
                .withJWTId(java.util.UUID.randomUUID().toString())
                .withIssuedAt(Date.from(now))
                .withExpiresAt(Date.from(expires))
                .sign(kind == Kind.ACCESS ? accessKey : refreshKey);
        return new Issued(token, expires);
    }

    /** The account the token was issued for. */
    public Subject verify(String token, Kind kind) throws InvalidToken {
        try {
            DecodedJWT jwt = (kind == Kind.ACCESS ? accessVerifier : refreshVerifier).verify(token);
            String subject = jwt.getSubject();
            String username = jwt.getClaim(USERNAME_CLAIM).asString();
            String provider = jwt.getClaim(PROVIDER_CLAIM).asString();
            String credential = jwt.getClaim(CREDENTIAL_CLAIM).asString();
            if (subject == null || username == null || provider == null || credential == null) {
                throw new InvalidToken("Invalid token.");
            }
            return new Subject(Long.parseLong(subject), username, provider, credential);
        } catch (TokenExpiredException e) {
            throw new InvalidToken("Signature expired.");
        } catch (JWTVerificationException | NumberFormatException e) {
            throw new InvalidToken("Invalid token.");
        }
    }

    /** When a token expires, read without verifying (for revocation only; null if unreadable). */
    java.time.Instant expiresAt(String token) {
        try {
            Date exp = JWT.decode(token).getExpiresAt();
            return exp == null ? null : exp.toInstant();
        } catch (com.auth0.jwt.exceptions.JWTDecodeException e) {
            return null;
        }
    }

    private static byte[] derive(byte[] secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
