package io.yaptide.store.keycloak;

import io.yaptide.store.users.KeyCipher;
import java.util.Map;

/**
 * What the service needs for Keycloak users: the realm their tokens come from (or why there is
 * none), and the cipher sealing their private keys at rest (null: stored as the original stores them).
 */
public record KeycloakSettings(KeycloakConfig.Setup realm, KeyCipher keyCipher) {

    /** No Keycloak login, no encryption: the service as it was before both existed. */
    public static KeycloakSettings none() {
        return new KeycloakSettings(KeycloakConfig.Setup.none(), null);
    }

    public static KeycloakSettings fromEnvironment(Map<String, String> env) {
        return new KeycloakSettings(KeycloakConfig.fromEnvironment(env), KeyCipher.fromEnvironment(env).orElse(null));
    }
}
