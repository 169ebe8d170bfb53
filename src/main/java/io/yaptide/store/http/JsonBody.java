package io.yaptide.store.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A request's JSON object body, read under the size limit, with typed field access whose failures
 * are 400s naming the field and what it should be.
 */
final class JsonBody {
    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    public ObjectNode node() {
        return node;
    }

    /**
     * Reads and parses the body: 413 when it is larger than {@code maxBytes} (by Content-Length or by
     * counting), 400 when empty, malformed or not a JSON object.
     */
    public static JsonBody read(Context ctx, long maxBytes) {
        byte[] bytes = readBounded(ctx, maxBytes, TREE_MEMORY_FACTOR);
        if (bytes.length == 0) {
            throw ApiException.badRequest("No JSON in body");
        }
        JsonNode parsed;
        try {
            parsed = TREE.readTree(bytes);
        } catch (JsonParseException e) {
            throw ApiException.badRequest("Malformed JSON in body: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON in body: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw ApiException.badRequest("No JSON in body");
        }
        if (!parsed.isObject()) {
            throw ApiException.badRequest("JSON body must be an object, got " + kind(parsed));
        }
        TextRules.check("the body", parsed);
        return new JsonBody((ObjectNode) parsed);
    }

    /**
     * Tokens a body parsed into a tree may have: a tree takes tens of bytes per token, so 2 million
     * bound it to about 100 MB, where an array of 50 million small numbers (100 MB of JSON) would
     * take over a gigabyte. Editor projects and input files have far fewer tokens.
     */
    static final long MAX_TREE_TOKENS = 2_000_000;
    /** Heap a body parsed into a tree takes, as a multiple of its bytes, for the memory budget. */
    static final int TREE_MEMORY_FACTOR = 3;
    private static final com.fasterxml.jackson.databind.ObjectMapper TREE = new com.fasterxml.jackson.databind.ObjectMapper(
            com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints
                    .builder().maxTokenCount(MAX_TREE_TOKENS).build()).build());

    /**
     * The body's bytes, at most {@code maxBytes}, with room for {@code memoryFactor} times its size
     * reserved in the service's memory budget until the request ends ({@link BodyLimits}).
     */
    static byte[] readBounded(Context ctx, long maxBytes, int memoryFactor) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        BodyLimits limits = ctx.attribute(BodyLimits.ATTRIBUTE);
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > 0) {
                if (limits != null) {
                    limits.reserve(ctx, declared * memoryFactor);
                }
                // the usual case: read exactly what was declared, then make sure nothing follows
                byte[] body = in.readNBytes((int) declared);
                if (body.length == declared && in.read() >= 0) {
                    throw ApiException.badRequest("Request body is longer than its Content-Length");
                }
                return body;
            }
            byte[] buffer = new byte[8192];
            if (limits != null) {
                limits.reserve(ctx, (long) buffer.length * memoryFactor);
            }
            int size = 0;
            while (true) {
                if (size == buffer.length) {
                    long grown = Math.min((long) buffer.length * 2, maxBytes + 1);
                    if (grown <= buffer.length) {
                        throw tooLarge(size, maxBytes);
                    }
                    if (limits != null) {
                        // a body of unknown size: room as it grows
                        limits.reserve(ctx, (grown - buffer.length) * memoryFactor);
                    }
                    buffer = Arrays.copyOf(buffer, (int) grown);
                }
                int n = in.read(buffer, size, buffer.length - size);
                if (n < 0) {
                    break;
                }
                size += n;
                if (size > maxBytes) {
                    throw tooLarge(size, maxBytes);
                }
            }
            return Arrays.copyOf(buffer, size);
        } catch (IOException e) {
            throw ApiException.badRequest("Cannot read the request body: " + e.getMessage());
        }
    }

    static ApiException tooLarge(long size, long maxBytes) {
        return new ApiException(413, "Request body too large: " + (size > maxBytes ? "more than " + maxBytes : size)
                + " bytes; the limit is " + maxBytes + " bytes (" + HttpConfig.ENV_MAX_BODY_BYTES + ")");
    }

    /** 400 naming the missing keys, in the original's words. */
    public void requireKeys(String... keys) {
        List<String> missing = Arrays.stream(keys).filter(k -> !node.has(k)).toList();
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("Missing keys in JSON payload: " + String.join(", ", missing));
        }
    }

    public String string(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw wrongType(key, "a string", v);
        }
        return v.textValue();
    }

    public Optional<String> optionalString(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        return Optional.of(string(key));
    }

    public long integer(String key) {
        return integer(node, key);
    }

    static long integer(JsonNode parent, String key) {
        JsonNode v = parent.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(key, "an integer", v);
        }
        return v.longValue();
    }

    public ObjectNode object(String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isObject()) {
            throw wrongType(key, "a JSON object", v);
        }
        return (ObjectNode) v;
    }

    static ApiException wrongType(String key, String expected, JsonNode actual) {
        return ApiException.badRequest("Wrong data provided: " + key + " must be " + expected
                + (actual == null ? " (missing)" : ", got " + kind(actual)));
    }

    static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> n.isIntegralNumber() ? "an integer" : "a number with a fraction";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
