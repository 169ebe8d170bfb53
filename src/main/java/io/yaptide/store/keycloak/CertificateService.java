package io.yaptide.store.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.users.ClusterCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The certificate service ({@code CERT_AUTH_URL}): called with the user's Keycloak bearer token, it
 * answers {@code {"cert": ..., "private": ...}}, the short-lived certificate and SSH key of the user's
 * cluster account. Anything but a 200 with that JSON is a refusal, so that a failing service never
 * logs a user in with the stored key erased (the original's behaviour).
 */
final class CertificateService {
    static final int MAX_ANSWER_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Duration readTimeout;
    private final HttpClient http;

    public CertificateService(URI url, Duration connectTimeout, Duration readTimeout) {
        this.url = url;
        this.readTimeout = readTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public ClusterCredentials fetch(String bearerToken) throws KeycloakRefusal {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(readTimeout)
                .header("Authorization", "Bearer " + bearerToken).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
        } catch (IOException e) {
            throw KeycloakRefusal.unavailable("Certificate service is not available",
                    "certificate service unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KeycloakRefusal.unavailable("Certificate service is not available", "interrupted");
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw KeycloakRefusal.forbidden("The certificate service refused the token", "certificate service answered " + status);
        }
        if (status != 200) {
            throw KeycloakRefusal.unavailable("Certificate service is not available", "certificate service answered " + status);
        }
        if (body.length > MAX_ANSWER_BYTES) {
            throw KeycloakRefusal.unavailable("Certificate service is not available", "certificate answer too large");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.path("cert").isTextual() || !json.path("private").isTextual()) {
            throw KeycloakRefusal.unavailable("Certificate service is not available",
                    "certificate service answer is not {\"cert\": ..., \"private\": ...}");
        }
        return new ClusterCredentials(json.get("cert").asText(), json.get("private").asText());
    }
}
