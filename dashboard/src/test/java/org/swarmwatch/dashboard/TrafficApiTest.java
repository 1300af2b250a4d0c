package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator's API on the seeded engine: capture a1's traffic, its subscriber, the probe. */
class TrafficApiTest extends DashboardTest {

    private String range() {
        Instant from = seeded().earliest.truncatedTo(ChronoUnit.HOURS);
        Instant to = seeded().latest.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        return "from=" + from + "&to=" + to;
    }

    @Test
    void trafficByProtocolOverTime() {
        JsonNode r = api().json("/api/traffic?" + range() + "&interval=1m", "operator");
        assertTrue(r.path("protocols").toString().contains("\"bittorrent\""), r.toString());
        long p2p = 0, total = 0;
        for (JsonNode b : r.path("buckets")) {
            p2p += b.path("p2p_bytes").asLong();
            total += b.path("bytes").asLong();
            double share = b.path("p2p_share").asDouble();
            assertTrue(share >= 0 && share <= 1, b.toString());
            assertEquals(b.path("protocols").path("bittorrent").path("bytes").asLong(), b.path("p2p_bytes").asLong(),
                    "BitTorrent is the only P2P protocol in a1: " + b);
        }
        assertEquals(60, r.path("buckets").size(), "one bucket a minute, empty ones included");
        assertTrue(p2p > 1_000_000, "the 1 MB file went through: " + p2p);
        assertTrue(total >= p2p);
    }

    @Test
    void topSubscribersArePseudonyms() {
        JsonNode r = api().json("/api/subscribers/top?" + range() + "&size=5", "operator");
        JsonNode subs = r.path("subscribers");
        assertEquals(1, subs.size(), "a1 has one subscriber, the seeder: " + r);
        JsonNode top = subs.get(0);
        assertEquals(seeded().subscriber, top.path("subscriber").asText());
        assertTrue(top.path("bytes_sent").asLong() > 1_000_000, "the seeder sent the file: " + top);
        assertEquals(top.path("bytes").asLong(), top.path("bytes_sent").asLong() + top.path("bytes_received").asLong());
        subs.forEach(s -> assertTrue(s.path("subscriber").asText().startsWith("sub_"), s.toString()));
        assertFalse(r.toString().contains("10.77.0.11"), "never an address in clear");
    }

    @Test
    void trafficOfOneProbeAndOneLink() {
        JsonNode all = api().json("/api/traffic?" + range() + "&interval=1h", "operator");
        assertEquals(1, all.path("probes").size(), "the pickers' probes: " + all.path("probes"));
        assertEquals(1, all.path("links").size(), "the pickers' links: " + all.path("links"));
        String probe = all.path("probes").get(0).asText();
        String link = all.path("links").get(0).asText();
        assertTrue(link.endsWith("a1_tcp_plain_transmission_libtorrent.pcap"), "the replayed capture is the link: " + link);
        long total = sum(all);
        assertTrue(total > 1_000_000, all.toString());
        String q = "/api/traffic?" + range() + "&interval=1h&probe=" + enc(probe) + "&link=" + enc(link);
        JsonNode selected = api().json(q, "operator");
        assertEquals(total, sum(selected), "the only probe and link carry all of it");
        assertEquals(probe, selected.path("probe").asText());
        JsonNode other = api().json("/api/traffic?" + range() + "&interval=1h&probe=no-such-probe", "operator");
        assertEquals(0, sum(other), "another probe saw nothing: " + other);
        assertEquals(all.path("probes"), other.path("probes"), "the pickers list every probe of the range, whatever the selection");
        assertEquals(0, sum(api().json("/api/traffic?" + range() + "&interval=1h&link=eth9", "operator")), "another link carried nothing");
    }

    private static long sum(JsonNode traffic) {
        long bytes = 0;
        for (JsonNode b : traffic.path("buckets")) {
            bytes += b.path("bytes").asLong();
        }
        return bytes;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void probeHealth() {
        JsonNode probes = api().json("/api/probes", "operator").path("probes");
        assertEquals(1, probes.size(), probes.toString());
        JsonNode p = probes.get(0);
        assertFalse(p.path("observer").asText().isEmpty());
        assertTrue(p.path("packets").asLong() > 0, p.toString());
        // the export counters of the probe's Kafka export, read at the capture's end (records may still be spooled then)
        assertTrue(p.path("export_produced").asLong() + p.path("export_spool_bytes").asLong() > 0, "the export counters came through: " + p);
        assertEquals(0, p.path("capture_dropped").asLong());
        assertTrue(p.has("export_spool_bytes"));
    }

    @Test
    void operatorAnswersCarryNoIncidentEvidence() {
        List<String> bodies = List.of(api().get("/api/traffic?" + range() + "&interval=5m", "operator").body(),
                api().get("/api/subscribers/top?" + range(), "operator").body(), api().get("/api/probes", "operator").body());
        for (String body : bodies) {
            for (String evidence : List.of("incident", SeededElasticsearch.A1, "Test Film", "Studio A", "rights_holder", "title", "hash",
                    seeded().incidentId, "severity", "10.77.0.11")) {
                assertFalse(body.contains(evidence), "'" + evidence + "' in an operator's answer: " + body);
            }
        }
    }

    @Test
    void emptyRangeGivesEmptyAnswers() {
        JsonNode r = api().json("/api/subscribers/top?from=2001-01-01&to=2001-01-02", "operator");
        assertEquals(0, r.path("subscribers").size());
        JsonNode t = api().json("/api/traffic?from=2001-01-01&to=2001-01-02&interval=1h", "operator");
        assertEquals(24, t.path("buckets").size());
        t.path("buckets").forEach(b -> assertEquals(0, b.path("bytes").asLong()));
    }

    @ParameterizedTest(name = "{0}: 400 naming {1}")
    @CsvSource({
        "/api/traffic?interval=bogus, interval",
        "/api/traffic?interval=0h, interval",
        "/api/traffic?interval=1s, interval",
        "/api/traffic?from=soon, from",
        "/api/traffic?from=2026-11-02&to=2026-11-01, from",
        "/api/subscribers/top?size=0, size",
        "/api/subscribers/top?size=101, size",
        "/api/subscribers/top?size=ten, size",
        "/api/subscribers/top?to=later, to"})
    void badParametersAreNamed(String path, String parameter) {
        HttpResponse<String> r = api().get(path, "operator");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(parameter, ApiClient.parse(r.body()).path("parameter").asText(), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/traffic", "/api/subscribers/top", "/api/probes"})
    void defaultsWork(String path) {
        assertEquals(200, api().get(path, "admin").statusCode());
    }
}
