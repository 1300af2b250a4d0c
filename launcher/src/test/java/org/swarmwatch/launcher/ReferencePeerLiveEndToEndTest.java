package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.classifier.consume.ConsumerSettings;
import org.swarmwatch.embedded.EmbeddedElasticsearch;
import org.swarmwatch.embedded.EmbeddedKafka;

/**
 * Known traffic, live: a reference peer on 127.0.0.1 seeds a file to another on 127.0.0.2
 * through the local tracker, the probe captures it live on the loopback interface (libpcap) and
 * streams it to a real broker, the classifier matches the torrent's infohash against a list and
 * writes to a real engine: exactly one incident, for the seeder (the only subscriber), offering,
 * with the upload in its evidence. (The leecher's tracker announces come from 127.0.0.1 too: the
 * JDK's HTTP client cannot choose its source address, so they count for the same subscriber as
 * fetching; the peer-wire connection comes from 127.0.0.2.) Needs root for the live capture (CI runs as root); all traffic
 * stays on 127.0.0.0/8.
 */
class ReferencePeerLiveEndToEndTest {

    @Test
    void seedingCapturedLiveMakesTheExpectedIncident(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka")).start();
                EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es")).start()) {
            Scenario.Result scenario = Scenario.seedAndLeech(dir, "r1_tcp_plain_reference_peers", 1_500_000, List.of("--kafka",
                    kafka.bootstrapServers(), "--kafka-partitions", "3", "--spool-dir", dir.resolve("spool").toString()));
            assertEquals(0, scenario.captureExit(), "the capture ended cleanly");
            assertTrue(java.util.Arrays.equals(scenario.content(), Files.readAllBytes(scenario.leeched())), "the leecher got the file");
            String infohash = scenario.infohash();
            byte[] content = scenario.content();
            Path lists = Files.createDirectories(dir.resolve("lists"));
            Files.writeString(lists.resolve("studio.csv"), "hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action\n"
                    + infohash + ",btih_v1,A Reference Film,Studio R,studio-r,,,incident\n");

            // the pcap the capture wrote holds the same traffic: replayed, it shows the seeder's handshake
            Path replayed = dir.resolve("replayed.jsonl");
            assertEquals(0, Swarmwatch.execute("replay", "--quiet", "--out", replayed.toString(), scenario.pcap().toString()));
            assertTrue(Files.readAllLines(replayed).stream().anyMatch(l -> l.contains("\"hash\":\"" + infohash + "\"")
                    && l.contains("\"seen_in\":\"handshake\"") && l.contains("\"role\":\"offering\"")), "the pcap replays to the same evidence");
            // and its manifest is one eval reads
            assertEquals(0, Swarmwatch.execute("eval", dir.toString(), "--manifest", scenario.manifest().toString()));

            ConsumerSettings topics = ConsumerSettings.of(kafka.bootstrapServers());
            try (RunningClassifier classifier = RunningClassifier.start(topics, engine.url(), lists)) {
                List<JsonNode> incidents = List.of();
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    incidents = classifier.incidents();
                    if (!incidents.isEmpty() && incidents.get(0).path("seen_in").toString().contains("handshake")) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertEquals(1, incidents.size(), "one incident, for the seeder: " + incidents);
                JsonNode in = incidents.get(0);
                assertEquals(infohash, in.path("hash").asText());
                assertEquals("A Reference Film", in.path("title").asText());
                assertEquals("offering", in.path("role").asText());
                assertEquals("high", in.path("severity").asText());
                assertTrue(in.path("seen_in").toString().contains("handshake") && in.path("seen_in").toString().contains("http_tracker"),
                        in.toString());
                assertTrue(in.path("bytes_uploaded").asLong() >= content.length, "the seeder uploaded the file: " + in);
                assertTrue(in.path("seeder").asBoolean(), in.toString());
            }
        }
    }
}
