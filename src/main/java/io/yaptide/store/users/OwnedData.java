package io.yaptide.store.users;

/**
 * What a user owns, row counts per kind: what a cascading delete of the user removes. Shown to an
 * operator before {@code remove-user --cascade} goes ahead.
 */
public record OwnedData(long simulations, long tasks, long inputs, long estimators, long pages, long logfiles) {
    public boolean isEmpty() {
        return simulations == 0;
    }
}
