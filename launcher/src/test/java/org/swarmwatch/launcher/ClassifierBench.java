package org.swarmwatch.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.swarmwatch.classifier.consume.ConsumerSettings;
import org.swarmwatch.classifier.consume.OutputTopics;
import org.swarmwatch.classifier.index.Elastic;
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
 * Observations per second end to end: a producer writes N observation records to a real broker
 * (as fast as it can) while one classifier reads them, matches them against a list of 100,000
 * hashes (1 observation in 100 listed, so incidents are made and read back too) and writes them to
 * a real Elasticsearch engine; the clock stops when the group's committed offsets reach N. All
 * on this machine: broker, engine, producer and classifier share its cores.
 *
 * <p>usage (scripts/bench-classifier.sh): ClassifierBench [N=200000]
 */
public final class ClassifierBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path dir = Files.createTempDirectory("swarmwatch-bench-classifier");
        Path lists = Files.createDirectories(dir.resolve("lists"));
        StringBuilder csv = new StringBuilder("hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action\n");
        for (int i = 0; i < 100_000; i++) {
            csv.append(hash(i * 100)).append(",btih_v1,Title ").append(i).append(",Studio,bench,,,incident\n");
        }
        Files.writeString(lists.resolve("bench.csv"), csv);
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka")).start();
                EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es")).start()) {
            ConsumerSettings topics = ConsumerSettings.of(kafka.bootstrapServers());
            kafka.createTopics(6, topics.observations(), topics.flows(), topics.stats());
            OutputTopics.ensure(topics, 6, (short) 1, 30_000);
            try (RunningClassifier classifier = RunningClassifier.start(topics, engine.url(), lists)) {
                Elastic elastic = classifier.elastic();
                long start = System.nanoTime();
                Thread producer = new Thread(() -> produce(kafka.bootstrapServers(), topics, n), "producer");
                producer.start();
                producer.join();
                double produced = (System.nanoTime() - start) / 1e9;
                while (kafka.committedTotal(topics.groupId()) < n) {
                    Thread.sleep(100);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                elastic.refresh();
                long docs = elastic.client().count(c -> c.index("swarmwatch-observations-*")).count();
                long incidents = elastic.client().count(c -> c.index("swarmwatch-incidents")).count();
                System.out.printf("observations: %d (in Elasticsearch: %d), incidents: %d%n", n, docs, incidents);
                System.out.printf("produced in %.1f s (%.0f records/s)%n", produced, n / produced);
                System.out.printf("end to end (produce, consume, match, index, commit): %.1f s, %.0f observations/s%n", seconds, n / seconds);
            }
        }
        deleteTree(dir);
    }

    static String hash(int i) {
        return "%040x".formatted(i);
    }

    private static void produce(String bootstrap, ConsumerSettings topics, int n) {
        RecordCodec codec = new RecordCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", "20",
                "compression.type", "lz4", "batch.size", Integer.toString(256 << 10)), new ByteArraySerializer(), new ByteArraySerializer())) {
            Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
            for (int i = 1; i <= n; i++) {
                String who = "sub_%032x".formatted(i % 5000);
                ObservationRecord o = new ObservationRecord("bench", AddressMode.PSEUDONYMISED, t0.plusMillis(i), "f" + i, "tcp", "bittorrent",
                        new Endpoint(who, null, 51413, true, 0, 0), new Endpoint("198.51.100.1", "198.51.100.1", 6881, false, 0, 0),
                        new ContentHash(HashKind.BTIH, hash(i)), "handshake", i % 2 == 0 ? ObservationRole.OFFERING : ObservationRole.FETCHING,
                        0.95, "Transmission 3.00");
                RecordHeaders h = new RecordHeaders();
                h.add("swarmwatch.producer", "00000000000000cc".getBytes(StandardCharsets.US_ASCII));
                h.add("swarmwatch.sequence", Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
                producer.send(new ProducerRecord<>(topics.observations(), null, who.getBytes(StandardCharsets.US_ASCII), codec.encode(o), h));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
