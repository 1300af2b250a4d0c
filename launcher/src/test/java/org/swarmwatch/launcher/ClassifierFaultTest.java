package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.classifier.consume.ConsumerSettings;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.index.ElasticsearchSettings;
import org.swarmwatch.embedded.EmbeddedElasticsearch;
import org.swarmwatch.embedded.EmbeddedKafka;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.RecordCodec;

/**
 * The classifier's faults, on real parts: the {@code swarmwatch classifier} command killed
 * (SIGKILL) in mid-stream and another classifier started after it, then Elasticsearch stopped
 * for 30 s while records keep coming: every record ends up in Elasticsearch exactly once, and the
 * group's committed offsets reach the end.
 */
class ClassifierFaultTest {
    static final int N = 30_000;

    @Test
    void killedMidStreamAndElasticsearchAway30sLoseNothingAndDuplicateNothing(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path lists = Files.createDirectories(dir.resolve("lists"));
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka")).start();
                EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es"), port).start()) {
            ConsumerSettings topics = ConsumerSettings.of(kafka.bootstrapServers());
            kafka.createTopics(3, topics.observations(), topics.flows(), topics.stats());
            produce(kafka.bootstrapServers(), topics, 1, N);

            // the command, in its own JVM, killed once it has written some but not all
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), Swarmwatch.class.getName(), "classifier", "--kafka", kafka.bootstrapServers(),
                    "--elasticsearch", engine.url(), "--es-replicas", "0", "--lists", lists.toString(), "--unsigned-lists",
                    "--kafka-partitions", "3").redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            ElasticsearchSettings es = ElasticsearchSettings.of(URI.create(engine.url())).withReplicas(0);
            long atKill;
            try (Elastic elastic = new Elastic(es)) {
                long deadline = System.currentTimeMillis() + 90_000;
                while (count(elastic) < 4000 && System.currentTimeMillis() < deadline && child.isAlive()) {
                    Thread.sleep(50);
                }
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                atKill = count(elastic);
            } finally {
                child.destroyForcibly();
            }
            assertTrue(atKill >= 4000 && atKill < N, "killed in mid-stream: " + atKill + " of " + N + " written; log: "
                    + Files.readString(dir.resolve("child.log")));

            try (RunningClassifier next = RunningClassifier.start(topics, engine.url(), lists)) {
                // more records while Elasticsearch is stopped for 30 s
                long caughtUp = System.currentTimeMillis() + 120_000;
                while (kafka.committedTotal(topics.groupId()) < N && System.currentTimeMillis() < caughtUp) {
                    Thread.sleep(100);
                }
                assertEquals(N, kafka.committedTotal(topics.groupId()), "the next classifier went on from the kill");
                engine.stop();
                produce(kafka.bootstrapServers(), topics, N + 1, 2 * N);
                Thread.sleep(30_000);
                assertTrue(kafka.committedTotal(topics.groupId()) < 2 * N, "nothing past what was written is committed");
                engine.start();
                long deadline = System.currentTimeMillis() + 120_000;
                while (kafka.committedTotal(topics.groupId()) < 2 * N && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
            }
            try (Elastic elastic = new Elastic(es)) {
                assertEquals(2 * N, count(elastic), "every record once");
            }
            assertEquals(2 * N, kafka.committedTotal(topics.groupId()));
        }
    }

    private static long count(Elastic elastic) {
        try {
            elastic.refresh();
            return elastic.client().count(c -> c.index("swarmwatch-observations-*")).count();
        } catch (Exception e) {
            return 0; // not there yet
        }
    }

    private static void produce(String bootstrap, ConsumerSettings topics, int from, int to) throws Exception {
        RecordCodec codec = new RecordCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", "20"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i <= to; i++) {
                String who = "sub_%032x".formatted(i % 101);
                ObservationRecord o = new ObservationRecord("p", AddressMode.PSEUDONYMISED, Instant.parse("2026-11-22T10:00:00Z").plusMillis(i),
                        "f" + i, "udp", "bittorrent", new Endpoint(who, null, 6881, true, 0, 0),
                        new Endpoint("198.51.100.1", "198.51.100.1", 6881, false, 0, 0), new ContentHash(HashKind.BTIH, "%040x".formatted(i)),
                        "dht_announce_peer", ObservationRole.ANNOUNCING, 0.8, null);
                RecordHeaders h = new RecordHeaders();
                h.add("swarmwatch.producer", "00000000000000bb".getBytes(StandardCharsets.US_ASCII));
                h.add("swarmwatch.sequence", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
                producer.send(new ProducerRecord<>(topics.observations(), null, who.getBytes(StandardCharsets.US_ASCII), codec.encode(o), h));
            }
        }
    }
}
