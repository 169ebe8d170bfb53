package io.yaptide.store.users;

/**
 * A user authenticated by Keycloak; certificate and private key are kept for batch submissions.
 * {@code privateKey} is the column as stored: sealed when encryption at rest is on (read it in the
 * clear with {@link UserStore#privateKey}).
 */
public record KeycloakUser(long id, String username, String cert, String privateKey) implements User {
    @Override
    public AuthProvider authProvider() {
        return AuthProvider.KEYCLOAK;
    }

    @Override
    public String toString() {
        return "KeycloakUser[id=" + id + ", username=" + username + "]";
    }
}
