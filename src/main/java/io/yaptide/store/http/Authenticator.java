package io.yaptide.store.http;

import io.javalin.http.Context;
import io.yaptide.store.users.User;
import io.yaptide.store.users.UserStore;
import java.time.Instant;

/**
 * Who is calling: the user named by the access (or refresh) token in the http-only cookies, with
 * the original's answers when there is none (401 "No token provided"), when it is bad or expired
 * (403 "Refresh access token. ..." / "Log in again. ...") or its user is gone (403 "User not found").
 */
final class Authenticator {
    public static final String ACCESS_COOKIE = "access_token";
    public static final String REFRESH_COOKIE = "refresh_token";

    private final Tokens tokens;
    private final UserStore users;
    private final RevokedTokens revoked = new RevokedTokens();

    public Authenticator(Tokens tokens, UserStore users) {
        this.tokens = tokens;
        this.users = users;
    }

    public Tokens tokens() {
        return tokens;
    }

    /** The user of the access token. */
    public User user(Context ctx) {
        return user(ctx, Tokens.Kind.ACCESS);
    }

    public User user(Context ctx, Tokens.Kind kind) {
        String token = ctx.cookie(kind == Tokens.Kind.ACCESS ? ACCESS_COOKIE : REFRESH_COOKIE);
        if (token == null || token.isEmpty()) {
            throw new ApiException(401, "No token provided");
        }
        Tokens.Subject subject;
        try {
            subject = tokens.verify(token, kind);
        } catch (Tokens.InvalidToken e) {
            throw new ApiException(403, (kind == Tokens.Kind.REFRESH ? "Log in again. " : "Refresh access token. ")
                    + e.getMessage());
        }
        if (revoked.isRevoked(token)) {
            throw new ApiException(403, (kind == Tokens.Kind.REFRESH ? "Log in again. " : "Refresh access token. ")
                    + "Token revoked by logout.");
        }
        User user = users.findById(subject.userId())
                .filter(u -> u.id() == subject.userId() && u.username().equals(subject.username()))
                .orElseThrow(() -> new ApiException(403, "User not found"));
        if (!tokens.matches(subject, user)) {
            throw new ApiException(403, "Log in again. The password changed since this token was issued.");
        }
        return user;
    }

    /**
     * Logout: the tokens in the cookies stop working at once, not only when they expire. Kept in
     * memory until they expire (a token lives at most the refresh lifetime), so a restart, which
     * with a generated secret ends every token anyway, forgets them; see docs/faults.md.
     */
    public void revoke(Context ctx) {
        for (String cookie : new String[] {ACCESS_COOKIE, REFRESH_COOKIE}) {
            String token = ctx.cookie(cookie);
            if (token != null && !token.isEmpty()) {
                revoked.revoke(token, tokens.expiresAt(token));
            }
        }
    }

    /** Sets a token cookie as the original does: http-only, SameSite=Lax, expiring with the token. */
    static void setCookie(Context ctx, String name, Tokens.Issued issued) {
        long maxAge = Math.max(0, issued.expires().getEpochSecond() - Instant.now().getEpochSecond());
        ctx.res().addHeader("Set-Cookie", name + "=" + issued.token() + "; Expires=" + HttpDates.format(issued.expires())
                + "; Max-Age=" + maxAge + "; HttpOnly; Path=/; SameSite=Lax");
    }

    static void clearCookie(Context ctx, String name) {
        ctx.res().addHeader("Set-Cookie", name + "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/; SameSite=Lax");
    }
}
