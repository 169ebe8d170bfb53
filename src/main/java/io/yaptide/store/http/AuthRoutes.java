package io.yaptide.store.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.users.PasswordUser;
import io.yaptide.store.users.User;
import io.yaptide.store.users.UserExistsException;
import io.yaptide.store.users.UserStore;
import java.util.Optional;

/** {@code /auth/*}: register, log in, refresh, status, log out, with tokens in http-only cookies. */
final class AuthRoutes {
    /** Names longer than this are refused: the column is unbounded, but nobody needs more. */
    static final int MAX_USERNAME_LENGTH = 200;
    static final int MAX_PASSWORD_LENGTH = 1000;

    private final UserStore users;
    private final Authenticator auth;
    private final long maxBodyBytes;
    private final LoginThrottle throttle = new LoginThrottle(java.time.Clock.systemUTC());

    AuthRoutes(UserStore users, Authenticator auth, long maxBodyBytes) {
        this.users = users;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Javalin app) {
        app.put("/auth/register", this::registerUser);
        app.post("/auth/login", this::logIn);
        app.get("/auth/refresh", this::refresh);
        app.get("/auth/status", this::status);
        app.delete("/auth/logout", this::logOut);
    }

    private void registerUser(Context ctx) {
        JsonBody body = JsonBody.read(ctx, maxBodyBytes);
        body.requireKeys("username", "password");
        String username = credential(body, "username", MAX_USERNAME_LENGTH);
        String password = credential(body, "password", MAX_PASSWORD_LENGTH);
        try {
            users.createPasswordUser(username, password);
        } catch (UserExistsException e) {
            throw new ApiException(403, "User existing");
        }
        Reply.send(ctx, 201, "User created");
    }

    private static String credential(JsonBody body, String key, int maxLength) {
        String value = body.string(key);
        if (value.isBlank()) {
            throw ApiException.badRequest("Wrong data provided: " + key + " must not be empty");
        }
        if (value.length() > maxLength) {
            throw ApiException.badRequest("Wrong data provided: " + key + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    private void logIn(Context ctx) {
        JsonBody body = JsonBody.read(ctx, maxBodyBytes);
        body.requireKeys("username", "password");
        String username = body.string("username");
        String password = body.string("password");
        String address = ctx.req().getRemoteAddr();
        throttle.check(ctx, username, address);
        Optional<PasswordUser> user = users.authenticate(username, password);
        if (user.isEmpty()) {
            throttle.failed(username, address);
            throw new ApiException(401, "Invalid login or password");
        }
        throttle.succeeded(username);
        Tokens.Issued access = auth.tokens().issue(user.get(), Tokens.Kind.ACCESS);
        Tokens.Issued refresh = auth.tokens().issue(user.get(), Tokens.Kind.REFRESH);
        Authenticator.setCookie(ctx, Authenticator.ACCESS_COOKIE, access);
        Authenticator.setCookie(ctx, Authenticator.REFRESH_COOKIE, refresh);
        Reply.send(ctx, 202, "Successfully logged in", Reply.content(
                "access_exp", access.expires().toEpochMilli(),
                "refresh_exp", refresh.expires().toEpochMilli()));
    }

    private void refresh(Context ctx) {
        User user = auth.user(ctx, Tokens.Kind.REFRESH);
        Tokens.Issued access = auth.tokens().issue(user, Tokens.Kind.ACCESS);
        Authenticator.setCookie(ctx, Authenticator.ACCESS_COOKIE, access);
        Reply.send(ctx, 200, "User refreshed", Reply.content("access_exp", access.expires().toEpochMilli()));
    }

    private void status(Context ctx) {
        User user = auth.user(ctx);
        Reply.send(ctx, 200, "User status", Reply.content("username", user.username()));
    }

    private void logOut(Context ctx) {
        auth.revoke(ctx);
        Authenticator.clearCookie(ctx, Authenticator.ACCESS_COOKIE);
        Authenticator.clearCookie(ctx, Authenticator.REFRESH_COOKIE);
        Reply.send(ctx, 200, "User logged out");
    }
}
