package io.yaptide.store.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.yaptide.store.db.ReplicaRouting;
import io.yaptide.store.db.SqlErrors;

/**
 * The HTTP side of reading from a standby (docs/replica.md): the routes whose answers may come from a
 * standby run their handler through {@link #run(Context, Handler)}; every other route, and everything
 * outside such a handler, reads and writes the primary.
 *
 * <p>The user is known from the access token alone (no query): the reads of someone who just wrote
 * go to the primary until a standby has that write ({@link ReplicaRouting#recordWrite(Object)}, called
 * after each user's successful write). Authentication itself reads the primary (the user store is
 * built on it), so a password change, a logout or a deleted account takes effect at once.
 *
 * <p>A standby that fails under a read (stopped, crashed, promoted away) is left out and the handler
 * runs again on the primary: these handlers read everything before they answer, so running one twice
 * sends one answer.
 */
final class StandbyReads {
    static final String ATTRIBUTE = "yaptide.standbyReads";

    private final ReplicaRouting routing;
    private final Tokens tokens;

    StandbyReads(ReplicaRouting routing, Tokens tokens) {
        this.routing = routing;
        this.tokens = tokens;
    }

    /** Runs a read-only handler on a standby when one may serve this user, else on the primary. */
    static void run(Context ctx, Handler handler) throws Exception {
        StandbyReads reads = ctx.attribute(ATTRIBUTE);
        if (reads == null) {
            handler.handle(ctx);
            return;
        }
        reads.serve(ctx, handler);
    }

    private void serve(Context ctx, Handler handler) throws Exception {
        ReplicaRouting.Scope scope = routing.standbyReads(user(ctx));
        try {
            handler.handle(ctx);
            return;
        } catch (Exception e) {
            if (!scope.usedStandby() || !SqlErrors.isUnavailable(e)) {
                throw e;
            }
            scope.standbyFailed(e);
        } finally {
            scope.close();
        }
        handler.handle(ctx); // on the primary
    }

    /** After a request: a user's successful write is recorded, so that their next reads see it. */
    void afterRequest(Context ctx) {
        String method = ctx.method().name();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || ctx.statusCode() >= 300) {
            return;
        }
        Long user = user(ctx);
        if (user != null) {
            routing.recordWrite(user);
        }
    }

    private Long user(Context ctx) {
        String token = ctx.cookie(Authenticator.ACCESS_COOKIE);
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            return tokens.verify(token, Tokens.Kind.ACCESS).userId();
        } catch (Tokens.InvalidToken e) {
            return null; // the handler answers 403 itself
        }
    }
}
