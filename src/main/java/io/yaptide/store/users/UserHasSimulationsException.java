package io.yaptide.store.users;

import io.yaptide.store.db.StoreException;

/** A user who still owns simulations cannot be removed without removing them too. */
public class UserHasSimulationsException extends StoreException.Conflict {
    private final long simulations;

    public UserHasSimulationsException(String username, long simulations) {
        super("user " + username + " still owns " + simulations + " simulation(s)");
        this.simulations = simulations;
    }

    public long simulations() {
        return simulations;
    }
}
