package io.yaptide.store.users;

import io.yaptide.store.db.StoreException;

/** A user of that name already exists for that provider (names are unique per provider). */
public class UserExistsException extends StoreException.Conflict {
    private final String username;
    private final AuthProvider provider;

    public UserExistsException(String username, AuthProvider provider) {
        super(provider.dbValue() + ": " + username + " already exists");
        this.username = username;
        this.provider = provider;
    }

    public String username() {
        return username;
    }

    public AuthProvider provider() {
        return provider;
    }
}
