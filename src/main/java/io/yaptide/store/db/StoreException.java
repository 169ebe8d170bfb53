package io.yaptide.store.db;

/**
 * What a store refuses, in four kinds: the only failures the edges map to an answer. HTTP answers
 * {@link NotFound} 404, {@link Conflict} 409, {@link Invalid} 400 and {@link Unavailable} 503 (with
 * {@code Retry-After}); the CLI ends with exit code 1 (refused) for the first two, 2 (usage) and 4
 * (unavailable) for the others. Anything that is not a {@code StoreException} is a defect: a 500 or
 * exit code 70, with the details in the log only. So a library's {@code IllegalArgumentException}
 * or a stray {@code orElseThrow()} can never show internal text to a client as if it were its fault.
 *
 * <p>The kinds are non-sealed so that a store can name a refusal precisely
 * ({@code ClusterExistsException} is a {@link Conflict}) while the edges still see only four kinds.
 */
public abstract sealed class StoreException extends RuntimeException
        permits StoreException.NotFound, StoreException.Conflict, StoreException.Invalid, StoreException.Unavailable {

    private StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The text a client may see (an HTTP answer's message): the message unless a kind says
     * otherwise, since a message that quotes a driver's text must not reach a client.
     */
    public String publicMessage() {
        return getMessage();
    }

    /** The thing asked for does not exist (no such simulation, user, cluster). */
    public static non-sealed class NotFound extends StoreException {
        public NotFound(String message) {
            super(message, null);
        }
    }

    /** The request contradicts what is stored: a name taken, a row still referred to. */
    public static non-sealed class Conflict extends StoreException {
        public Conflict(String message) {
            super(message, null);
        }
    }

    /** The request itself is wrong (an empty name, a missing field, a value the database cannot hold). */
    public static non-sealed class Invalid extends StoreException {
        public Invalid(String message) {
            super(message, null);
        }

        public Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The database cannot be reached or used now; trying again later may succeed. */
    public static non-sealed class Unavailable extends StoreException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
