package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.dashboard.security.DashboardUser;
import org.swarmwatch.dashboard.security.DashboardUsers;
import org.swarmwatch.dashboard.security.Role;
import org.swarmwatch.dashboard.token.ApiTokens;

/**
 * API tokens: made by an administrator for each test user, each token carries exactly its
 * user's roles on every endpoint (the same table as {@link AuthorizationTest}); only ADMIN
 * manages tokens; the token is shown once and only its SHA-256 is stored; revoked, unknown,
 * tampered and malformed tokens are refused with 401 and a JSON reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenTest extends DashboardTest {
    private static final Set<String> TRAFFIC = Set.of("operator", "admin", "both");
    private static final Set<String> EVIDENCE = Set.of("compliance", "both");
    private static final Set<String> ADMIN = Set.of("admin");
    private static final List<String> USERS = List.of("operator", "compliance", "admin", "both");

    private final Map<String, String> tokens = new HashMap<>();

    @BeforeAll
    void makeOneTokenPerUser() {
        for (String user : USERS) {
            HttpResponse<String> r = api().send("POST", "/api/admin/tokens?username=" + user + "&label=test%20" + user, ApiClient.basic("admin"));
            assertEquals(201, r.statusCode(), r.body());
            JsonNode made = ApiClient.parse(r.body());
            assertEquals(user, made.path("username").asText());
            assertEquals("active", made.path("status").asText());
            assertEquals("admin", made.path("created_by").asText());
            assertTrue(made.path("token").asText().matches("swt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), r.body());
            tokens.put(user, made.path("token").asText());
        }
    }

    Stream<Arguments> matrix() {
        List<Object[]> endpoints = List.of(
                new Object[] {"/api/traffic", TRAFFIC},
                new Object[] {"/api/subscribers/top", TRAFFIC},
                new Object[] {"/api/probes", TRAFFIC},
                new Object[] {"/api/probes/lag", TRAFFIC},
                new Object[] {"/api/incidents", EVIDENCE},
                new Object[] {"/api/incidents/" + seeded().incidentId, EVIDENCE},
                new Object[] {"/api/lists", EVIDENCE},
                new Object[] {"/api/admin/users", ADMIN},
                new Object[] {"/api/admin/tokens", ADMIN},
                new Object[] {"/actuator/prometheus", ADMIN});
        List<Arguments> cases = new ArrayList<>();
        for (Object[] e : endpoints) {
            @SuppressWarnings("unchecked")
            Set<String> allowed = (Set<String>) e[1];
            for (String user : USERS) {
                cases.add(Arguments.of(e[0], user, allowed.contains(user) ? 200 : 403));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1}''s token: {2}")
    @MethodSource("matrix")
    void aTokenCarriesItsUsersRoles(String path, String user, int expected) {
        HttpResponse<String> r = api().send("GET", path, "Bearer " + tokens.get(user));
        assertEquals(expected, r.statusCode(), path + " with " + user + "'s token: " + r.body());
    }

    static Stream<Arguments> management() {
        return Stream.of(Arguments.of("POST", "/api/admin/tokens?username=operator&label=x"), Arguments.of("GET", "/api/admin/tokens"),
                Arguments.of("DELETE", "/api/admin/tokens/0123456789abcdef"));
    }

    @ParameterizedTest(name = "{0} {1}: ADMIN only")
    @MethodSource("management")
    void onlyAdministratorsManageTokens(String method, String path) {
        for (String user : List.of("operator", "compliance", "both")) {
            HttpResponse<String> basic = api().send(method, path, ApiClient.basic(user));
            assertEquals(403, basic.statusCode(), method + " " + path + " as " + user + ": " + basic.body());
            assertEquals(403, api().send(method, path, "Bearer " + tokens.get(user)).statusCode(), user + "'s token");
        }
        HttpResponse<String> anonymous = api().send(method, path, null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.body().contains("\"status\":401"), anonymous.body());
        int allowed = api().send(method, path, ApiClient.basic("admin")).statusCode();
        assertEquals(method.equals("POST") ? 201 : method.equals("DELETE") ? 404 : 200, allowed, "admin");
    }

    @Test
    void anAdministratorsTokenManagesTokensToo() {
        HttpResponse<String> made = api().send("POST", "/api/admin/tokens?username=operator&label=by-token&expiresInDays=30",
                "Bearer " + tokens.get("admin"));
        assertEquals(201, made.statusCode(), made.body());
        JsonNode t = ApiClient.parse(made.body());
        assertTrue(Instant.parse(t.path("expires_at").asText()).isAfter(Instant.now().plus(Duration.ofDays(29))), made.body());
        assertEquals(200, api().send("DELETE", "/api/admin/tokens/" + t.path("id").asText(), "Bearer " + tokens.get("admin")).statusCode());
    }

    @Test
    void theTokenIsShownOnceAndOnlyItsHashIsKept() throws Exception {
        String token = tokens.get("operator");
        String id = token.substring(4, 20);
        String listed = api().send("GET", "/api/admin/tokens?username=operator", ApiClient.basic("admin")).body();
        assertTrue(listed.contains(id), listed);
        assertFalse(listed.contains(token.substring(21)), "no secret in the list");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        assertFalse(listed.contains(hash), "no hash in the list");
        assertFalse(listed.contains("sha256"), listed);
        try (RestClient rest = RestClient.builder(HttpHost.create(seeded().engine.url())).build()) {
            ElasticsearchClient es = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
            ObjectNode stored = es.get(g -> g.index("swarmwatch-dashboard-tokens").id(id), ObjectNode.class).source();
            assertEquals(hash, stored.path("sha256").asText(), "the SHA-256 of the token is stored");
            assertFalse(stored.toString().contains(token.substring(21)), "the secret is not: " + stored);
        }
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceWithAClearError() {
        HttpResponse<String> made = api().send("POST", "/api/admin/tokens?username=compliance&label=to-revoke", ApiClient.basic("admin"));
        JsonNode t = ApiClient.parse(made.body());
        String bearer = "Bearer " + t.path("token").asText();
        assertEquals(200, api().send("GET", "/api/lists", bearer).statusCode());

        HttpResponse<String> revoked = api().send("DELETE", "/api/admin/tokens/" + t.path("id").asText(), ApiClient.basic("admin"));
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("revoked", ApiClient.parse(revoked.body()).path("status").asText());
        assertEquals("admin", ApiClient.parse(revoked.body()).path("revoked_by").asText());

        HttpResponse<String> refused = api().send("GET", "/api/lists", bearer);
        assertEquals(401, refused.statusCode());
        JsonNode error = ApiClient.parse(refused.body());
        assertEquals(401, error.path("status").asInt());
        assertTrue(error.path("error").asText().contains("was revoked at"), refused.body());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
        assertEquals(200, api().send("GET", "/api/lists", "Bearer " + tokens.get("compliance")).statusCode(), "other tokens still work");
        String listed = api().send("GET", "/api/admin/tokens?username=compliance", ApiClient.basic("admin")).body();
        assertTrue(listed.contains("\"revoked\""), "a revoked token stays listed: " + listed);
    }

    @Test
    void unknownTamperedAndMalformedTokensAreRefused() {
        String good = tokens.get("admin");
        String tampered = good.substring(0, good.length() - 1) + (good.endsWith("A") ? "B" : "A");
        String unknown = "swt_0000000000000000_" + "A".repeat(43);
        for (String t : List.of(tampered, unknown)) {
            HttpResponse<String> r = api().send("GET", "/api/admin/users", "Bearer " + t);
            assertEquals(401, r.statusCode(), t);
            assertEquals("unknown API token", ApiClient.parse(r.body()).path("error").asText());
        }
        for (String t : List.of("", "abc", good + "x", "x".repeat(5000))) {
            HttpResponse<String> r = api().send("GET", "/api/admin/users", "Bearer " + t);
            assertEquals(401, r.statusCode(), t);
            assertTrue(ApiClient.parse(r.body()).path("error").asText().startsWith("not a Swarmwatch API token"), r.body());
        }
    }

    @Test
    void badParametersAreNamed() {
        Map<String, String> cases = Map.of(
                "/api/admin/tokens?username=nobody&label=x", "username",
                "/api/admin/tokens?username=operator", "label",
                "/api/admin/tokens?username=operator&label=%3Cscript%3E", "label",
                "/api/admin/tokens?username=operator&label=x&expiresInDays=0", "expiresInDays");
        cases.forEach((path, parameter) -> {
            HttpResponse<String> r = api().send("POST", path, ApiClient.basic("admin"));
            assertEquals(400, r.statusCode(), path + ": " + r.body());
            assertEquals(parameter, ApiClient.parse(r.body()).path("parameter").asText(), r.body());
        });
        HttpResponse<String> r = api().send("DELETE", "/api/admin/tokens/not-an-id", ApiClient.basic("admin"));
        assertEquals(404, r.statusCode(), r.body());
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        DashboardUsers users = new DashboardUsers(List.of(new DashboardUser("operator", "$2y$04$" + "a".repeat(53), Set.of(Role.OPERATOR))));
        try (RestClient rest = RestClient.builder(HttpHost.create(seeded().engine.url())).build()) {
            ElasticsearchClient es = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
            Instant made = Instant.parse("2026-01-01T00:00:00Z");
            ApiTokens then = new ApiTokens(es, "swarmwatch-dashboard-tokens-expiry", users, Clock.fixed(made, ZoneOffset.UTC));
            String token = then.create("operator", "short", Duration.ofDays(1), "admin").token();
            assertInstanceOf(ApiTokens.Accepted.class, then.check(token));
            ApiTokens later = new ApiTokens(es, "swarmwatch-dashboard-tokens-expiry", users, Clock.fixed(made.plus(Duration.ofDays(1)), ZoneOffset.UTC));
            ApiTokens.Check check = later.check(token);
            assertInstanceOf(ApiTokens.Refused.class, check);
            assertTrue(((ApiTokens.Refused) check).reason().contains("expired at 2026-01-02T00:00:00Z"), check.toString());
            assertNotEquals(token, then.create("operator", "short", null, "admin").token(), "every token is new");
        }
    }
}
