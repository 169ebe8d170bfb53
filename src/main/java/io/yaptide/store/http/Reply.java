package io.yaptide.store.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
        // the common answer, {"message": ...} alone, written directly: the same bytes as the mapper
        // writes for the one-entry map, without building and serialising one (a worker report's answer)
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(message);
        byte[] body = new byte[MESSAGE_START.length + quoted.length + MESSAGE_END.length];
        System.arraycopy(MESSAGE_START, 0, body, 0, MESSAGE_START.length);
        System.arraycopy(quoted, 0, body, MESSAGE_START.length, quoted.length);
        System.arraycopy(MESSAGE_END, 0, body, MESSAGE_START.length + quoted.length, MESSAGE_END.length);
        ctx.status(status).contentType(CONTENT_TYPE).result(body);
        ctx.attribute(ANSWERED, Boolean.TRUE);
    }

    private static final byte[] MESSAGE_START = "{\"message\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] MESSAGE_END = "\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

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
