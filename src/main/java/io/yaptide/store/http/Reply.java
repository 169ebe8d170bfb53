package io.yaptide.store.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the original's response shape: a JSON object with {@code message} and the content keys
 * beside it ({@code {"message": "Job state: RUNNING", "job_state": ..., ...}}).
 */
final class Reply {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/json";
    /** Set on a context once a route has answered, so the error mappers do not overwrite it. */
    static final String ANSWERED = "yaptide.answered";

    private Reply() {
    }

    public static void send(Context ctx, int status, String message) {
        send(ctx, status, message, Map.of());
    }

    public static void send(Context ctx, int status, String message, Map<String, ?> content) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.putAll(content);
        try {
            ctx.status(status).contentType(CONTENT_TYPE).result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response", e);
        }
        ctx.attribute(ANSWERED, Boolean.TRUE);
    }

    /** A map with insertion order kept: content keys appear as listed. */
    /**
     * Adds {@code header} to the answer's {@code Vary} list (once). Every answer varies with
     * {@code Accept-Encoding}, since any may be sent compressed, and CORS answers with {@code Origin}.
     */
    static void vary(Context ctx, String header) {
        String vary = ctx.res().getHeader("Vary");
        if (vary == null || vary.isBlank()) {
            ctx.header("Vary", header);
        } else if (java.util.Arrays.stream(vary.split(",")).noneMatch(v -> v.strip().equalsIgnoreCase(header))) {
            ctx.header("Vary", vary + ", " + header);
        }
    }

    static Map<String, Object> content(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
