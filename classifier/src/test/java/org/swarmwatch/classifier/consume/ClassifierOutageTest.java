package org.swarmwatch.classifier.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.classifier.incident.IncidentBuilder;
import org.swarmwatch.classifier.incident.IncidentPolicy;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.index.ElasticsearchSettings;
import org.swarmwatch.classifier.match.ListCatalog;
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
 * Offsets are committed only after Elasticsearch took the batch: a classifier that runs while
 * Elasticsearch is away commits nothing, and one stopped then (a crash, as far as Kafka knows)
 * loses nothing; the next one, with the engine back, writes every record exactly once.
 */
class ClassifierOutageTest {

    @Test
    void nothingIsCommittedWhileElasticsearchIsAwayAndNothingIsLostOrDoubledAfter(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka")).start();
                EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es"), port)) {
            ConsumerSettings topics = ConsumerSettings.of(kafka.bootstrapServers()).withTopicPrefix("t.");
            int n = 500;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                            new ByteArraySerializer(), new ByteArraySerializer())) {
                kafka.createTopics(2, topics.observations(), topics.flows(), topics.stats());
                RecordCodec codec = new RecordCodec();
                for (int i = 1; i <= n; i++) {
                    ObservationRecord o = new ObservationRecord("p", AddressMode.PSEUDONYMISED, Instant.parse("2026-11-22T10:00:00Z").plusSeconds(i),
                            "f" + i, "tcp", "bittorrent", new Endpoint("sub_%032x".formatted(i % 7), null, 6881, true, 0, 0),
                            new Endpoint("198.51.100.1", "198.51.100.1", 51413, false, 0, 0),
                            new ContentHash(HashKind.BTIH_V1, "%040x".formatted(i)), "http_tracker", ObservationRole.ANNOUNCING, 0.9, null);
                    RecordHeaders h = new RecordHeaders();
                    h.add("swarmwatch.producer", "00000000000000aa".getBytes(StandardCharsets.US_ASCII));
                    h.add("swarmwatch.sequence", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
                    producer.send(new ProducerRecord<>(topics.observations(), null, ("k" + i % 7).getBytes(StandardCharsets.US_ASCII),
                            codec.encode(o), h));
                }
                producer.flush();
            }
            OutputTopics.ensure(topics, 2, (short) 1, 30_000);
            ElasticsearchSettings es = ElasticsearchSettings.of(URI.create("http://127.0.0.1:" + port)).withReplicas(0);

            // Elasticsearch away: the classifier reads, cannot write, commits nothing
            try (Elastic elastic = new Elastic(es)) {
                Classifier first = new Classifier(topics, elastic, builder(elastic), new SimpleMeterRegistry());
                Thread loop = new Thread(first);
                loop.start();
                Thread.sleep(8000);
                first.close();
                loop.join(60_000);
                assertTrue(!loop.isAlive());
                assertEquals(0, first.batches());
            }
            assertEquals(Map.of(), kafka.committedOffsets(topics.groupId()), "no offset committed while nothing was written");

            // Elasticsearch back: every record once
            engine.start();
            try (Elastic elastic = new Elastic(es)) {
                elastic.ensureTemplates();
                Classifier second = new Classifier(topics, elastic, builder(elastic), new SimpleMeterRegistry());
                Thread loop = new Thread(second);
                loop.start();
                long count = 0;
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline && kafka.committedTotal(topics.groupId()) < n) {
                    Thread.sleep(300);
                }
                second.close();
                loop.join(30_000);
                elastic.refresh();
                count = elastic.client().count(c -> c.index("swarmwatch-observations-*")).count();
                assertEquals(n, count, "every record written once");
                assertEquals(n, kafka.committedTotal(topics.groupId()), "and committed after");
            }
        }
    }

    private static IncidentBuilder builder(Elastic elastic) {
        return new IncidentBuilder(new ListCatalog(), IncidentPolicy.DEFAULT, elastic, 100, 100);
    }
}
