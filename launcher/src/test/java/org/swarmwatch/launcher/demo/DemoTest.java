package org.swarmwatch.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a newcomer gets it, minus the browser: every component started on embedded
 * defaults, the lab captures replayed as live traffic, and within a minute or two the dashboard
 * serves incidents for the content the signed demo list claims, and traffic in the default time
 * range; its one-time passwords reach no log file; closing it ends every process it started.
 */
class DemoTest {
    private static final Path ROOT = Path.of(System.getProperty("swarmwatch.root", "."));
    private static final Path LAB = ROOT.resolve("../shared/bt-captures/pcaps").normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDashboardShowsIncidentsAndTrafficFromTheReplayedCaptures(@TempDir Path dir) throws Exception {
        Path captures = Files.createDirectories(dir.resolve("captures"));
        // two short captures, each with a seeder of listed content: a1 (TCP, 14 s) and c1 (uTP, 4 s)
        for (String name : List.of("a1_tcp_plain_transmission_libtorrent.pcap", "c1_utp_libtorrent.pcap")) {
            Files.copy(LAB.resolve(name), captures.resolve(name));
        }
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<Long> pids;
        try (Demo demo = Demo.start(new Demo.Settings(ROOT, captures, dir.resolve("demo"), 0, "1x"),
                new PrintStream(progress, true, StandardCharsets.UTF_8))) {
            pids = demo.pids();
            assertEquals(Set.of("operator", "compliance", "admin"), demo.passwords().keySet());
            assertEquals(List.of("classifier", "probe", "dashboard"), demo.components());
            String text = progress.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("[3/3]") && text.contains("dashboard at http://localhost:"), text);

            JsonNode incidents = awaitIncidents(demo, Set.of("d6c134aa85e608ef5cd9c3b13e050231dc14fb38",
                    "c60b205697fac1751e4c939704bdfc2c7c64fbfb"));
            // the claim comes from the signed demo list, the role from what the seeder did
            Map<String, JsonNode> byHash = StreamSupport.stream(incidents.path("incidents").spliterator(), false)
                    .collect(Collectors.toMap(i -> i.path("hash").asText(), i -> i, (a, b) -> a));
            JsonNode seeded = byHash.getOrDefault("d6c134aa85e608ef5cd9c3b13e050231dc14fb38", byHash.get("c60b205697fac1751e4c939704bdfc2c7c64fbfb"));
            assertTrue(Set.of("Harbour Lights (2025 feature film)", "Glass Orchard (album)").contains(seeded.path("title").asText()),
                    seeded.toPrettyString());
            assertEquals("Northwind Pictures", seeded.path("rights_holder").asText());
            assertEquals("demo-northwind", seeded.path("list_id").asText());

            // the replay stamps frames with the time they are replayed: the default range (recent) has
            // traffic once the probe's first stats record (every 10 s) has been indexed
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            JsonNode traffic;
            long bytes;
            do {
                traffic = get(demo, "operator", "api/traffic");
                bytes = 0;
                for (JsonNode bucket : traffic.path("buckets")) {
                    bytes += bucket.path("bytes").asLong();
                }
                if (bytes == 0) {
                    Thread.sleep(1_000);
                }
            } while (bytes == 0 && System.nanoTime() < deadline);
            assertTrue(bytes > 0, "no traffic in the default range within 90 s: " + traffic);

            // the passwords were shown once (here) and are in no log
            for (Path log : List.of("classifier.log", "probe.log", "dashboard.log").stream().map(dir.resolve("demo/logs")::resolve).toList()) {
                String content = Files.readString(log);
                for (String password : demo.passwords().values()) {
                    assertFalse(content.contains(password), log + " holds a one-time password");
                }
            }
            assertEquals(null, demo.ended(), "a component stopped by itself");
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still runs after close");
        }
    }

    /** Polls the incident list as the compliance user until an incident for one of {@code hashes} is there. */
    private JsonNode awaitIncidents(Demo demo, Set<String> hashes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(demo, "compliance", "api/incidents");
            for (JsonNode incident : last.path("incidents")) {
                if (hashes.contains(incident.path("hash").asText())) {
                    return last;
                }
            }
            assertNotNull(demo.dashboard());
            assertEquals(null, demo.ended(), "a component stopped by itself");
            Thread.sleep(1_000);
        }
        throw new AssertionError("no incident for " + hashes + " within 150 s; last answer: " + last);
    }

    private JsonNode get(Demo demo, String user, String path) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + demo.passwords().get(user)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(demo.dashboard().resolve(path))
                .header("Authorization", "Basic " + credentials).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + " as " + user + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
