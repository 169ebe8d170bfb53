package io.yaptide.store.http;

import com.auth0.jwt.JWT;
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

    private final Algorithm accessKey;
    private final Algorithm refreshKey;
    private final JWTVerifier accessVerifier;
    private final JWTVerifier refreshVerifier;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final Clock clock;

    public Tokens(byte[] secret, Duration accessTtl, Duration refreshTtl, Clock clock) {
        this.accessKey = Algorithm.HMAC256(derive(secret, "yaptide access token"));
        this.refreshKey = Algorithm.HMAC256(derive(secret, "yaptide refresh token"));
        this.accessVerifier = JWT.require(accessKey).build();
        this.refreshVerifier = JWT.require(refreshKey).build();
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
    }

    public Issued issue(long userId, Kind kind) {
        Instant now = clock.instant();
        // exp carries whole seconds: round up, so a token never lives shorter than configured
        Instant end = now.plus(kind == Kind.ACCESS ? accessTtl : refreshTtl);
        Instant expires = end.truncatedTo(ChronoUnit.SECONDS);
        if (expires.isBefore(end)) {
            expires = expires.plusSeconds(1);
        }
        String token = JWT.create()
                .withSubject(Long.toString(userId))
                .withIssuedAt(Date.from(now))
                .withExpiresAt(Date.from(expires))
                .sign(kind == Kind.ACCESS ? accessKey : refreshKey);
        return new Issued(token, expires);
    }

    /** The user id the token was issued for. */
    public long verify(String token, Kind kind) throws InvalidToken {
        try {
            String subject = (kind == Kind.ACCESS ? accessVerifier : refreshVerifier).verify(token).getSubject();
            if (subject == null) {
                throw new InvalidToken("Invalid token.");
            }
            return Long.parseLong(subject);
        } catch (TokenExpiredException e) {
            throw new InvalidToken("Signature expired.");
        } catch (JWTVerificationException | NumberFormatException e) {
            throw new InvalidToken("Invalid token.");
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
