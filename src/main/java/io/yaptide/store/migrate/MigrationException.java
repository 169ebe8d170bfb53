package io.yaptide.store.migrate;

/** A migration command cannot do what was asked; the message says why and what to do. */
public class MigrationException extends RuntimeException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
