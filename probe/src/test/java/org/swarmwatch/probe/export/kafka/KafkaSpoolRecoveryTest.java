package org.swarmwatch.probe.export.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.embedded.EmbeddedKafka;

/**
 * A probe killed (SIGKILL) while it spools, because its broker is away, loses nothing: the next
 * probe on the same spool sends every record the killed one had appended, once.
 */
class KafkaSpoolRecoveryTest {

    @Test
    void aProbeKilledMidSpoolLosesNothing(@TempDir Path dir) throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("broker")); // not started yet: the first probe cannot reach it
        Path spool = dir.resolve("spool");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                SpoolingProbe.class.getName(), spool.toString(), kafka.bootstrapServers(),
                KafkaFixture.BT_CAPTURES.resolve("a1_tcp_plain_transmission_libtorrent.pcap").toString(),
                KafkaFixture.BT_CAPTURES.resolve("g1_udp_tracker_aria2_transmission.pcap").toString())
                .redirectErrorStream(true).start();
        long appended = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.currentTimeMillis() + 120_000;
            for (String line; appended < 2000 && System.currentTimeMillis() < deadline && (line = out.readLine()) != null; ) {
                if (line.startsWith("appended ")) {
                    appended = Long.parseLong(line.substring(9));
                }
            }
            probe.destroyForcibly(); // SIGKILL, in mid-spool
            assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        } finally {
            probe.destroyForcibly();
        }
        assertTrue(appended >= 2000, "the killed probe had appended " + appended + " records");

        try (kafka) {
            kafka.start();
            KafkaSettings settings = KafkaFixture.kafkaSettings(kafka.bootstrapServers(), spool);
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            try (KafkaSink restarted = new KafkaSink(settings, "restarted", metrics, Duration.ofSeconds(20))) {
                assertTrue(restarted.backlogBytes() > 0, "the spool survived the kill");
                long deadline = System.currentTimeMillis() + 90_000;
                while (restarted.backlogBytes() > 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(0, restarted.backlogBytes(), "the restarted probe sent its spool; last problem: " + restarted.lastProblem());
            }
            double resent = metrics.get("swarmwatch.export.records").tag("outcome", "resent").counter().count();
            double produced = metrics.get("swarmwatch.export.records").tag("outcome", "produced").counter().count();
            assertTrue(produced >= appended && resent == produced, "everything the restarted probe sent came from the spool: " + resent
                    + " of " + produced);
            List<KafkaFixture.Received> got = KafkaFixture.consume(kafka.bootstrapServers(), settings.topics(), (int) appended,
                    Duration.ofSeconds(60));
            Set<Long> sequences = new HashSet<>();
            for (KafkaFixture.Received r : got) {
                assertTrue(sequences.add(r.sequence()), "sequence " + r.sequence() + " twice");
            }
            assertEquals(1, got.stream().map(KafkaFixture.Received::producer).distinct().count(), "all from the killed probe");
            long max = sequences.stream().mapToLong(Long::longValue).max().orElse(0);
            assertTrue(max >= appended, "every record it reported appended arrived: " + max + " < " + appended);
            assertEquals(max, sequences.size(), "no hole in 1.." + max);
        }
    }
}
