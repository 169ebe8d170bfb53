package io.yaptide.store.results;

import io.yaptide.store.db.StoreException;

/** A result set that is not in the shape workers post; the message says what is wrong (a 400 for HTTP). */
public class InvalidResultSetException extends StoreException.Invalid {
    public InvalidResultSetException(String problem) {
        super(problem);
    }
}
