package org.swarmwatch.probe.export.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.RecordCodec;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.RecordSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.CaptureRunner;
import org.swarmwatch.probe.pipeline.ProbePipeline;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.pipeline.ReplaySpeed;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;
import org.swarmwatch.probe.source.PcapFileSource;

/** Replaying into a sink, and reading every record of the probe's topics back. */
final class KafkaFixture {
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();
    static final Path BT_CAPTURES = SHARED.resolve("bt-captures/pcaps");

    private KafkaFixture() {
    }

    /** One record as it arrived: topic, key, the (producer, sequence) headers, the decoded record. */
    record Received(String topic, String key, String producer, long sequence, ProbeRecord record) {
    }

    static ProbeSettings settings() {
        return new ProbeSettings("kafka-test", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()),
                        AddressMode.PSEUDONYMISED), Duration.ofSeconds(60));
    }

    /** Replays the captures into one pipeline writing to {@code sink} (not closed here). */
    static void replay(List<Path> captures, RecordSink sink) throws Exception {
        ProbePipeline pipeline = new ProbePipeline(settings(), sink, DissectorRegistry.standard());
        for (Path capture : captures) {
            try (PcapFileSource source = new PcapFileSource(capture)) {
                new CaptureRunner(source, pipeline, ReplaySpeed.MAX).run(null);
            }
        }
    }

    /** Every record in the topics, read until {@code expected} arrived or {@code timeout} passed. */
    static List<Received> consume(String servers, String[] topics, int expected, Duration timeout) {
        Properties c = new Properties();
        c.put("bootstrap.servers", servers);
        c.put("group.id", "test-" + UUID.randomUUID());
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", "false");
        List<Received> out = new ArrayList<>();
        RecordCodec codec = new RecordCodec();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics));
            long deadline = System.nanoTime() + timeout.toNanos();
            int quietPolls = 0;
            while (System.nanoTime() < deadline && (out.size() < expected || quietPolls < 2)) {
                int before = out.size();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String producer = new String(r.headers().lastHeader(KafkaSink.PRODUCER_HEADER).value(), StandardCharsets.US_ASCII);
                    long seq = Long.parseLong(new String(r.headers().lastHeader(KafkaSink.SEQUENCE_HEADER).value(), StandardCharsets.US_ASCII));
                    try {
                        out.add(new Received(r.topic(), new String(r.key(), StandardCharsets.UTF_8), producer, seq, codec.decode(r.value())));
                    } catch (Exception e) {
                        throw new AssertionError("a record in " + r.topic() + " cannot be read: " + e.getMessage(), e);
                    }
                }
                quietPolls = out.size() >= expected && out.size() == before ? quietPolls + 1 : 0;
            }
        }
        return out;
    }

    static KafkaSettings kafkaSettings(String servers, Path spool) {
        return KafkaSettings.of(servers, spool).withTopics("test.", true, 3, (short) 1).withSpool(64L << 20, Duration.ofSeconds(60));
    }

    static Map<String, Long> countByTopic(List<Received> received) {
        Map<String, Long> m = new java.util.TreeMap<>();
        received.forEach(r -> m.merge(r.topic(), 1L, Long::sum));
        return m;
    }
}
