package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compliance API on the seeded engine: the pipeline's incident (a1's seeder offering the
 * listed film) and five derived ones (SeededElasticsearch).
 */
class IncidentApiTest extends DashboardTest {

    private long total(String query) {
        return api().json("/api/incidents?" + query, "compliance").path("total").asLong();
    }

    @Test
    void thePipelinesIncidentWithItsEvidence() {
        JsonNode in = api().json("/api/incidents/" + seeded().incidentId, "compliance");
        assertEquals(SeededElasticsearch.A1, in.path("hash").asText());
        assertEquals("Test Film One", in.path("title").asText());
        assertEquals("Studio A", in.path("rights_holder").asText());
        assertEquals("high", in.path("severity").asText());
        assertEquals("offering", in.path("role").asText());
        assertTrue(in.path("seeder").asBoolean());
        assertTrue(in.path("bytes_uploaded").asLong() > 1_000_000, in.toString());
        assertEquals(seeded().subscriber, in.path("subscriber").asText());
        assertTrue(seeded().subscriber.startsWith("sub_"));
        assertEquals(seeded().lastSeen, Instant.parse(in.path("last_seen").asText()));
        assertFalse(in.has("applied") || in.has("counted_segments"), "the classifier's bookkeeping is not evidence: " + in);
    }

    @Test
    void evidenceTimelineOfTheObservations() {
        JsonNode e = api().json("/api/incidents/" + seeded().incidentId + "/evidence", "compliance");
        JsonNode in = api().json("/api/incidents/" + seeded().incidentId, "compliance");
        JsonNode obs = e.path("observations");
        assertEquals(in.path("observations").asLong(), e.path("total").asLong(), "as many as the incident counted: " + e);
        assertEquals(obs.size(), e.path("total").asInt());
        String previous = "";
        for (JsonNode o : obs) {
            assertEquals(seeded().subscriber, o.path("subscriber").asText(), "the subscriber's own observations: " + o);
            assertEquals(SeededElasticsearch.A1, o.path("hash").asText());
            assertTrue(o.path("timestamp").asText().compareTo(previous) >= 0, "oldest first: " + obs);
            previous = o.path("timestamp").asText();
        }
        assertTrue(obs.toString().contains("\"handshake\""), "the handshake that offered the content: " + obs);
        assertFalse(obs.toString().contains("10.77.0.11"), "the subscriber never in clear: " + obs);
        assertEquals(1, api().json("/api/incidents/" + seeded().incidentId + "/evidence?size=1", "compliance").path("observations").size());
        assertEquals(404, api().get("/api/incidents/" + "0".repeat(32) + "/evidence", "compliance").statusCode());
        assertEquals(400, api().get("/api/incidents/" + seeded().incidentId + "/evidence?size=0", "compliance").statusCode());
    }

    @Test
    void allIncidentsLastSeenFirst() {
        JsonNode r = api().json("/api/incidents", "compliance");
        assertEquals(1 + SeededElasticsearch.DERIVED, r.path("total").asLong());
        List<Instant> seen = new ArrayList<>();
        r.path("incidents").forEach(i -> seen.add(Instant.parse(i.path("last_seen").asText())));
        assertEquals(seeded().lastSeen, seen.get(0));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).isBefore(seen.get(i - 1)), "sorted by last seen: " + seen);
        }
    }

    @Test
    void filters() {
        assertEquals(1, total("rightsHolder=Studio%20A"));
        assertEquals(5, total("rightsHolder=Studio%20B"));
        assertEquals(0, total("rightsHolder=Studio"), "rights holders match exactly");
        assertEquals(6, total("title=film%20one"), "titles match by words");
        assertEquals(0, total("title=film%20two"));
        assertEquals(6, total("hash=" + SeededElasticsearch.A1.toUpperCase()), "hashes in either case");
        assertEquals(0, total("hash=" + "0".repeat(40)));
        assertEquals(1, total("subscriber=" + seeded().subscriber));
        assertEquals(1, total("severity=high"));
        assertEquals(5, total("severity=low"));
        assertEquals(0, total("severity=medium"));
        double confidence = api().json("/api/incidents/" + seeded().incidentId, "compliance").path("confidence").asDouble();
        assertEquals(5 + (confidence >= 0.5 ? 1 : 0), total("minConfidence=0.5"));
        assertEquals(confidence >= 0.51 ? 1 : 0, total("minConfidence=0.51"));
        Instant cut = seeded().lastSeen.minusSeconds(9000); // 2.5 h: the real one and derived ones 1 and 2 are newer
        assertEquals(3, total("from=" + cut));
        assertEquals(3, total("to=" + cut));
        assertEquals(1, total("from=" + cut + "&severity=low&rightsHolder=Studio%20B&to=" + seeded().lastSeen.minusSeconds(5400)));
    }

    @Test
    void paging() {
        List<String> ids = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonNode r = api().json("/api/incidents?size=2&page=" + page, "compliance");
            assertEquals(6, r.path("total").asLong());
            assertEquals(2, r.path("incidents").size());
            r.path("incidents").forEach(i -> ids.add(i.path("id").asText()));
        }
        assertEquals(6, new HashSet<>(ids).size(), "no incident twice: " + ids);
        assertEquals(seeded().incidentId, ids.get(0));
        assertEquals(0, api().json("/api/incidents?size=2&page=3", "compliance").path("incidents").size());
    }

    @ParameterizedTest(name = "{0}: 400 naming {1}")
    @CsvSource({
        "severity=bogus, severity",
        "size=0, size",
        "size=201, size",
        "size=many, size",
        "page=-1, page",
        "page=100&size=100, page",
        "from=yesterday, from",
        "to=2026-13-01, to",
        "from=2026-11-02&to=2026-11-01, from",
        "minConfidence=abc, minConfidence",
        "minConfidence=2, minConfidence",
        "hash=zz, hash",
        "rightsHolder=, rightsHolder"})
    void badParametersAreNamed(String query, String parameter) {
        HttpResponse<String> r = api().get("/api/incidents?" + query, "compliance");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(parameter, ApiClient.parse(r.body()).path("parameter").asText(), r.body());
        assertFalse(r.body().contains("Exception"), r.body());
    }

    @Test
    void detailErrors() {
        HttpResponse<String> missing = api().get("/api/incidents/" + "0".repeat(32), "compliance");
        assertEquals(404, missing.statusCode(), missing.body());
        HttpResponse<String> malformed = api().get("/api/incidents/not-an-id", "compliance");
        assertEquals(400, malformed.statusCode());
        assertEquals("id", ApiClient.parse(malformed.body()).path("parameter").asText());
    }

    @Test
    void listVersions() {
        JsonNode r = api().json("/api/lists", "compliance");
        assertEquals(1, r.path("total").asLong(), r.toString());
        JsonNode e = r.path("events").get(0);
        assertEquals("loaded", e.path("action").asText());
        assertEquals("studio-a", e.path("list").path("id").asText());
        assertEquals(1, e.path("list").path("incident_entries").asLong());
        assertEquals(64, e.path("list").path("sha256").asText().length());
    }
}
