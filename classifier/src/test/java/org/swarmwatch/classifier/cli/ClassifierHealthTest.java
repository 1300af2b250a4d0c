package org.swarmwatch.classifier.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.swarmwatch.events.health.HealthEndpoints.await;
import static org.swarmwatch.events.health.HealthEndpoints.endpointPort;
import static org.swarmwatch.events.health.HealthEndpoints.get;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.classifier.consume.ConsumerSettings;
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
 * The classifier's health endpoint on the real command in its own JVM, with a real broker and a
 * real Elasticsearch engine: not ready without a rights list, ready once one is published, not
 * ready (and still live) while Elasticsearch is stopped and records cannot be written for longer
 * than the grace, ready again once it is back.
 */
class ClassifierHealthTest {
    private static final String HEADER = "hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action\n";

    @Test
    void readinessFollowsListsPartitionsAndElasticsearchWhileLivenessFollowsTheLoop(@TempDir Path dir) throws Exception {
        int esPort;
        try (ServerSocket s = new ServerSocket(0)) {
            esPort = s.getLocalPort();
        }
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Path log = dir.resolve("classifier.log");
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka")).start();
                EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es"), esPort).start()) {
            ConsumerSettings topics = ConsumerSettings.of(kafka.bootstrapServers());
            kafka.createTopics(2, topics.observations(), topics.flows(), topics.stats());
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), ClassifierMain.class.getName(), "--kafka", kafka.bootstrapServers(),
                    "--elasticsearch", engine.url(), "--es-replicas", "0", "--lists", lists.toString(), "--unsigned-lists",
                    "--list-scan-interval", "PT1S", "--kafka-partitions", "2",
                    "--health-port", "0", "--health-elasticsearch-grace", "PT3S")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                int port = endpointPort(child, log);

                // no list yet: alive, in the group, writing, but with nothing to match
                HttpResponse<String> noLists = await(port, "/health/ready",
                        r -> r.body().contains("\"partitions\":{\"status\":\"UP\""), log);
                assertEquals(503, noLists.statusCode(), noLists.body());
                assertTrue(noLists.body().contains("\"lists\":{\"status\":\"DOWN\",\"detail\":\"no rights list active"), noLists.body());
                assertTrue(noLists.body().contains("\"partitions\":{\"status\":\"UP\",\"detail\":\"6 partitions assigned\"}"),
                        "the only member holds both partitions of the three topics: " + noLists.body());
                assertEquals(200, get(port, "/health/live").statusCode());

                Files.writeString(lists.resolve("acme.csv"), HEADER + "%040x".formatted(7) + ",btih_v1,Film,Acme,acme,,,incident\n");
                HttpResponse<String> ready = await(port, "/health/ready", r -> r.statusCode() == 200, log);
                assertEquals("{\"status\":\"UP\",\"checks\":{\"loop\":{\"status\":\"UP\",\"detail\":\"poll loop made progress ",
                        ready.body().substring(0, ready.body().indexOf("progress ") + 9), ready.body());
                assertTrue(ready.body().contains("\"lists\":{\"status\":\"UP\",\"detail\":\"1 list active, 1 entries\"}"), ready.body());
                assertTrue(ready.body().contains("\"elasticsearch\":{\"status\":\"UP\",\"detail\":\"writes go through\"}"), ready.body());
                assertTrue(!ready.body().contains("sub_"), "no subscriber data: " + ready.body());

                // Elasticsearch away while records come: writes fail past the grace, the loop keeps retrying
                engine.stop();
                produce(kafka.bootstrapServers(), topics, 1, 50);
                HttpResponse<String> down = await(port, "/health/ready",
                        r -> r.statusCode() == 503 && r.body().contains("\"elasticsearch\":{\"status\":\"DOWN\""), log);
                assertTrue(down.body().contains("\"elasticsearch\":{\"status\":\"DOWN\",\"detail\":\"writes failing for "), down.body());
                assertTrue(down.body().contains("(grace 3.0 s)"), down.body());
                assertTrue(down.body().contains("\"loop\":{\"status\":\"UP\""), down.body());
                HttpResponse<String> live = get(port, "/health/live");
                assertEquals(200, live.statusCode(), "an outage is not a wedge: " + live.body());

                engine.start();
                HttpResponse<String> back = await(port, "/health/ready", r -> r.statusCode() == 200, log);
                assertTrue(back.body().contains("\"elasticsearch\":{\"status\":\"UP\",\"detail\":\"writes go through\"}"), back.body());
                assertTrue(kafka.committedTotal(topics.groupId()) <= 50);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (kafka.committedTotal(topics.groupId()) < 50 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(50, kafka.committedTotal(topics.groupId()), "the records held back are written and committed");
            } finally {
                child.destroy(); // SIGTERM: the command stops after the batch in hand
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void produce(String servers, ConsumerSettings topics, int from, int to) {
        RecordCodec codec = new RecordCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", servers),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i <= to; i++) {
                ObservationRecord o = new ObservationRecord("p", AddressMode.PSEUDONYMISED, Instant.now(), "f" + i, "tcp", "bittorrent",
                        new Endpoint("sub_%032x".formatted(i % 7), null, 6881, true, 0, 0),
                        new Endpoint("198.51.100.1", "198.51.100.1", 51413, false, 0, 0),
                        new ContentHash(HashKind.BTIH_V1, "%040x".formatted(1000 + i)), "http_tracker", ObservationRole.ANNOUNCING, 0.9, null);
                producer.send(new ProducerRecord<>(topics.observations(), ("k" + i % 7).getBytes(StandardCharsets.US_ASCII), codec.encode(o)));
            }
            producer.flush();
        }
    }
}
