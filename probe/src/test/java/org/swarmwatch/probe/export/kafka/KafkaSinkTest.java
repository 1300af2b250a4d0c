package org.swarmwatch.probe.export.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.export.kafka.KafkaFixture.BT_CAPTURES;
import static org.swarmwatch.probe.export.kafka.KafkaFixture.consume;
import static org.swarmwatch.probe.export.kafka.KafkaFixture.kafkaSettings;
import static org.swarmwatch.probe.export.kafka.KafkaFixture.replay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.embedded.EmbeddedKafka;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.StatsRecord;
import org.swarmwatch.probe.export.CollectingSink;
import org.swarmwatch.probe.export.TeeSink;

/** The Kafka sink against a real broker: every record arrives, once, in order per subscriber. */
class KafkaSinkTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() throws IOException {
        kafka = new EmbeddedKafka(dir.resolve("broker")).start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static List<Path> btCaptures() throws IOException {
        try (Stream<Path> s = Files.list(BT_CAPTURES)) {
            return s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
    }

    @Test
    void everyRecordOfTheLabCapturesArrivesCompleteAndOnce() throws Exception {
        KafkaSettings settings = kafkaSettings(kafka.bootstrapServers(), dir.resolve("spool-all"))
                .withTopics("all.", true, 3, (short) 1);
        CollectingSink local = new CollectingSink();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (KafkaSink sink = new KafkaSink(settings, "test", metrics, Duration.ofSeconds(20))) {
            replay(btCaptures(), new TeeSink(sink, local));
        }
        List<ProbeRecord> sent = local.records();
        List<KafkaFixture.Received> got = consume(kafka.bootstrapServers(), settings.topics(), sent.size(), Duration.ofSeconds(60));
        assertEquals(sent.size(), got.size(), "records arrived: " + KafkaFixture.countByTopic(got));
        // content: flows and observations byte for byte; stats records carry the export counters in addition
        Set<ProbeRecord> expected = sent.stream().filter(r -> !(r instanceof StatsRecord)).collect(Collectors.toSet());
        Set<ProbeRecord> arrived = got.stream().map(KafkaFixture.Received::record).filter(r -> !(r instanceof StatsRecord))
                .collect(Collectors.toSet());
        assertEquals(expected, arrived);
        assertTrue(got.stream().filter(r -> r.record() instanceof StatsRecord).allMatch(r -> r.topic().equals("all.stats")
                && ((StatsRecord) r.record()).decode().containsKey("export_spool_bytes")));
        // one producer id, sequences 1..N exactly once
        assertEquals(1, got.stream().map(KafkaFixture.Received::producer).distinct().count());
        assertEquals(sent.size(), got.stream().map(KafkaFixture.Received::sequence).distinct().count());
        assertEquals(sent.size(), got.stream().mapToLong(KafkaFixture.Received::sequence).max().orElse(0));
        // keyed by the subscriber: one subscriber's records on one partition keep their order
        assertTrue(got.stream().filter(r -> !r.topic().endsWith("stats")).allMatch(r -> r.key().startsWith("sub_")), "pseudonyms as keys");
        assertEquals(sent.size(), metrics.get("swarmwatch.export.records").tag("outcome", "produced").counter().count());
        assertEquals(sent.size(), metrics.get("swarmwatch.export.records").tag("outcome", "spooled").counter().count());
        assertEquals(0, metrics.get("swarmwatch.export.records").tag("outcome", "dropped").counter().count());
    }

    @Test
    void aStartWithoutABrokerIsDegradedAndSendsWhenOneAnswers() throws Exception {
        Path spool = dir.resolve("spool-late");
        EmbeddedKafka late = new EmbeddedKafka(dir.resolve("late-broker"));
        KafkaSettings settings = kafkaSettings(late.bootstrapServers(), spool);
        CollectingSink local = new CollectingSink();
        try (KafkaSink sink = new KafkaSink(settings, "test", new SimpleMeterRegistry(), Duration.ofSeconds(2))) {
            replay(List.of(BT_CAPTURES.resolve("d_dht_libtorrent.pcap")), new TeeSink(sink, local));
            assertTrue(sink.backlogBytes() > 0, "records wait in the spool");
            late.start();
        } finally {
            try (late) {
                List<KafkaFixture.Received> got = consume(late.bootstrapServers(), settings.topics(), local.records().size(),
                        Duration.ofSeconds(60));
                assertEquals(local.records().size(), got.size());
            }
        }
    }

    @Test
    void unsuitableTopicsAndUnwritableSpoolsAreClearErrors() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("compacted.flows", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        KafkaSettings compacted = kafkaSettings(kafka.bootstrapServers(), dir.resolve("spool-compacted")).withTopics("compacted.", true, 1, (short) 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new KafkaSink(compacted, "test", new SimpleMeterRegistry(), Duration.ofSeconds(20)).close());
        assertTrue(e.getMessage().contains("compacted.flows") && e.getMessage().contains("cleanup.policy=compact"), e.getMessage());

        KafkaSettings missing = kafkaSettings(kafka.bootstrapServers(), dir.resolve("spool-missing")).withTopics("absent.", false, 1, (short) 1);
        e = assertThrows(IllegalStateException.class, () -> new KafkaSink(missing, "test", new SimpleMeterRegistry(), Duration.ofSeconds(20)).close());
        assertTrue(e.getMessage().contains("absent.flows") && e.getMessage().contains("may not create"), e.getMessage());

        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        KafkaSettings unwritable = kafkaSettings(kafka.bootstrapServers(), file.resolve("spool"));
        IOException io = assertThrows(IOException.class, () -> new KafkaSink(unwritable, "test", new SimpleMeterRegistry(), Duration.ofSeconds(20)).close());
        assertTrue(io.getMessage().contains(file.resolve("spool").toString()), io.getMessage());
    }

    @Test
    void aBrokerStoppedMidReplayAndBack30sLaterLosesNothingAndDuplicatesNothing() throws Exception {
        EmbeddedKafka own = new EmbeddedKafka(dir.resolve("restart-broker")).start();
        try (own) {
            KafkaSettings settings = kafkaSettings(own.bootstrapServers(), dir.resolve("spool-restart"));
            CollectingSink local = new CollectingSink();
            List<Path> captures = btCaptures();
            try (KafkaSink sink = new KafkaSink(settings, "test", new SimpleMeterRegistry(), Duration.ofSeconds(20))) {
                TeeSink tee = new TeeSink(sink, local);
                replay(captures.subList(0, 5), tee);
                own.stop();
                long stoppedAt = System.nanoTime();
                replay(captures.subList(5, captures.size()), tee);
                assertTrue(sink.backlogBytes() > 0, "records wait in the spool while the broker is away");
                Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - stoppedAt) / 1_000_000));
                own.start();
            }
            List<KafkaFixture.Received> got = consume(own.bootstrapServers(), settings.topics(), local.records().size(), Duration.ofSeconds(60));
            Set<Long> sequences = new HashSet<>();
            for (KafkaFixture.Received r : got) {
                assertTrue(sequences.add(r.sequence()), "sequence " + r.sequence() + " arrived twice");
            }
            assertEquals(local.records().size(), sequences.size(), "every record arrived");
        }
    }
}
