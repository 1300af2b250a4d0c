package org.swarmwatch.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Plain HTTP against the running dashboard, as a script or a browser would call it. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    ApiClient(int port) {
        this.port = port;
    }

    /** GET with Basic credentials for {@code user} (password {@code user-password}), or none for null. */
    HttpResponse<String> get(String path, String user) {
        return get(path, user, user == null ? null : user + "-password");
    }

    HttpResponse<String> get(String path, String user, String password) {
        String authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return exchange("GET", path, authorization, Duration.ofSeconds(30), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Any method with an {@code Authorization} header as given ({@code Basic ...}, {@code Bearer ...}),
     * or none for null; a body-less POST carries its parameters in the query.
     */
    HttpResponse<String> send(String method, String path, String authorization) {
        return exchange(method, path, authorization, Duration.ofSeconds(30), HttpResponse.BodyHandlers.ofString());
    }

    /** GET with Basic credentials for {@code user} (password {@code user-password}); the body as bytes (exports). */
    HttpResponse<byte[]> bytes(String path, String user) {
        return exchange("GET", path, basic(user), Duration.ofSeconds(60), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** One body-less request to the app, with the given {@code Authorization} header (none for null). */
    private <T> HttpResponse<T> exchange(String method, String path, String authorization, Duration timeout,
            HttpResponse.BodyHandler<T> body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return HTTP.send(b.build(), body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Basic header of a test user (password {@code user-password}). */
    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-password").getBytes(StandardCharsets.UTF_8));
    }

    /** GET that must answer 200; its JSON body. */
    JsonNode json(String path, String user) {
        HttpResponse<String> r = get(path, user);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " as " + user + ": " + r.statusCode() + " " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
