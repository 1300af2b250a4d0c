package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.classifier.consume.ConsumerSettings;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.embedded.EmbeddedElasticsearch;
import org.swarmwatch.embedded.EmbeddedKafka;

/**
 * The whole pipeline on real parts: captures replayed by the probe command into a real Kafka
 * broker, read by the classifier, written to a real Elasticsearch engine. A list claims a1's
 * infohash and both claims and allows a2's: a1's seeder (the only subscriber) gets exactly one
 * incident, offering, with its evidence; a2's seeder gets none; the non-P2P captures (everyone a
 * subscriber) give none; a record nobody can read goes to the dead-letter topic and the rest
 * still arrives.
 */
class PipelineEndToEndTest {
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();
    static final String A1 = "d6c134aa85e608ef5cd9c3b13e050231dc14fb38", A2 = "f6249c1dde5e88108cf62be15ba43f5d4e445754";

    @Test
    void listedHashOfferedBySubscriberMakesExactlyTheExpectedIncident(@TempDir Path dir) throws Exception {
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Files.writeString(lists.resolve("studio.csv"), """
                hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action
                %s,btih_v1,Test Film One,Studio A,studio-a,2020-01-01,,incident
                %s,btih_v1,Test Film Two,Studio A,studio-a,,,incident
                """.formatted(A1, A2));
        Files.writeString(lists.resolve("licensed.csv"), """
                hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action
                %s,btih,An openly licensed data set,University,licensed,,,allow
                """.formatted(A2));
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka")); EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es"))) {
            kafka.start();
            engine.start();
            String bootstrap = kafka.bootstrapServers();
            Path bt = SHARED.resolve("bt-captures/pcaps");
            assertEquals(0, Swarmwatch.execute("replay", "--quiet", "--kafka", bootstrap, "--spool-dir", dir.resolve("spool1").toString(),
                    "--kafka-partitions", "3", "--subscriber-net", "10.77.0.11/32",
                    bt.resolve("a1_tcp_plain_transmission_libtorrent.pcap").toString(), bt.resolve("a2_tcp_aria2_transmission.pcap").toString()));
            List<String> nonP2p = new ArrayList<>(List.of("replay", "--quiet", "--kafka", bootstrap, "--spool-dir", dir.resolve("spool2").toString()));
            try (Stream<Path> files = Files.list(SHARED.resolve("pcaps/nonp2p"))) {
                files.filter(p -> p.toString().endsWith(".pcap")).sorted().forEach(p -> nonP2p.add(p.toString()));
            }
            assertEquals(0, Swarmwatch.execute(nonP2p.toArray(String[]::new)));
            ConsumerSettings topics = ConsumerSettings.of(bootstrap);
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(topics.observations(), "junk".getBytes(StandardCharsets.UTF_8),
                        "{\"schema\":1,\"type\":\"observation\",\"hash\":42".getBytes(StandardCharsets.UTF_8))).get();
            }
            long records = endOffsets(bootstrap, topics);

            try (RunningClassifier classifier = RunningClassifier.start(topics, engine.url(), lists)) {
                Elastic elastic = classifier.elastic();
                ElasticsearchClient client = elastic.client();
                long indexed = 0;
                long deadline = System.currentTimeMillis() + 120_000;
                while (System.currentTimeMillis() < deadline) {
                    elastic.refresh();
                    indexed = client.count(c -> c.index("swarmwatch-flows-*,swarmwatch-observations-*,swarmwatch-stats-*")).count();
                    if (indexed >= records - 1) {
                        break;
                    }
                    Thread.sleep(500);
                }
                System.out.println("classified " + indexed + " of " + records + " records at " + java.time.Instant.now());
                assertEquals(records - 1, indexed, "every record but the unreadable one indexed, once");

                List<ConsumerRecord<byte[], byte[]>> dead = readAll(bootstrap, topics.deadLetters());
                assertEquals(1, dead.size());
                assertTrue(new String(dead.get(0).headers().lastHeader("swarmwatch.reason").value(), StandardCharsets.UTF_8)
                        .startsWith("undecodable record"));

                List<JsonNode> found = classifier.incidents();
                assertEquals(1, found.size(), "exactly one incident: " + found);
                JsonNode in = found.get(0);
                assertEquals(A1, in.path("hash").asText());
                assertEquals("Test Film One", in.path("title").asText());
                assertEquals("studio-a", in.path("list_id").asText());
                assertEquals("offering", in.path("role").asText());
                assertEquals("high", in.path("severity").asText());
                assertEquals(Set.of("handshake", "http_tracker"), strings(in.path("seen_in")));
                assertEquals(3, in.path("observations").asLong(), "two announces and one handshake by the seeder");
                assertTrue(in.path("bytes_uploaded").asLong() > 1_000_000, "the seeder uploaded the 1 MB file: " + in);
                assertTrue(in.path("bytes_downloaded").asLong() < 100_000, "and downloaded little: " + in);
                assertTrue(in.path("seeder").asBoolean());
                assertEquals(Set.of("Transmission 3.00"), strings(in.path("clients")));
                // the subscriber is the seeder's pseudonym, as in its handshake observation
                SearchResponse<ObjectNode> handshake = client.search(s -> s.index("swarmwatch-observations-*")
                        .query(q -> q.bool(b -> b.filter(f -> f.term(t -> t.field("hash").value(A1)))
                                .filter(f -> f.term(t -> t.field("seen_in").value("handshake")))
                                .filter(f -> f.term(t -> t.field("role").value("offering"))))), ObjectNode.class);
                assertEquals(1, handshake.hits().hits().size());
                assertEquals(handshake.hits().hits().get(0).source().path("source").path("address").asText(), in.path("subscriber").asText());
                assertEquals(2, client.count(c -> c.index("swarmwatch-lists")).count(), "both list versions recorded");

                // retention deletes whole daily indices older than 180 days, and nothing else
                // (the nDPI captures are years old: their days go too; the lab captures are from this month and stay)
                client.indices().create(c -> c.index("swarmwatch-flows-2000.01.01"));
                String lab = handshake.hits().hits().get(0).index();
                List<String> deleted = elastic.deleteExpired(Clock.systemUTC());
                assertTrue(deleted.contains("swarmwatch-flows-2000.01.01"), deleted.toString());
                java.time.LocalDate oldest = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(180);
                for (String index : deleted) {
                    java.time.LocalDate day = java.time.LocalDate.parse(index.substring(index.lastIndexOf('-') + 1),
                            java.time.format.DateTimeFormatter.ofPattern("yyyy.MM.dd"));
                    assertTrue(day.isBefore(oldest), index + " is younger than 180 days");
                }
                assertTrue(client.indices().exists(e -> e.index(lab)).value(), lab + " stays");
            }
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> s = new TreeSet<>();
        array.forEach(v -> s.add(v.asText()));
        return s;
    }

    private static long endOffsets(String bootstrap, ConsumerSettings topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String t : List.of(topics.flows(), topics.observations(), topics.stats())) {
                admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions()
                        .forEach(p -> request.put(new TopicPartition(t, p.partition()), OffsetSpec.latest()));
            }
            return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
        }
    }

    /** Every record in a topic, read by assignment (no group to join). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline && partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
