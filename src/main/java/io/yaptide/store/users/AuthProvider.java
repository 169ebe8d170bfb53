package io.yaptide.store.users;

import java.util.Arrays;
import java.util.Optional;

/** How a user logs in; the value is the discriminator stored in {@code User.auth_provider}. */
public enum AuthProvider {
    /** A user with a password kept (as a hash) in {@code YaptideUser}. */
    YAPTIDE("YaptideUser"),
    /** A user authenticated by Keycloak, with certificate and key in {@code KeycloakUser}. */
    KEYCLOAK("KeycloakUser");

    private final String dbValue;

    AuthProvider(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }

    /** Accepts the stored value ({@code YaptideUser}) or the enum name, any case. */
    public static Optional<AuthProvider> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Arrays.stream(values())
                .filter(p -> p.dbValue.equalsIgnoreCase(text.strip()) || p.name().equalsIgnoreCase(text.strip()))
                .findFirst();
    }

    public static AuthProvider fromDb(String value) {
        return parse(value).orElseThrow(() -> new IllegalStateException("unknown auth_provider in the database: " + value));
    }
}
