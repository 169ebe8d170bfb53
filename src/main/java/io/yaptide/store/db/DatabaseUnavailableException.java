package io.yaptide.store.db;

/** The database cannot be reached or opened; the message names the URL (masked) and what to check. */
public class DatabaseUnavailableException extends StoreException.Unavailable {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
