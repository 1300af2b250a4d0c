package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every reading of an incident's evidence, and every page of the incident list, is in the audit
 * log before it is answered: the page, the API with Basic and with a token, and the API through a
 * page's session each leave one record naming the user, the incident (or the list's filter, page
 * and row count) and the route, none of the evidence; the administrator reads them in the audit
 * API (and the page's source, /ui/api/admin/audit), filtered by action; a refused request leaves
 * none; and when the audit log cannot take the record, the data is not given (503).
 */
class EvidenceAuditTest extends DashboardTest {
    @Test
    void eachReadingByComplianceIsRecordedWithUserIncidentAndRoute() throws Exception {
        String id = seeded().incidentId;
        JsonNode token = ApiClient.parse(api().send("POST", "/api/admin/tokens?username=compliance&label=evidence-audit",
                ApiClient.basic("admin")).body());
        int before = views(e -> true).size();

        assertEquals(200, api().get("/api/incidents/" + id, "compliance").statusCode());
        assertEquals(200, api().get("/api/incidents/" + id + "/evidence", "compliance").statusCode());
        HttpResponse<String> withToken = api().send("GET", "/api/incidents/" + id, "Bearer " + token.path("token").asText());
        assertEquals(200, withToken.statusCode(), withToken.body());
        FormSession page = FormSession.signIn(port, "compliance");
        HttpResponse<String> incidentPage = page.get("/incidents/" + id);
        assertEquals(200, incidentPage.statusCode());
        assertTrue(incidentPage.body().contains(seeded().subscriber), "the page shows the evidence");
        assertEquals(200, page.get("/ui/api/incidents/" + id + "/evidence").statusCode());

        List<JsonNode> views = views(e -> e.path("incident").path("id").asText().equals(id) && e.path("user").asText().equals("compliance"));
        assertTrue(views.size() >= 5, views.toString());
        assertEquals(before + 5, views(e -> true).size(), "one record per reading: " + views);
        assertView(views, "api", "incident", null);
        assertView(views, "api", "evidence", null);
        assertView(views, "api", "incident", token.path("id").asText());
        assertView(views, "page", "incident+evidence", null);
        assertView(views, "ui-api", "evidence", null);
        for (JsonNode v : views) {
            assertEquals("[\"COMPLIANCE\"]", v.path("roles").toString());
            String text = v.toString();
            // who, when, which incident, how: nothing of the evidence itself
            assertFalse(text.contains(seeded().subscriber) || text.contains(SeededElasticsearch.A1) || text.contains("10.77.0.11")
                    || text.contains("Studio"), text);
        }
    }

    private static void assertView(List<JsonNode> views, String route, String view, String token) {
        assertTrue(views.stream().anyMatch(v -> v.path("access").path("route").asText().equals(route)
                && v.path("access").path("view").asText().equals(view)
                && (token == null ? v.path("access").path("token").isMissingNode() : v.path("access").path("token").asText().equals(token))),
                "a record of route " + route + ", view " + view + ", token " + token + " among " + views);
    }

    @Test
    void theAdministratorReadsThemInTheAuditApiAndThroughThePage() throws Exception {
        String id = seeded().incidentId;
        assertEquals(200, api().get("/api/incidents/" + id, "compliance").statusCode());
        refreshAudit();
        JsonNode views = api().json("/api/admin/audit?action=incidents.view&size=200", "admin");
        assertTrue(views.path("total").asLong() >= 1);
        views.path("events").forEach(e -> assertEquals("incidents.view", e.path("action").asText(), "filtered by action"));
        JsonNode newest = views.path("events").get(0);
        assertEquals(id, newest.path("incident").path("id").asText());
        assertEquals("compliance", newest.path("user").asText());
        assertTrue(newest.path("timestamp").asText().endsWith("Z"), newest.toString());

        FormSession admin = FormSession.signIn(port, "admin");
        HttpResponse<String> page = admin.get("/admin/audit");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("value=\"incidents.view\""), "the audit page filters by action");
        HttpResponse<String> source = admin.get("/ui/api/admin/audit?action=incidents.view&size=5");
        assertEquals(200, source.statusCode(), source.body());
        assertEquals(id, ApiClient.parse(source.body()).path("events").get(0).path("incident").path("id").asText());

        JsonNode exports = api().json("/api/admin/audit?action=incidents.export&size=200", "admin");
        exports.path("events").forEach(e -> assertEquals("incidents.export", e.path("action").asText()));
        assertEquals(400, api().get("/api/admin/audit?action=incidents.delete", "admin").statusCode(), "an unknown action is named");
    }

    @Test
    void aRefusedReadingReadsNothingAndRecordsNothing() throws Exception {
        String id = seeded().incidentId;
        for (String user : List.of("operator", "admin")) {
            assertEquals(403, api().get("/api/incidents/" + id, user).statusCode(), user);
            assertEquals(403, api().get("/api/incidents/" + id + "/evidence", user).statusCode(), user);
            assertEquals(403, FormSession.signIn(port, user).get("/incidents/" + id).statusCode(), user);
        }
        refreshAudit();
        List<JsonNode> refused = views(e -> !e.path("user").asText().equals("compliance") && !e.path("user").asText().equals("both"));
        assertEquals(List.of(), refused, "only people with COMPLIANCE ever have a reading on record");
        // nor an incident that is not there, or a malformed id
        int before = views(e -> true).size();
        assertEquals(404, api().get("/api/incidents/" + "0".repeat(32), "compliance").statusCode());
        assertEquals(400, api().get("/api/incidents/nope", "compliance").statusCode());
        assertEquals(before, views(e -> true).size());
    }

    @Test
    void withoutTheAuditLogTheEvidenceIsNotGiven() throws Exception {
        String id = seeded().incidentId;
        assertEquals(200, api().get("/api/incidents/" + id, "compliance").statusCode(), "the audit index exists");
        FormSession page = FormSession.signIn(port, "compliance");
        blockAuditWrites(true);
        try {
            for (String path : List.of("/api/incidents/" + id, "/api/incidents/" + id + "/evidence")) {
                HttpResponse<String> r = api().get(path, "compliance");
                assertEquals(503, r.statusCode(), r.body());
                assertEquals("incident " + id + " is not shown: reading incident evidence is recorded in the audit log first, and the "
                        + "audit log (Elasticsearch) did not take the record. Try again later, or ask an administrator to check the audit index.",
                        ApiClient.parse(r.body()).path("error").asText());
                assertNoEvidence(r.body());
            }
            HttpResponse<String> shown = page.get("/incidents/" + id);
            assertEquals(503, shown.statusCode());
            assertTrue(shown.body().contains("Incident data not shown"), shown.body());
            assertNoEvidence(shown.body());
            HttpResponse<String> bridged = page.get("/ui/api/incidents/" + id + "/evidence");
            assertEquals(503, bridged.statusCode());
            assertNoEvidence(bridged.body());
        } finally {
            blockAuditWrites(false);
        }
        assertEquals(200, api().get("/api/incidents/" + id, "compliance").statusCode(), "shown again once the audit log takes records");
    }

    @Test
    void eachPageOfTheIncidentListIsRecordedWithFilterPageAndRows() throws Exception {
        JsonNode token = ApiClient.parse(api().send("POST", "/api/admin/tokens?username=compliance&label=list-audit",
                ApiClient.basic("admin")).body());
        int before = records("incidents.list", e -> true).size();
        Instant since = Instant.now(); // the context's other tests list incidents too

        JsonNode basic = api().json("/api/incidents?severity=high&size=2", "compliance");
        assertTrue(basic.path("incidents").size() >= 1, basic.toString());
        HttpResponse<String> withToken = api().send("GET", "/api/incidents?page=1&size=1", "Bearer " + token.path("token").asText());
        assertEquals(200, withToken.statusCode(), withToken.body());
        FormSession session = FormSession.signIn(port, "compliance");
        HttpResponse<String> listPage = session.get("/incidents?subscriber=" + seeded().subscriber);
        assertEquals(200, listPage.statusCode());
        assertTrue(listPage.body().contains(seeded().subscriber), "the page lists the subscriber's incidents");
        assertEquals(200, session.get("/ui/api/incidents?hash=" + SeededElasticsearch.A1).statusCode());

        List<JsonNode> lists = records("incidents.list", e -> e.path("user").asText().equals("compliance")
                && !Instant.parse(e.path("timestamp").asText()).isBefore(since));
        assertEquals(before + 4, records("incidents.list", e -> true).size(), "one record per page read: " + lists);
        JsonNode api = only(lists, "api", "{\"severity\":\"high\"}", null);
        assertEquals(0, api.path("search").path("page").asInt());
        assertEquals(2, api.path("search").path("size").asInt());
        assertEquals(basic.path("incidents").size(), api.path("search").path("rows").asInt(), "the rows shown");
        assertEquals(basic.path("total").asLong(), api.path("search").path("total").asLong(), "the rows matching");
        JsonNode tokened = only(lists, "api", "{}", token.path("id").asText());
        assertEquals(1, tokened.path("search").path("page").asInt());
        JsonNode page = only(lists, "page", "{\"subscriber\":\"" + seeded().subscriber + "\"}", null);
        assertEquals(25, page.path("search").path("size").asInt(), "the page's own page size");
        only(lists, "ui-api", "{\"hash\":\"" + SeededElasticsearch.A1 + "\"}", null);
        for (JsonNode l : lists) {
            assertEquals("[\"COMPLIANCE\"]", l.path("roles").toString());
            // the question asked and the size of the answer, not the answer: no pseudonym or hash beyond the filter's own
            assertTrue(l.path("incident").isMissingNode() && l.path("incidents").isMissingNode(), l.toString());
            if (!l.path("search").path("filter").has("subscriber")) {
                assertFalse(l.toString().contains(seeded().subscriber), l.toString());
            }
            if (!l.path("search").path("filter").has("hash")) {
                assertFalse(l.toString().contains(SeededElasticsearch.A1), l.toString());
            }
        }
    }

    /** The one list record of {@code route}, {@code token} (null: none) with exactly the filter {@code filterJson}. */
    private static JsonNode only(List<JsonNode> lists, String route, String filterJson, String token) {
        List<JsonNode> found = lists.stream().filter(l -> l.path("access").path("route").asText().equals(route)
                && l.path("search").path("filter").toString().equals(filterJson)
                && (token == null ? l.path("access").path("token").isMissingNode() : l.path("access").path("token").asText().equals(token)))
                .toList();
        assertEquals(1, found.size(), "one list record of route " + route + ", filter " + filterJson + ", token " + token + " among " + lists);
        return found.get(0);
    }

    @Test
    void aRefusedListReadRecordsNothing() throws Exception {
        for (String user : List.of("operator", "admin")) {
            assertEquals(403, api().get("/api/incidents", user).statusCode(), user);
            assertEquals(403, FormSession.signIn(port, user).get("/incidents").statusCode(), user);
        }
        int before = records("incidents.list", e -> true).size();
        assertEquals(List.of(), records("incidents.list", e -> !e.path("user").asText().equals("compliance") && !e.path("user").asText().equals("both")),
                "only people with COMPLIANCE ever have a list reading on record");
        assertEquals(400, api().get("/api/incidents?severity=nope", "compliance").statusCode());
        assertEquals(400, api().get("/api/incidents?size=5000", "compliance").statusCode());
        assertEquals(before, records("incidents.list", e -> true).size(), "a malformed request reads nothing and records nothing");
    }

    @Test
    void withoutTheAuditLogTheIncidentListIsNotGiven() throws Exception {
        assertEquals(200, api().get("/api/incidents", "compliance").statusCode(), "the audit index exists");
        FormSession page = FormSession.signIn(port, "compliance");
        blockAuditWrites(true);
        try {
            HttpResponse<String> r = api().get("/api/incidents", "compliance");
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("the incident list is not shown: reading the incident list is recorded in the audit log first, and the "
                    + "audit log (Elasticsearch) did not take the record. Try again later, or ask an administrator to check the audit index.",
                    ApiClient.parse(r.body()).path("error").asText());
            assertNoEvidence(r.body());
            HttpResponse<String> shown = page.get("/incidents");
            assertEquals(503, shown.statusCode());
            assertTrue(shown.body().contains("Incident data not shown"), shown.body());
            assertNoEvidence(shown.body());
            HttpResponse<String> bridged = page.get("/ui/api/incidents");
            assertEquals(503, bridged.statusCode());
            assertNoEvidence(bridged.body());
        } finally {
            blockAuditWrites(false);
        }
        assertEquals(200, api().get("/api/incidents", "compliance").statusCode(), "shown again once the audit log takes records");
    }

    private static void assertNoEvidence(String body) {
        assertFalse(body.contains(seeded().subscriber) || body.contains(SeededElasticsearch.A1), body);
    }

    /** The incidents.view records matching {@code which}, newest first, after a refresh of the audit index. */
    private List<JsonNode> views(Predicate<JsonNode> which) throws Exception {
        return records("incidents.view", which);
    }

    private List<JsonNode> records(String action, Predicate<JsonNode> which) throws Exception {
        return AuditIndex.records(api(), action, which);
    }

    private static void refreshAudit() throws Exception {
        AuditIndex.refresh();
    }

    private static void blockAuditWrites(boolean block) throws Exception {
        AuditIndex.blockWrites(block);
    }
}
