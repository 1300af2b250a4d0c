package org.swarmwatch.probe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.StatsRecord;

/**
 * Live capture through real libpcap on the loopback interface: UDP datagrams the test sends to
 * itself become one flow record, and the stats records carry libpcap's counters. Needs root (CI
 * runs as root); traffic stays on 127.0.0.1.
 */
class LiveCaptureTest {
    @TempDir
    Path dir;

    @Test
    void capturesLoopbackTrafficIntoFlowAndStatsRecords() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = receiver.getLocalPort();
            Path out = dir.resolve("live.jsonl");
            CompletableFuture<CommandRun> capture = CompletableFuture.supplyAsync(() -> CommandRun.run(
                    "capture", "--interface", "lo", "--filter", "udp and port " + port, "--duration", "4s",
                    "--lab-raw-addresses", "--stats-interval", "1s", "--quiet", "--out", out.toString()));
            Thread.sleep(1500); // let libpcap open the interface
            byte[] data = new byte[100];
            for (int i = 0; i < 20; i++) {
                sender.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
                Thread.sleep(20);
            }
            CommandRun run = capture.get(30, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run.stderr());

            Records records = Records.read(out);
            List<FlowRecord> flows = records.flows();
            assertEquals(1, flows.size(), records.all().toString());
            FlowRecord f = flows.get(0);
            assertEquals("udp", f.transport());
            assertEquals(port, f.destination().port());
            assertEquals(sender.getLocalPort(), f.source().port());
            assertEquals(20, f.source().packets());
            assertEquals(20 * (20 + 8 + 100), f.source().bytes());
            assertEquals(0, f.destination().packets());
            assertEquals("127.0.0.1", f.source().ip());
            assertEquals(AddressMode.RAW, f.addressMode());

            List<StatsRecord> stats = records.stats();
            assertTrue(stats.size() >= 2, "one stats record per second of capture plus the final one: " + stats.size());
            long received = stats.stream().mapToLong(s -> s.captureReceived() == null ? -1 : s.captureReceived()).sum();
            long packets = stats.stream().mapToLong(StatsRecord::packets).sum();
            assertEquals(20, packets);
            // libpcap counts each loopback packet twice (out and in), and what it received includes what it read
            assertTrue(received >= packets, "received " + received + " >= read " + packets);
            assertTrue(stats.stream().allMatch(s -> s.captureDropped() != null && s.captureDropped() == 0));
        }
    }

    @Test
    void aMissingInterfaceIsAClearError() {
        assumeTrue("root".equals(System.getProperty("user.name")), "opening interfaces needs root");
        CommandRun r = CommandRun.run("capture", "--interface", "swarmwatch-nonexistent0", "--quiet");
        assertTrue(r.exitCode() == 2 || r.exitCode() == 3, r.stderr());
        assertTrue(r.stderr().contains("interface swarmwatch-nonexistent0: cannot capture"), r.stderr());
    }

    @Test
    void anInvalidFilterIsAClearError() {
        assumeTrue("root".equals(System.getProperty("user.name")), "opening interfaces needs root");
        CommandRun r = CommandRun.run("capture", "--interface", "lo", "--filter", "not a ( filter", "--quiet");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("invalid capture filter 'not a ( filter'"), r.stderr());
    }
}
