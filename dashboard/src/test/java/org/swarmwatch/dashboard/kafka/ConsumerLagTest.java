package org.swarmwatch.dashboard.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.swarmwatch.embedded.EmbeddedKafka;

/**
 * The consumer lag against a real broker: a group that committed part of what two topics hold,
 * and the answers when Kafka is not configured or does not answer.
 */
class ConsumerLagTest {
    private static final String GROUP = "swarmwatch-classifier";
    private static Path dir;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() throws Exception {
        dir = Files.createTempDirectory("swarmwatch-lag-test");
        kafka = new EmbeddedKafka(dir).start();
        kafka.createTopics(2, "swarmwatch.flows", "swarmwatch.stats");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("swarmwatch.flows", 0, null, "flow " + i));
            }
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>("swarmwatch.flows", 1, null, "flow " + i));
            }
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>("swarmwatch.stats", 0, null, "stats " + i));
            }
            producer.flush();
        }
        // the classifier's group has read flows 0 up to 4, flows 1 to its end, stats 0 up to 1, nothing of stats 1
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "group.id", GROUP, "enable.auto.commit", "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition("swarmwatch.flows", 0), new OffsetAndMetadata(4),
                    new TopicPartition("swarmwatch.flows", 1), new OffsetAndMetadata(6),
                    new TopicPartition("swarmwatch.stats", 0), new OffsetAndMetadata(1)));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (kafka != null) {
            kafka.close();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void lagIsEndOffsetsMinusCommittedOffsetsPerTopic() {
        try (ConsumerLag lag = new ConsumerLag(settings(kafka.bootstrapServers(), List.of(GROUP, "nobody-reads")))) {
            Map<String, Object> r = lag.report();
            assertEquals("ok", r.get("status"), r.toString());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> groups = (List<Map<String, Object>>) r.get("groups");
            Map<String, Object> classifier = groups.get(0);
            assertEquals(GROUP, classifier.get("group"));
            assertEquals(6L + 3L, classifier.get("lag"), r.toString());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> topics = (List<Map<String, Object>>) classifier.get("topics");
            assertEquals(Map.of("topic", "swarmwatch.flows", "partitions", 2, "uncommitted_partitions", 0, "end_offset", 16L, "committed", 10L,
                    "lag", 6L), topics.get(0));
            assertEquals(Map.of("topic", "swarmwatch.stats", "partitions", 2, "uncommitted_partitions", 1, "end_offset", 4L, "committed", 1L,
                    "lag", 3L), topics.get(1));

            Map<String, Object> none = groups.get(1);
            assertEquals("nobody-reads", none.get("group"));
            assertNull(none.get("lag"), "a group without commits has no lag to show: " + none);
            assertEquals("the group has committed no offsets", none.get("reason"));
        }
    }

    @Test
    void withoutBootstrapServersTheLagIsUnknown() {
        try (ConsumerLag lag = new ConsumerLag(settings(null, List.of(GROUP)))) {
            Map<String, Object> r = lag.report();
            assertEquals("unknown", r.get("status"));
            assertEquals("Kafka is not configured (swarmwatch.kafka.bootstrap-servers)", r.get("reason"));
        }
    }

    @Test
    void aKafkaThatDoesNotAnswerGivesUnknownWithinTheTimeout() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (ConsumerLag lag = new ConsumerLag(new KafkaSettings("127.0.0.1:" + closed, null, List.of(GROUP), Duration.ofSeconds(1),
                Duration.ofSeconds(5)))) {
            // bounded: the answer comes (after about the 1 s timeout), it never hangs on a broker that is not there
            Map<String, Object> r = assertTimeoutPreemptively(Duration.ofSeconds(60), lag::report);
            assertEquals("unknown", r.get("status"), r.toString());
            assertTrue(String.valueOf(r.get("reason")).contains("did not answer within 1000 ms"), r.toString());
            assertEquals(r, lag.report(), "the answer is reused for cache-for, not asked again");
        }
    }

    private static KafkaSettings settings(String bootstrap, List<String> groups) {
        return new KafkaSettings(bootstrap, null, groups, Duration.ofSeconds(20), Duration.ofSeconds(5));
    }
}
