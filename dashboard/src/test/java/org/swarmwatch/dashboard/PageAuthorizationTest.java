package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every page and every {@code /ui/api/} path (the API for a signed-in session, ApiBridge) against
 * every role, signed in through the login form: allowed 200, a wrong role 403, nobody signed in
 * a redirect to the login form. The table is docs/dashboard.md's "Pages" and "API".
 */
class PageAuthorizationTest extends DashboardTest {
    private static final Set<String> TRAFFIC = Set.of("operator", "admin", "both");
    private static final Set<String> EVIDENCE = Set.of("compliance", "both");
    private static final Set<String> ADMIN = Set.of("admin");
    private static final List<String> USERS = List.of("operator", "compliance", "admin", "both");

    static Stream<Arguments> matrix() {
        String id = seeded().incidentId;
        List<Object[]> paths = List.of(
                new Object[] {"/traffic", TRAFFIC},
                new Object[] {"/incidents", EVIDENCE},
                new Object[] {"/incidents/" + id, EVIDENCE},
                new Object[] {"/lists", EVIDENCE},
                new Object[] {"/admin/users", ADMIN},
                new Object[] {"/admin/audit", ADMIN},
                new Object[] {"/admin/retention", ADMIN},
                new Object[] {"/ui/api/traffic", TRAFFIC},
                new Object[] {"/ui/api/subscribers/top", TRAFFIC},
                new Object[] {"/ui/api/probes", TRAFFIC},
                new Object[] {"/ui/api/incidents", EVIDENCE},
                new Object[] {"/ui/api/incidents/" + id, EVIDENCE},
                new Object[] {"/ui/api/incidents/" + id + "/evidence", EVIDENCE},
                new Object[] {"/ui/api/lists", EVIDENCE},
                new Object[] {"/ui/api/admin/users", ADMIN});
        List<Arguments> cases = new ArrayList<>();
        for (Object[] p : paths) {
            @SuppressWarnings("unchecked")
            Set<String> allowed = (Set<String>) p[1];
            for (String user : USERS) {
                cases.add(Arguments.of(p[0], user, allowed.contains(user) ? 200 : 403));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("matrix")
    void pageAnswersByRole(String path, String user, int expected) throws Exception {
        FormSession s = signIn(user);
        HttpResponse<String> r = s.get(path);
        assertEquals(expected, r.statusCode(), path + " as " + user + ": " + r.body());
        // the session survives the API's forward and the refusal: the start page still answers
        HttpResponse<String> home = s.get("/");
        assertEquals(302, home.statusCode());
        assertTrue(!home.headers().firstValue("Location").orElse("").contains("/login"), "still signed in after " + path + ": " + home.headers());
    }

    @Test
    void nobodySignedInIsSentToTheLoginForm() throws Exception {
        FormSession s = new FormSession(port);
        for (String path : List.of("/", "/traffic", "/incidents", "/lists", "/admin/users", "/ui/api/traffic")) {
            HttpResponse<String> r = s.get(path);
            assertEquals(302, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/login"), path + ": " + r.headers());
        }
        assertEquals(200, s.get("/login").statusCode());
        assertEquals(200, s.get("/css/swarmwatch.css").statusCode(), "the stylesheet before signing in");
        assertEquals(200, s.get("/webjars/chart.js/dist/chart.umd.js").statusCode(), "Chart.js served by the app itself");
    }

    @Test
    void listUploadNeedsTheCsrfToken() throws Exception {
        FormSession s = signIn("compliance");
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(URI.create(s.base + "/lists"))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\nContent-Disposition: form-data; name=\"list\"; filename=\"a.csv\"\r\n\r\nx\r\n--x--\r\n")));
        assertEquals(403, r.statusCode(), "no CSRF token: refused");
        FormSession operator = signIn("operator");
        assertEquals(403, operator.send(HttpRequest.newBuilder(URI.create(operator.base + "/lists"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode(), "an operator may not upload lists");
    }

    private FormSession signIn(String user) throws Exception {
        return FormSession.signIn(port, user);
    }
}
