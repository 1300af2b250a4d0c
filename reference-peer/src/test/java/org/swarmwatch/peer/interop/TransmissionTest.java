package org.swarmwatch.peer.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.swarmwatch.peer.WireRecorder;
import org.swarmwatch.peer.interop.RealClientsTest.Setup;
import org.swarmwatch.peer.session.Encryption;
import org.swarmwatch.peer.session.TorrentSession;
import org.swarmwatch.peer.tracker.LocalTracker;

/**
 * The reference peer against Debian's transmission-cli, both ways, in plaintext and with MSE/PE
 * required on both sides. Transmission does not dial peers on 127.0.0.0/8, so the reference peer
 * always dials it, through a {@link WireRecorder} that lets the encrypted runs check the wire.
 * Transmission runs with DHT, LPD, PEX, uTP, UPnP/NAT-PMP, blocklist and RPC off, bound to
 * 127.0.0.1, with its configuration in the test's temporary directory (see {@link RealClient}).
 */
class TransmissionTest {
    /** Transmission unchokes a new peer only at its 10 s rechoke: a download takes over 10 s. */
    static final Duration WAIT = Duration.ofSeconds(60);
    @BeforeAll
    static void transmissionIsInstalled() {
        RealClient.require("transmission-cli", "transmission");
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void transmissionDownloadsWhatTheReferencePeerSeeds(boolean encrypted, @TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = RealClientsTest.setup(dir, tracker);
            int port = RealClient.freePort();
            Encryption policy = encrypted ? Encryption.REQUIRE_ENCRYPTED : Encryption.PLAINTEXT;
            try (TorrentSession seeder = TorrentSession.start(EncryptedRealClientsTest.untracked(s), s.seed(),
                    RealClientsTest.config().withEncryption(policy));
                    RealClient tr = RealClient.transmission(s.torrentFile(), s.leech(), port, dir.resolve("tr-config"), encrypted,
                            dir.resolve("transmission.log"));
                    WireRecorder wire = new WireRecorder(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                RealClientsTest.awaitPeers(tracker, s, tr); // it has announced: it listens
                seeder.connect(wire.address());
                awaitFile(s.leech().resolve("film.bin"), s.content(), tr, seeder);
                assertTrue(seeder.uploaded() >= RealClientsTest.SIZE, "the bytes came from the reference peer");
                checkWire(wire, s, encrypted, false);
            }
        }
    }

    @ParameterizedTest(name = "encrypted={0}")
    @ValueSource(booleans = {false, true})
    void theReferencePeerDownloadsWhatTransmissionSeeds(boolean encrypted, @TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = RealClientsTest.setup(dir, tracker);
            int port = RealClient.freePort();
            Encryption policy = encrypted ? Encryption.REQUIRE_ENCRYPTED : Encryption.PLAINTEXT;
            try (RealClient tr = RealClient.transmission(s.torrentFile(), s.seed(), port, dir.resolve("tr-config"), encrypted,
                    dir.resolve("transmission.log"));
                    WireRecorder wire = new WireRecorder(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                RealClientsTest.awaitPeers(tracker, s, tr);
                try (TorrentSession leecher = TorrentSession.start(EncryptedRealClientsTest.untracked(s), s.leech(),
                        RealClientsTest.config().withEncryption(policy))) {
                    leecher.connect(wire.address());
                    assertTrue(leecher.awaitComplete(WAIT),
                            "download finished: " + leecher.lastHandshakeFailure() + " " + tr.output());
                }
                checkWire(wire, s, encrypted, true);
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    /** Waits until the file holds exactly the content (transmission keeps seeding, so it does not exit). */
    static void awaitFile(Path file, byte[] content, RealClient client, TorrentSession seeder) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!(Files.isRegularFile(file) && Files.size(file) == content.length && Arrays.equals(Files.readAllBytes(file), content))) {
            assertTrue(client.process().isAlive(), "transmission exited: " + client.output());
            assertTrue(System.nanoTime() < end, "not downloaded; reference peer: " + seeder.lastHandshakeFailure() + "; " + client.output());
            Thread.sleep(100);
        }
    }

    /** The reference peer dialled: data flows to the target (transmission) when it downloads, from it when it seeds. */
    static void checkWire(WireRecorder wire, Setup s, boolean encrypted, boolean dataFromTarget) {
        byte[] data = dataFromTarget ? wire.fromTarget() : wire.toTarget();
        byte[] sample = Arrays.copyOfRange(s.content(), 500_000, 500_032);
        assertTrue(data.length > RealClientsTest.SIZE, "the file went through the recorder (" + data.length + " bytes)");
        if (encrypted) {
            assertFalse(WireRecorder.contains(wire.toTarget(), WireRecorder.PROTOCOL), "no plaintext handshake");
            assertFalse(WireRecorder.contains(wire.fromTarget(), WireRecorder.PROTOCOL), "none back");
            assertFalse(WireRecorder.contains(data, sample), "the file's bytes are encrypted");
        } else {
            assertTrue(Arrays.equals(wire.toTarget(), 1, 20, WireRecorder.PROTOCOL, 0, 19), "a plaintext handshake");
            assertTrue(WireRecorder.contains(data, sample), "the file's bytes in the clear");
        }
    }
}
