package io.yaptide.store.users;

/**
 * A user of the platform: joined-table polymorphism over {@code User} and one of {@code YaptideUser}
 * or {@code KeycloakUser}, chosen by {@code User.auth_provider}.
 */
public sealed interface User permits PasswordUser, KeycloakUser {
    long id();

    String username();

    AuthProvider authProvider();
}
