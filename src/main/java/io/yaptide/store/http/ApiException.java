package io.yaptide.store.http;

import java.util.Map;

/**
 * A request that cannot be served as asked: becomes {@code {"message": ..., ...content}} with the
 * status, the shape every answer of the original has. Thrown by routes; mapped in one place.
 */
class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, Object> content;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, Object> content) {
        super(message, null, false, false);
        this.status = status;
        this.content = content;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> content() {
        return content;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
