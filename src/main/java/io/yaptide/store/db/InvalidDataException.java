package io.yaptide.store.db;

/**
 * The database refused a value as data it cannot hold (PostgreSQL's class 22: a NUL byte in text, a
 * number out of a column's range). The input was at fault, so the service answers 400; input
 * checks at the edge should refuse such values first, and this is the net below them.
 */
public class InvalidDataException extends StoreException.Invalid {
    /** What a client is told: the kind of value refused, never the driver's text (which may quote the statement's values). */
    public static final String PUBLIC_MESSAGE =
            "a value the database cannot store (text with a NUL character, or a number out of range)";

    public InvalidDataException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String publicMessage() {
        return PUBLIC_MESSAGE;
    }
}
