package io.yaptide.store.users;

/**
 * What a Keycloak user's batch jobs need on the cluster: the certificate and the private (SSH) key
 * the certificate service hands out at login. Either may be null, as the original stores them.
 */
public record ClusterCredentials(String cert, String privateKey) {
    @Override
    public String toString() {
        return "ClusterCredentials[cert=" + (cert == null ? "none" : cert.length() + " chars")
                + ", privateKey=" + (privateKey == null ? "none" : "hidden") + "]";
    }
}
