package org.swarmwatch.probe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.swarmwatch.events.health.HealthEndpoints.await;
import static org.swarmwatch.events.health.HealthEndpoints.endpointPort;
import static org.swarmwatch.events.health.HealthEndpoints.get;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.embedded.EmbeddedKafka;

/**
 * The probe's health endpoint on the real command: live capture through libpcap on loopback, in
 * a child process (as Kubernetes runs it), asked over HTTP. Liveness goes down when the processing
 * thread is really wedged (its standard output is a pipe nobody reads) and up again when the pipe
 * is drained; readiness goes down when the real Kafka broker stops and up when it is back. Needs
 * root for the capture; traffic stays on 127.0.0.1.
 */
class ProbeHealthTest {
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void readinessFollowsTheKafkaExportAndLivenessStaysUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("broker")).start();
                DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Path log = dir.resolve("probe.log");
            Process probe = start(log, ProcessBuilder.Redirect.DISCARD, "capture", "--interface", "lo",
                    "--filter", "udp and port " + receiver.getLocalPort(), "--kafka", kafka.bootstrapServers(),
                    "--spool-dir", dir.resolve("spool").toString(), "--stats-interval", "1s", "--observer", "health-test",
                    "--health-port", "0", "--health-export-grace", "3s");
            int port = endpointPort(probe, log);
            // a first frame starts the stats intervals: from then on a stats record a second, packets or not
            await(port, "/health/live", r -> r.statusCode() == 200 && r.body().contains("capture made progress"), log);
            sender.send(new DatagramPacket(new byte[8], 8, InetAddress.getLoopbackAddress(), receiver.getLocalPort()));

            HttpResponse<String> ready = await(port, "/health/ready", r -> r.statusCode() == 200, log);
            assertTrue(ready.body().startsWith("{\"status\":\"UP\",\"checks\":{\"capture\":{\"status\":\"UP\""), ready.body());
            assertTrue(ready.body().contains("\"processing\":{\"status\":\"UP\""), ready.body());
            assertTrue(ready.body().contains("\"started\":{\"status\":\"UP\",\"detail\":\"capturing\"}"), ready.body());
            assertTrue(ready.body().contains("\"export\":{\"status\":\"UP\",\"detail\":\"Kafka keeps up"), ready.body());
            HttpResponse<String> live = get(port, "/health/live");
            assertEquals(200, live.statusCode(), live.body());
            assertTrue(!live.body().contains("export"), "liveness leaves the export out: " + live.body());

            // the broker goes away: stats records (one a second) wait in the spool, none is acknowledged
            kafka.stop();
            HttpResponse<String> down = await(port, "/health/ready", r -> r.statusCode() == 503, log);
            assertTrue(down.body().startsWith("{\"status\":\"DOWN\""), down.body());
            assertTrue(down.body().contains("\"export\":{\"status\":\"DOWN\",\"detail\":\"Kafka acknowledged no record for "), down.body());
            assertTrue(down.body().contains("(grace 3.0 s)"), down.body());
            assertEquals(200, get(port, "/health/live").statusCode(), "a Kafka outage is no reason to restart the probe");

            // back: the spool drains, and the probe is ready again
            kafka.start();
            HttpResponse<String> back = await(port, "/health/ready", r -> r.statusCode() == 200, log);
            assertTrue(back.body().contains("\"export\":{\"status\":\"UP\""), back.body());
        }
    }

    @Test
    void livenessGoesDownWhileProcessingIsWedgedOnItsOutputAndUpOnceItMovesAgain() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Path log = dir.resolve("probe.log");
            // records to standard output, a pipe this test does not read: once it and the sink's buffer are
            // full, the processing thread blocks in a write, as it would on a stuck disk or consumer
            Process probe = start(log, ProcessBuilder.Redirect.PIPE, "capture", "--interface", "lo",
                    "--filter", "udp and src port " + sender.getLocalPort(), "--flows", "all", "--idle-timeout", "1s",
                    "--stats-interval", "1s", "--health-port", "0", "--health-stall-timeout", "3s");
            int port = endpointPort(probe, log);
            await(port, "/health/live", r -> r.statusCode() == 200 && r.body().contains("made progress"), log);

            byte[] data = new byte[16];
            HttpResponse<String> wedged = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (int round = 0; wedged == null && System.nanoTime() < deadline; round++) {
                for (int i = 0; i < 500; i++) { // a flow per destination port, each a flow record after 1 s idle
                    sender.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), 20000 + (round * 500 + i) % 40000));
                }
                Thread.sleep(1000);
                HttpResponse<String> live = get(port, "/health/live");
                if (live.statusCode() == 503) {
                    wedged = live;
                }
            }
            assertTrue(wedged != null, "liveness never went down: " + Files.readString(log));
            assertTrue(wedged.body().contains("\"processing\":{\"status\":\"DOWN\",\"detail\":\"processing made no progress for "),
                    wedged.body());
            assertTrue(wedged.body().contains("\"capture\":{\"status\":\"UP\""), "the capture thread waits for room, alive: " + wedged.body());
            assertEquals(503, get(port, "/health/ready").statusCode(), "not live, so not ready");

            Thread drain = new Thread(() -> {
                try (InputStream out = probe.getInputStream()) {
                    out.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // the probe ended
                }
            }, "drain");
            drain.setDaemon(true);
            drain.start();
            await(port, "/health/live", r -> r.statusCode() == 200, log);
        }
    }

    @Test
    void aPacedReplayWaitingThroughARecordedGapStaysLive() throws Exception {
        // bitcoin.pcap: 19 frames in the first 1.3 s, the next 152 s later; at 1x the reader waits in that gap
        Path log = dir.resolve("replay.log");
        Process replay = start(log, ProcessBuilder.Redirect.DISCARD, "replay", "--speed", "1x", "--stats-interval", "1s",
                "--health-port", "0", "--health-stall-timeout", "4s", BadInputTest.SHARED.resolve("pcaps/p2p/bitcoin.pcap").toString());
        int port = endpointPort(replay, log);
        HttpResponse<String> ready = await(port, "/health/ready", r -> r.statusCode() == 200, log);
        assertTrue(ready.body().contains("\"started\":{\"status\":\"UP\""), ready.body());
        // two and a half stall timeouts inside the gap (beats every second: margin for a loaded machine)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int asked = 0;
        while (System.nanoTime() < until) {
            HttpResponse<String> live = get(port, "/health/live");
            assertEquals(200, live.statusCode(), live.body());
            asked++;
            Thread.sleep(200);
        }
        assertTrue(replay.isAlive(), "still replaying (in the gap) after " + asked + " answers: " + Files.readString(log));
    }

    private Process start(Path log, ProcessBuilder.Redirect stdout, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SwarmwatchCommand.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(stdout).start();
        started.add(p);
        return p;
    }
}
