package io.yaptide.store.users;

/** A user who logs in with a password; only its werkzeug-format hash is ever stored. */
public record PasswordUser(long id, String username, String passwordHash) implements User {
    @Override
    public AuthProvider authProvider() {
        return AuthProvider.YAPTIDE;
    }

    @Override
    public String toString() {
        return "PasswordUser[id=" + id + ", username=" + username + "]";
    }
}
