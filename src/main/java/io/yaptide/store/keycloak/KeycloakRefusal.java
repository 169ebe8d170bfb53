package io.yaptide.store.keycloak;

/**
 * Why a Keycloak login was refused, and whose fault it is: the caller's (no token: 401; a token that
 * does not pass: 403) or a service's we depend on (Keycloak or the certificate service unavailable:
 * 503). The message is what the caller is told; it never carries the token.
 */
public final class KeycloakRefusal extends Exception {
    public enum Kind {
        NO_TOKEN(401), FORBIDDEN(403), UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    /** For the log: what exactly failed (no token, no key, no user input). */
    private final String detail;

    public KeycloakRefusal(Kind kind, String message, String detail) {
        super(message, null, false, false);
        this.kind = kind;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    public String detail() {
        return detail;
    }

    static KeycloakRefusal forbidden(String message, String detail) {
        return new KeycloakRefusal(Kind.FORBIDDEN, message, detail);
    }

    static KeycloakRefusal unavailable(String message, String detail) {
        return new KeycloakRefusal(Kind.UNAVAILABLE, message, detail);
    }
}
