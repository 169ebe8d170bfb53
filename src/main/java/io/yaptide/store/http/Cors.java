package io.yaptide.store.http;

import io.javalin.http.Context;
import java.util.Set;

/**
 * CORS for the web front end, which is served from another origin and sends cookies: for the
 * configured origins only (exact match; none by default), credentials allowed, preflight answered.
 * A wildcard origin is never sent, since browsers refuse it together with credentials.
 */
final class Cors {
    static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Content-Type, Authorization";
    static final String MAX_AGE_SECONDS = "600";

    private final Set<String> origins;

    Cors(Set<String> origins) {
        this.origins = origins;
    }

    void addHeaders(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        Reply.vary(ctx, "Origin");
        if (origins.contains(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Access-Control-Allow-Credentials", "true");
            ctx.header("Access-Control-Expose-Headers", "Access-Control-Allow-Origin");
        }
    }

    void preflight(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && origins.contains(origin)) {
            ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
            ctx.status(204);
            return;
        }
        Reply.send(ctx, 403, origin == null ? "Not a CORS preflight request (no Origin header)"
                : "Origin " + origin + " is not allowed; the service allows " + (origins.isEmpty() ? "no origins"
                : String.join(", ", origins)) + " (" + HttpConfig.ENV_CORS_ORIGINS + ")");
    }
}
