package io.yaptide.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yaptide.store.results.StrictGunzip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A browser-like client of the service: keeps cookies, sends and reads JSON. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    final URI base;
    final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    ApiClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    record Response(int status, byte[] body, HttpHeaders headers) {
        /** The body as JSON, gunzipped (strictly, one member) when the server sent gzip. */
        JsonNode json() {
            try {
                return JSON.readTree(text());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        String text() {
            return new String(decoded(), StandardCharsets.UTF_8);
        }

        byte[] decoded() {
            if (!"gzip".equals(headers.firstValue("Content-Encoding").orElse(null))) {
                return body;
            }
            // as a browser decodes it: one gzip member, nothing after it
            return StrictGunzip.decode(body);
        }

        String message() {
            return json().path("message").asText();
        }
    }

    Response get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    Response delete(String path) {
        return send("DELETE", path, null);
    }

    Response post(String path, Object body) {
        return send("POST", path, body);
    }

    Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    Response register(String user, String password) {
        return put("/auth/register", JSON.createObjectNode().put("username", user).put("password", password));
    }

    Response login(String user, String password) {
        return post("/auth/login", JSON.createObjectNode().put("username", user).put("password", password));
    }

    /** Registers and logs in; returns this client, now holding the user's cookies. */
    ApiClient signedUp(String user) {
        register(user, "pw-" + user);
        Response r = login(user, "pw-" + user);
        if (r.status() != 202) {
            throw new IllegalStateException("login failed: " + r.status() + " " + r.text());
        }
        return this;
    }

    /** A text body sent with the given Content-Type instead of application/json. */
    Response sendTyped(String method, String path, String body, String contentType) {
        HttpRequest r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<byte[]> response = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response send(String method, String path, Object body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                byte[] bytes = body instanceof byte[] raw ? raw
                        : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
