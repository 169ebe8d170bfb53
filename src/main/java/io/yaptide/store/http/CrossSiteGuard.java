package io.yaptide.store.http;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-site request forgery: a request that changes state and is authenticated by the token
 * cookies is refused (403) when its {@code Origin} is neither the service's own nor one of the
 * front-end origins allowed for CORS, and a body it carries must be {@code application/json}
 * (415 otherwise): an HTML form can send neither a foreign JSON request nor one without an
 * {@code Origin}, and a script on another origin must pass the CORS preflight, which only the
 * configured origins do. SameSite=Lax alone does not cover other ports of the same host.
 * Workers authenticate with update keys, not cookies, and are not affected.
 */
final class CrossSiteGuard {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private final Set<String> allowedOrigins;

    CrossSiteGuard(Set<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    void check(Context ctx) {
        if (SAFE_METHODS.contains(ctx.method().name()) || !carriesTokenCookie(ctx)) {
            return;
        }
        String origin = ctx.header("Origin");
        if (origin != null && !allowedOrigins.contains(origin) && !sameOrigin(origin, ctx.header("Host"))) {
            throw new ApiException(403, "Cross-site request refused: origin " + origin + " may not change data with this"
                    + " user's cookies; allowed are the service's own origin and " + HttpConfig.ENV_CORS_ORIGINS);
        }
        boolean hasBody = ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
        String type = ctx.header("Content-Type");
        if (hasBody && (type == null || !type.toLowerCase(Locale.ROOT).strip().startsWith(Reply.CONTENT_TYPE))) {
            throw new ApiException(415, "Unsupported Content-Type " + (type == null ? "(none)" : type)
                    + ": requests with the login cookies must send application/json");
        }
    }

    private static boolean carriesTokenCookie(Context ctx) {
        String cookies = ctx.header("Cookie");
        return cookies != null && (cookies.contains(Authenticator.ACCESS_COOKIE + "=")
                || cookies.contains(Authenticator.REFRESH_COOKIE + "="));
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return authority != null && authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
