package io.yaptide.store.keycloak;

import io.yaptide.store.users.ClusterCredentials;
import io.yaptide.store.users.KeycloakUser;
import io.yaptide.store.users.UserStore;

/**
 * A Keycloak login: the token is checked, the certificate service asked (when configured), and only
 * then is anything written: the user created or its cert and key replaced, in one transaction.
 * Any refusal before that leaves the database as it was.
 */
public final class KeycloakLogin {
    private final KeycloakConfig.Setup setup;
    private final KeycloakTokens tokens;
    private final CertificateService certificates;
    private final UserStore users;

    public KeycloakLogin(KeycloakConfig.Setup setup, UserStore users) {
        this.setup = setup;
        this.users = users;
        KeycloakConfig config = setup.config();
        this.tokens = config == null ? null : new KeycloakTokens(config);
        this.certificates = config == null || config.certAuthUrl() == null ? null
                : new CertificateService(config.certAuthUrl(), config.connectTimeout(), config.readTimeout());
    }

    public KeycloakUser logIn(String bearerToken, String username) throws KeycloakRefusal {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw new KeycloakRefusal(KeycloakRefusal.Kind.NO_TOKEN, "No token provided", "no bearer token");
        }
        if (tokens == null) {
            throw KeycloakRefusal.forbidden("Service is not available", setup.notConfigured());
        }
        tokens.verify(bearerToken, username);
        ClusterCredentials credentials = certificates == null ? null : certificates.fetch(bearerToken);
        return users.saveKeycloakLogin(username, credentials);
    }
}
