package io.yaptide.store.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.keycloak.KeycloakLogin;
import io.yaptide.store.keycloak.KeycloakRefusal;
import io.yaptide.store.users.KeycloakUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /auth/keycloak}: the PLGrid login of the original's front end. {@code POST} with
 * {@code Authorization: Bearer <Keycloak access token>} and {@code {"username"}} answers 202
 * {@code {access_exp}} with our own access token in the http-only cookie, as the original; a bad
 * token is 403, no token 401, Keycloak or the certificate service unavailable 503 (the original
 * answered several of these with 500). {@code DELETE} clears the cookies.
 */
final class KeycloakRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(KeycloakRoutes.class);

    private final KeycloakLogin login;
    private final Authenticator auth;
    private final long maxBodyBytes;

    KeycloakRoutes(KeycloakLogin login, Authenticator auth, long maxBodyBytes) {
        this.login = login;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Javalin app) {
        app.post("/auth/keycloak", this::logIn);
        app.delete("/auth/keycloak", this::logOut);
    }

    private void logIn(Context ctx) {
        JsonBody body = JsonBody.read(ctx, maxBodyBytes);
        body.requireKeys("username");
        String username = body.string("username");
        if (username.isBlank() || username.length() > AuthRoutes.MAX_USERNAME_LENGTH) {
            throw ApiException.badRequest("Wrong data provided: username must be 1-" + AuthRoutes.MAX_USERNAME_LENGTH
                    + " characters");
        }
        KeycloakUser user;
        try {
            user = login.logIn(bearer(ctx.header("Authorization")), username);
        } catch (KeycloakRefusal refused) {
            // the detail names the failed check; user input in it is made printable, tokens never appear
            LOG.warn("Keycloak login refused ({}): {}", refused.kind().status(), printable(refused.detail()));
            throw new ApiException(refused.kind().status(), refused.getMessage());
        }
        Tokens.Issued access = auth.tokens().issue(user, Tokens.Kind.ACCESS);
        Authenticator.setCookie(ctx, Authenticator.ACCESS_COOKIE, access);
        Reply.send(ctx, 202, "Successfully logged in", Reply.content("access_exp", access.expires().toEpochMilli()));
    }

    private void logOut(Context ctx) {
        Authenticator.clearCookie(ctx, Authenticator.ACCESS_COOKIE);
        Authenticator.clearCookie(ctx, Authenticator.REFRESH_COOKIE);
        Reply.send(ctx, 200, "User logged out");
    }

    /** The token of {@code Bearer <token>} (scheme in any case), else null. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return h.substring(7).strip();
        }
        return null;
    }

    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String s = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
