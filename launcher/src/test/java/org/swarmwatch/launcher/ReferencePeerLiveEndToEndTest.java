package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.classifier.consume.Classifier;
import org.swarmwatch.classifier.consume.ConsumerSettings;
import org.swarmwatch.classifier.consume.OutputTopics;
import org.swarmwatch.classifier.incident.IncidentBuilder;
import org.swarmwatch.classifier.incident.IncidentPolicy;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.index.ElasticsearchSettings;
import org.swarmwatch.classifier.lists.ListDirectory;
import org.swarmwatch.classifier.lists.ListLimits;
import org.swarmwatch.classifier.lists.ListLoader;
import org.swarmwatch.classifier.lists.SignaturePolicy;
import org.swarmwatch.classifier.lists.TrustedKeys;
import org.swarmwatch.classifier.match.ListCatalog;
import org.swarmwatch.embedded.EmbeddedElasticsearch;
import org.swarmwatch.embedded.EmbeddedKafka;
import org.swarmwatch.peer.session.PeerConfig;
import org.swarmwatch.peer.session.TorrentSession;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.tracker.LocalTracker;

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
            OutputTopics.ensure(topics, 3, (short) 1, 30_000);
            ListCatalog catalog = new ListCatalog();
            try (Elastic elastic = new Elastic(ElasticsearchSettings.of(URI.create(engine.url())).withReplicas(0));
                    ListDirectory directory = new ListDirectory(lists, new ListLoader(TrustedKeys.none(), SignaturePolicy.OPTIONAL,
                            ListLimits.DEFAULTS, Clock.systemUTC()), Clock.systemUTC())) {
                elastic.ensureTemplates();
                directory.addListener(catalog);
                directory.scan();
                Classifier classifier = new Classifier(topics, elastic, new IncidentBuilder(catalog, IncidentPolicy.DEFAULT, elastic, 100, 1000),
                        new SimpleMeterRegistry());
                Thread loop = new Thread(classifier, "classifier");
                loop.start();
                ElasticsearchClient client = elastic.client();
                List<JsonNode> incidents = List.of();
                long deadline = System.currentTimeMillis() + 60_000;
                try {
                    while (System.currentTimeMillis() < deadline) {
                        elastic.refresh();
                        SearchResponse<ObjectNode> found = client.search(s -> s.index("swarmwatch-incidents").ignoreUnavailable(true).size(10), ObjectNode.class);
                        incidents = found.hits().hits().stream().map(Hit::source).map(n -> n.path("swarmwatch").path("incident"))
                                .map(JsonNode.class::cast).toList();
                        if (!incidents.isEmpty() && incidents.get(0).path("seen_in").toString().contains("handshake")) {
                            break;
                        }
                        Thread.sleep(500);
                    }
                } finally {
                    classifier.close();
                    loop.join(30_000);
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
