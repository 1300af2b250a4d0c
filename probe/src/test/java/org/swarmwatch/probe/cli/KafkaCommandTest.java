package org.swarmwatch.probe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.embedded.EmbeddedKafka;

/** {@code --kafka} on the command line: records reach the broker; bad settings and absent brokers say so. */
class KafkaCommandTest {
    static final Path CAPTURE = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared/bt-captures/pcaps/c1_utp_libtorrent.pcap")
            .normalize();

    static long count(String servers, String topic) {
        Properties c = new Properties();
        c.put("bootstrap.servers", servers);
        c.put("group.id", "cli-" + UUID.randomUUID());
        c.put("auto.offset.reset", "earliest");
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            int empty = 0;
            while (System.currentTimeMillis() < deadline && (n == 0 || empty < 3)) {
                int got = consumer.poll(Duration.ofMillis(500)).count();
                n += got;
                empty = got == 0 ? empty + 1 : 0;
            }
        }
        return n;
    }

    @Test
    void replayToKafkaWritesTheTopicsAndAFileToo(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("broker")).start()) {
            Path out = dir.resolve("records.jsonl");
            CommandRun r = CommandRun.run("replay", "--quiet", "--kafka", kafka.bootstrapServers(), "--spool-dir", dir.resolve("spool").toString(),
                    "--out", out.toString(), CAPTURE.toString());
            assertEquals(0, r.exitCode(), r.stderr());
            List<String> lines = Files.readAllLines(out);
            long flows = lines.stream().filter(l -> l.contains("\"type\":\"flow\"")).count();
            long observations = lines.stream().filter(l -> l.contains("\"type\":\"observation\"")).count();
            assertEquals(flows, count(kafka.bootstrapServers(), "swarmwatch.flows"));
            assertEquals(observations, count(kafka.bootstrapServers(), "swarmwatch.observations"));
            assertTrue(count(kafka.bootstrapServers(), "swarmwatch.stats") >= 1);
            // to Kafka, only P2P flows get records by default; the others are counted in the stats records
            Path mixed = CAPTURE.getParent().resolve("../../pcaps/nonp2p/http_ipv6.pcap").normalize(); // web traffic: no dissector claims it
            Path p2p = dir.resolve("p2p.jsonl"), every = dir.resolve("all.jsonl");
            assertEquals(0, CommandRun.run("replay", "--quiet", "--kafka", kafka.bootstrapServers(), "--spool-dir", dir.resolve("spool").toString(),
                    "--out", p2p.toString(), mixed.toString()).exitCode());
            assertEquals(0, CommandRun.run("replay", "--quiet", "--flows", "all", "--out", every.toString(), mixed.toString()).exitCode());
            List<String> p2pLines = Files.readAllLines(p2p), allLines = Files.readAllLines(every);
            assertTrue(allLines.stream().anyMatch(l -> l.contains("\"type\":\"flow\"") && l.contains("\"protocol\":\"unknown\"")));
            assertTrue(p2pLines.stream().filter(l -> l.contains("\"type\":\"flow\"")).noneMatch(l -> l.contains("\"protocol\":\"unknown\"")),
                    "no record for a flow no dissector recognised");
            assertTrue(p2pLines.stream().anyMatch(l -> l.contains("\"type\":\"stats\"") && l.contains("\"unknown\":{\"flows\":")),
                    "the stats count them");
        }
    }

    @Test
    void anAbsentBrokerIsADegradedStartThatKeepsTheRecords(@TempDir Path dir) throws Exception {
        Path spool = dir.resolve("spool");
        CommandRun r = CommandRun.run("replay", "--quiet", "--kafka", "127.0.0.1:1", "--spool-dir", spool.toString(),
                "--kafka-drain-timeout", "1s", CAPTURE.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("does not answer: degraded start"), r.stderr());
        assertTrue(r.stderr().contains("stay in the spool " + spool), r.stderr());
        try (var files = Files.list(spool)) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".spool")));
        }
    }

    @Test
    void aMalformedBrokerListIsAUsageError() {
        CommandRun r = CommandRun.run("replay", "--kafka", "localhost", CAPTURE.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.stderr().contains("host:port") && r.stderr().contains("'localhost'"), r.stderr());
    }
}
