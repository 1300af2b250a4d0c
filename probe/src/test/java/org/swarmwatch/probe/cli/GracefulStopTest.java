package org.swarmwatch.probe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.events.FlowEndReason;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.StatsRecord;

/** SIGTERM (what Ctrl-C and Kubernetes send) ends a replay cleanly: open flows written, output complete. */
class GracefulStopTest {
    @TempDir
    Path dir;

    @Test
    void sigtermWritesTheOpenFlowsAndAFinalStatsRecord() throws Exception {
        Path out = dir.resolve("out.jsonl");
        // bitcoin.pcap spans 31 minutes: at the recorded pace the replay is still running when stopped
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
                SwarmwatchCommand.class.getName(), "replay", "--quiet", "--speed", "1x", "--stats-interval", "1s", "--out", out.toString(),
                BadInputTest.SHARED.resolve("pcaps/p2p/bitcoin.pcap").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            // the first 19 frames come within 1.3 s, the next after 152 s: the stats record of the first
            // second says they went through the pipeline (however loaded the machine), and flows are open
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && p.isAlive() && !(Files.exists(out) && Files.size(out) > 0)) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(out) && Files.size(out) > 0, "no stats record within 60 s: " + Files.readString(dir.resolve("log")));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped within 20 s");
        } finally {
            p.destroyForcibly();
        }
        Records records = Records.read(out);
        List<FlowRecord> flows = records.flows();
        assertTrue(flows.size() >= 1, "open flows are written: " + Files.readString(dir.resolve("log")));
        assertTrue(flows.stream().allMatch(f -> f.reason() == FlowEndReason.END_OF_CAPTURE || f.reason() == FlowEndReason.IDLE_TIMEOUT));
        assertTrue(records.all().get(records.all().size() - 1) instanceof StatsRecord, "the closing stats record comes last");
        long packets = records.stats().stream().mapToLong(StatsRecord::packets).sum();
        assertTrue(packets < 529, "stopped early: " + packets);
    }
}
