package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser's cookie jar against the running dashboard, without following redirects; signed in through the login form. */
final class FormSession {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    final String base;

    FormSession(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Signed in as a test user (password {@code user-password}) through the form, with its CSRF token. */
    static FormSession signIn(int port, String user) throws Exception {
        FormSession s = new FormSession(port);
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + user + "-password&_csrf="
                        + URLEncoder.encode(s.csrf("/login"), StandardCharsets.UTF_8))));
        assertEquals(302, r.statusCode());
        assertTrue(!r.headers().firstValue("Location").orElse("").contains("error"), "signed in as " + user);
        return s;
    }

    /** The CSRF token of the form on {@code page}. */
    String csrf(String page) throws Exception {
        Matcher token = CSRF.matcher(get(page).body());
        assertTrue(token.find(), "a CSRF token in the form of " + page);
        return token.group(1);
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /**
     * A multipart POST of the lists form ({@code /lists}): the CSRF token, the list file
     * {@code name} holding {@code list}, and its signature file when {@code signature} is not null.
     */
    HttpRequest.Builder listUpload(String csrf, String name, byte[] list, byte[] signature) {
        String boundary = "----swarmwatch-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"list\"; filename=\"" + name
                + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(list);
        if (signature != null) {
            body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"signature\"; filename=\"" + name
                    + ".sig\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(signature);
        }
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(base + "/lists")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
