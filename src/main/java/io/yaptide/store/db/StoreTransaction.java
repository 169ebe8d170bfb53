package io.yaptide.store.db;

import org.jdbi.v3.core.Handle;

/**
 * A store's open transaction, handed to code outside the stores that must write in it (a
 * dispatcher recording the job's outbox row in the transaction that creates the job) without
 * knowing JDBC or JDBI: such code passes it on to the store that writes, which alone opens it.
 */
public final class StoreTransaction {
    private final Handle handle;

    private StoreTransaction(Handle handle) {
        this.handle = handle;
    }

    /** For a store: its transaction's handle, to be handed on. */
    public static StoreTransaction of(Handle handle) {
        return new StoreTransaction(handle);
    }

    /** For a store: the handle to run its statements on, in this transaction. */
    public Handle handle() {
        return handle;
    }
}
