package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint against every role: allowed answers 200, a wrong role 403, no or wrong
 * credentials 401. The table is the specification (docs/dashboard.md, "API"); an operator never
 * reaches incident evidence and an administrator without COMPLIANCE neither.
 */
class AuthorizationTest extends DashboardTest {
    private static final Set<String> TRAFFIC = Set.of("operator", "admin", "both");
    private static final Set<String> EVIDENCE = Set.of("compliance", "both");
    private static final Set<String> ADMIN = Set.of("admin");
    private static final Set<String> EVERYONE = Set.of("operator", "compliance", "admin", "both", "anonymous");
    private static final List<String> USERS = List.of("operator", "compliance", "admin", "both");

    static Stream<Arguments> matrix() {
        List<Object[]> endpoints = List.of(
                new Object[] {"/api/traffic", TRAFFIC},
                new Object[] {"/api/subscribers/top", TRAFFIC},
                new Object[] {"/api/probes", TRAFFIC},
                new Object[] {"/api/incidents", EVIDENCE},
                new Object[] {"/api/incidents/" + seeded().incidentId, EVIDENCE},
                new Object[] {"/api/incidents/" + seeded().incidentId + "/evidence", EVIDENCE},
                new Object[] {"/api/traffic?probe=vm&link=eth0", TRAFFIC},
                new Object[] {"/api/lists", EVIDENCE},
                new Object[] {"/api/incidents/export?format=csv&severity=high", EVIDENCE},
                new Object[] {"/api/incidents/export?format=json&severity=high", EVIDENCE},
                new Object[] {"/api/incidents/export?format=pdf&severity=high", EVIDENCE},
                new Object[] {"/api/incidents/export/public-key", Set.of("compliance", "both", "admin")},
                new Object[] {"/api/admin/users", ADMIN},
                new Object[] {"/api/admin/audit", ADMIN},
                new Object[] {"/actuator/prometheus", ADMIN},
                // API tokens, consumer lag, the OpenAPI description (TokenTest: the same with tokens, and POST / DELETE)
                new Object[] {"/api/admin/tokens", ADMIN},
                new Object[] {"/api/probes/lag", TRAFFIC},
                new Object[] {"/api/openapi", EVERYONE},
                new Object[] {"/actuator/health", EVERYONE},
                new Object[] {"/actuator/health/liveness", EVERYONE},
                new Object[] {"/actuator/health/readiness", EVERYONE});
        List<Arguments> cases = new ArrayList<>();
        for (Object[] e : endpoints) {
            @SuppressWarnings("unchecked")
            Set<String> allowed = (Set<String>) e[1];
            for (String user : USERS) {
                cases.add(Arguments.of(e[0], user, allowed.contains(user) ? 200 : 403));
            }
            cases.add(Arguments.of(e[0], "anonymous", allowed.contains("anonymous") ? 200 : 401));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("matrix")
    void endpointAnswersByRole(String path, String user, int expected) {
        HttpResponse<String> r = api().get(path, user.equals("anonymous") ? null : user);
        assertEquals(expected, r.statusCode(), path + " as " + user + ": " + r.body());
        if (expected == 401) {
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), "a Basic challenge");
        }
        if (expected != 200) {
            assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace: " + r.body());
        }
    }

    @ParameterizedTest(name = "{0} with a wrong password: 401")
    @MethodSource("apiPaths")
    void wrongPasswordIsRefused(String path) {
        assertEquals(401, api().get(path, "admin", "not-the-password").statusCode());
        assertEquals(401, api().get(path, "nobody", "nobody-password").statusCode());
    }

    static Stream<String> apiPaths() {
        return Stream.of("/api/traffic", "/api/subscribers/top", "/api/probes", "/api/incidents", "/api/lists", "/api/admin/users",
                "/actuator/prometheus", "/api/incidents/export?format=csv", "/api/incidents/export/public-key", "/api/admin/audit");
    }

    /** An export's signature is evidence too: compliance only, like the export. */
    @Test
    void exportSignaturesByRole() {
        HttpResponse<String> export = api().get("/api/incidents/export?format=csv&severity=high", "compliance");
        assertEquals(200, export.statusCode(), export.body());
        String path = export.headers().firstValue("X-Swarmwatch-Signature").orElseThrow();
        for (String user : USERS) {
            assertEquals(EVIDENCE.contains(user) ? 200 : 403, api().get(path, user).statusCode(), path + " as " + user);
        }
        assertEquals(401, api().get(path, null).statusCode());
        assertEquals(401, api().get(path, "compliance", "wrong").statusCode());
    }

    /** No export by any other method, nor any change to the audit log, whatever the role. */
    @ParameterizedTest(name = "{0} {1}: refused")
    @MethodSource("writes")
    void noWritesToExportsOrTheAuditLog(String method, String path) {
        for (String user : USERS) {
            assertEquals(403, api().send(method, path, ApiClient.basic(user)).statusCode(), method + " " + path + " as " + user);
        }
    }

    static Stream<Arguments> writes() {
        List<Arguments> cases = new ArrayList<>();
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/api/incidents/export?format=csv", "/api/admin/audit", "/api/incidents/export/public-key")) {
                cases.add(Arguments.of(method, path));
            }
        }
        return cases.stream();
    }

    @Test
    void unknownApiPathsAreDenied() {
        assertEquals(401, api().get("/api/nothing", null).statusCode());
        assertEquals(403, api().get("/api/nothing", "admin").statusCode());
        assertEquals(403, api().get("/actuator/env", "operator").statusCode());
    }

    @Test
    void healthDetailsOnlyForAdministrators() {
        assertFalse(api().get("/actuator/health", null).body().contains("elasticsearch"), "no components for anonymous callers");
        assertTrue(api().get("/actuator/health", "admin").body().contains("\"elasticsearch\""), "the engine's health for ADMIN");
    }

    @Test
    void prometheusExposesMetrics() {
        assertTrue(api().get("/actuator/prometheus", "admin").body().contains("jvm_memory_used_bytes"));
    }

    @Test
    void adminSeesNamesAndRolesNeverHashes() {
        String body = api().get("/api/admin/users", "admin").body();
        assertTrue(body.contains("\"operator\"") && body.contains("\"COMPLIANCE\""), body);
        assertFalse(body.contains("$2"), "no bcrypt hash: " + body);
    }

    @Test
    void formLoginNeedsTheCsrfTokenAndTheRightPassword() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> home = browser.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, home.statusCode());
        assertTrue(home.headers().firstValue("Location").orElse("").endsWith("/login"));
        HttpResponse<String> form = browser.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, form.statusCode());
        Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(token.find(), "a CSRF token in the login form: " + form.body());

        assertEquals(403, post(browser, base + "/login", "username=operator&password=operator-password").statusCode(), "no token: refused");
        HttpResponse<String> wrong = post(browser, base + "/login", "username=operator&password=wrong&_csrf=" + enc(token.group(1)));
        assertTrue(wrong.headers().firstValue("Location").orElse("").contains("/login?error"), "wrong password: back to the form");
        // a failed attempt may rotate the token: take the form's again
        form = browser.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(token.find());
        HttpResponse<String> ok = post(browser, base + "/login", "username=operator&password=operator-password&_csrf=" + enc(token.group(1)));
        assertEquals(302, ok.statusCode());
        assertFalse(ok.headers().firstValue("Location").orElse("").contains("error"), ok.headers().toString());
        HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, signedIn.statusCode());
        assertTrue(signedIn.headers().firstValue("Location").orElse("").endsWith("/traffic"), "an operator's start page: " + signedIn.headers());
        HttpResponse<String> traffic = browser.send(HttpRequest.newBuilder(URI.create(base + "/traffic")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, traffic.statusCode());
        assertTrue(traffic.body().contains("data-testid=\"user-name\">operator<"), "signed in as operator");
        // the API takes Basic credentials only: the session cookie of a signed-in browser does not reach it
        HttpResponse<String> api = browser.send(HttpRequest.newBuilder(URI.create(base + "/api/traffic")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, api.statusCode());
    }

    private static HttpResponse<String> post(HttpClient browser, String url, String form) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
