package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Failed sign-ins on the real app (three allowed here, per user and address): HTTP Basic then
 * answers 429 with Retry-After even for the right password, without checking it; the sign-in form
 * goes back to the sign-in page saying why; other users are not affected; a success in between
 * starts the count again. Each test uses its own user: a pause lasts the window (a minute here).
 */
@TestPropertySource(properties = {"swarmwatch.dashboard.sign-in.max-failures=3", "swarmwatch.dashboard.sign-in.max-failures-per-address=100",
        "swarmwatch.dashboard.sign-in.window=60s"})
class SignInThrottleAppTest extends DashboardTest {

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicIsAnswered429AfterTheLimitEvenWithTheRightPassword() {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, api().send("GET", "/api/traffic", basic("operator", "guess-" + i)).statusCode());
        }
        HttpResponse<String> r = api().send("GET", "/api/traffic", ApiClient.basic("operator"));
        assertEquals(429, r.statusCode(), r.body());
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        assertTrue(ApiClient.parse(r.body()).path("error").asText().startsWith("too many failed sign-ins for this user from this address; try again in "),
                r.body());
        assertEquals(200, api().get("/api/incidents", "compliance").statusCode(), "another user is not affected");
        assertEquals(200, api().get("/api/incidents", "both").statusCode());
    }

    @Test
    void unknownUsersCountToo() {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, api().send("GET", "/api/traffic", basic("mallory", "guess-" + i)).statusCode());
        }
        assertEquals(429, api().send("GET", "/api/traffic", basic("Mallory", "guess-4")).statusCode(), "names compare without case");
    }

    @Test
    void aSuccessStartsTheCountAgain() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(401, api().send("GET", "/api/admin/users", basic("admin", "typo-" + i)).statusCode());
            }
            assertEquals(200, api().get("/api/admin/users", "admin").statusCode(), "round " + round + ": two failures, then the right password");
        }
    }

    @Test
    void theFormGoesBackToTheSignInPageWithTheReason() throws Exception {
        FormSession s = new FormSession(port);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = signIn(s, "both", "guess-" + i);
            assertEquals(302, r.statusCode());
            assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/login?error"), r.headers().toString());
        }
        HttpResponse<String> refused = signIn(s, "both", "both-password");
        assertEquals(302, refused.statusCode());
        assertTrue(refused.headers().firstValue("Location").orElse("").endsWith("/login?refused"), refused.headers().toString());
        String page = s.get("/login?refused").body();
        assertTrue(page.contains("Sign-in paused: ") && page.contains("too many failed sign-ins for this user from this address; try again in "),
                page);
        assertFalse(s.get("/login").body().contains("Sign-in paused"), "shown once");
        assertEquals(302, s.get("/incidents").statusCode(), "not signed in");
    }

    private static HttpResponse<String> signIn(FormSession s, String user, String password) throws Exception {
        return s.send(HttpRequest.newBuilder(URI.create(s.base + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                        + "&_csrf=" + URLEncoder.encode(s.csrf("/login"), StandardCharsets.UTF_8))));
    }
}
