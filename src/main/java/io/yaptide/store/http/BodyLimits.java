package io.yaptide.store.http;

import io.javalin.http.Context;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Bounds the memory that request bodies take, before any byte of a body is read:
 * <ul>
 *   <li>a declared {@code Content-Length} over the limit is answered 413 at once (the API's JSON
 *       error, whether or not a body byte follows: nothing waits for a body it will refuse); the
 *       limit is {@code YAPTIDE_MAX_BODY_BYTES}, except for a worker's result set
 *       ({@code POST /results}), which is streamed to the database and has its own,
 *       {@code YAPTIDE_MAX_RESULTS_BODY_BYTES} (a body of unknown size is counted as it is read and
 *       refused when it passes the limit, never held);</li>
 *   <li>a body on a method whose routes take none ({@code GET}, {@code DELETE}, {@code HEAD},
 *       {@code OPTIONS}) is answered 413 unread;</li>
 *   <li>bodies being held in memory at once share a budget (by default a quarter of the heap; a
 *       body counts a few times its bytes, as parsed): a body that does not fit waits briefly,
 *       then is answered 503 with {@code Retry-After}, so a handful of bodies at the limit cannot
 *       exhaust the heap.</li>
 * </ul>
 */
final class BodyLimits {
    private static final Set<String> NO_BODY_METHODS = Set.of("GET", "DELETE", "HEAD", "OPTIONS");
    private static final String HELD = "yaptide.bodyBytesHeld";
    /** The context attribute under which routes find the limits (set by {@link #check}). */
    static final String ATTRIBUTE = "yaptide.bodyLimits";
    /** Budget units are KiB, so that a semaphore's int holds a budget of terabytes. */
    private static final long UNIT = 1024;
    static final long WAIT_MILLIS = 2_000;

    private final long maxBodyBytes;
    private final long maxResultsBodyBytes;
    private final Semaphore budget;
    private final int budgetUnits;

    BodyLimits(long maxBodyBytes, long budgetBytes) {
        this(maxBodyBytes, maxBodyBytes, budgetBytes);
    }

    BodyLimits(long maxBodyBytes, long maxResultsBodyBytes, long budgetBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxResultsBodyBytes = maxResultsBodyBytes;
        // at least one body at the limit always fits (parsed into a tree), or the limit could never be reached
        long atLeast = maxBodyBytes * JsonBody.TREE_MEMORY_FACTOR;
        this.budgetUnits = (int) Math.min(Integer.MAX_VALUE, Math.max(budgetBytes, atLeast) / UNIT + 1);
        this.budget = new Semaphore(budgetUnits, true);
    }

    /** A quarter of the heap the JVM may grow to. */
    static long defaultBudget() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** Before every route: the declared size and the method are checked without reading anything. */
    void check(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
        long declared = ctx.req().getContentLengthLong();
        boolean chunked = "chunked".equalsIgnoreCase(ctx.header("Transfer-Encoding"));
        if (NO_BODY_METHODS.contains(ctx.method().name()) && (declared > 0 || chunked)) {
            refuseUnread(ctx, "Request body not allowed: " + ctx.method() + " takes no body");
        } else if (isResultSet(ctx)) {
            if (declared > maxResultsBodyBytes) {
                refuseUnread(ctx, resultSetTooLarge(declared, maxResultsBodyBytes).getMessage());
            }
        } else if (declared > maxBodyBytes) {
            refuseUnread(ctx, JsonBody.tooLarge(declared, maxBodyBytes).getMessage());
        }
    }

    /** A worker's result set: the one body that is streamed rather than held. */
    static boolean isResultSet(Context ctx) {
        return "POST".equals(ctx.method().name()) && "/results".equals(ctx.path());
    }

    static ApiException resultSetTooLarge(long size, long limit) {
        return new ApiException(413, "Request body too large: " + (size > limit ? "more than " + limit : size)
                + " bytes; the limit is " + limit + " bytes for a result set (" + HttpConfig.ENV_MAX_RESULTS_BODY_BYTES + ")");
    }

    /**
     * Answers 413 now and closes the connection: the body will not be read. Written and flushed
     * here, because an answer left to the end of the request waits behind Jetty's attempt to drain
     * the unread body (for as long as the client keeps the connection open without sending it).
     */
    private static void refuseUnread(Context ctx, String message) {
        byte[] body;
        try {
            body = Reply.JSON.writeValueAsBytes(java.util.Map.of("message", message));
            var res = ctx.res();
            res.setStatus(413);
            res.setContentType(Reply.CONTENT_TYPE);
            res.setHeader("Connection", "close");
            res.setContentLength(body.length);
            res.getOutputStream().write(body);
            res.flushBuffer();
        } catch (java.io.IOException e) {
            // the client went away: nothing to answer
        }
        ctx.attribute(Reply.ANSWERED, Boolean.TRUE);
        ctx.skipRemainingHandlers();
    }

    /** Reserves room for a body of {@code bytes} (its declared size, or the limit when it is not declared). */
    void reserve(Context ctx, long bytes) {
        int units = (int) Math.min(budgetUnits, Math.max(1, (bytes + UNIT - 1) / UNIT));
        boolean got;
        try {
            got = budget.tryAcquire(units, WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            ctx.header("Retry-After", "1");
            throw new ApiException(503, "Server busy: too many large request bodies at once; try again shortly");
        }
        Integer held = ctx.attribute(HELD);
        ctx.attribute(HELD, (held == null ? 0 : held) + units);
    }

    /** After every request, answered or failed: the body's room goes back to the budget. */
    void release(Context ctx) {
        Integer held = ctx.attribute(HELD);
        if (held != null && held > 0) {
            ctx.attribute(HELD, 0);
            budget.release(held);
        }
    }

    /** Free budget in bytes (for tests). */
    long available() {
        return (long) budget.availablePermits() * UNIT;
    }
}
