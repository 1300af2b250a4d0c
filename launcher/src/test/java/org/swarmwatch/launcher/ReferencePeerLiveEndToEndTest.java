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

    /** A peer of its own (its own peer id), bound to {@code address}, contacting loopback only. */
    static PeerConfig peer(InetAddress address) {
        return PeerConfig.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1))
                .withBindAddress(address, InetAddress::isLoopbackAddress);
    }

    @Test
    void seedingCapturedLiveMakesTheExpectedIncident(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        Path seed = Files.createDirectories(dir.resolve("seed")), leech = Files.createDirectories(dir.resolve("leech"));
        byte[] content = new byte[1_500_000];
        new Random(42).nextBytes(content);
        Files.write(seed.resolve("film.bin"), content);
        InetAddress seederAddress = InetAddress.getByName("127.0.0.1"), leecherAddress = InetAddress.getByName("127.0.0.2");
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka")).start();
                EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es")).start();
                LocalTracker tracker = LocalTracker.start(seederAddress, 0, 1)) {
            Metainfo meta = Metainfo.parse(TorrentBuilder.create(seed.resolve("film.bin"), TorrentBuilder.Version.V1, 32768,
                    tracker.announceUrl()).metainfo());
            String infohash = HexFormat.of().formatHex(meta.infoHash());
            Path lists = Files.createDirectories(dir.resolve("lists"));
            Files.writeString(lists.resolve("studio.csv"), "hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action\n"
                    + infohash + ",btih_v1,A Reference Film,Studio R,studio-r,,,incident\n");
            int trackerPort = URI.create(tracker.announceUrl()).getPort();
            try (TorrentSession seeder = TorrentSession.start(meta, seed, peer(seederAddress))) {
                String filter = "tcp and (port " + trackerPort + " or port " + seeder.address().getPort() + ")";
                CompletableFuture<Integer> capture = CompletableFuture.supplyAsync(() -> Swarmwatch.execute("capture", "--interface", "lo",
                        "--filter", filter, "--duration", "10s", "--quiet", "--subscriber-net", "127.0.0.1/32", "--kafka",
                        kafka.bootstrapServers(), "--kafka-partitions", "3", "--spool-dir", dir.resolve("spool").toString()));
                Thread.sleep(2500); // libpcap open, Kafka topics checked
                try (TorrentSession leecher = TorrentSession.start(meta, leech, peer(leecherAddress))) {
                    assertTrue(leecher.awaitComplete(Duration.ofSeconds(20)), "the leecher got the file; tracker saw " + tracker.seen()
                            + "; leecher connections " + leecher.connectionCount() + ", seeder uploaded " + seeder.uploaded());
                    Thread.sleep(1500); // a last announce each
                }
                assertEquals(0, capture.get(60, TimeUnit.SECONDS), "the capture ended cleanly");
            }
            assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(leech.resolve("film.bin"))));

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
