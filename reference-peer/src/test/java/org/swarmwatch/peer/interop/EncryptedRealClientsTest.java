package org.swarmwatch.peer.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.WireRecorder;
import org.swarmwatch.peer.interop.RealClientsTest.Setup;
import org.swarmwatch.peer.session.Encryption;
import org.swarmwatch.peer.session.MetadataFetcher;
import org.swarmwatch.peer.session.PeerConfig;
import org.swarmwatch.peer.session.TorrentSession;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.tracker.Announce;
import org.swarmwatch.peer.tracker.LocalTracker;
import org.swarmwatch.peer.tracker.TrackerClient;

/**
 * The reference peer against real clients with MSE/PE forced on the client (aria2c
 * {@code --bt-require-crypto=true --bt-min-crypto-level=arc4}, libtorrent {@code pe_forced} and
 * {@code pe_rc4}), both ways. Every connection goes through a {@link WireRecorder}: the
 * reference peer does not announce itself (its session has no tracker), the test announces the
 * recorder in its place or dials the client through it, so the recorder sees each byte, and the
 * test checks that neither the BitTorrent handshake nor the file's bytes went in the clear.
 * Network confinement as in {@link RealClientsTest}.
 */
class EncryptedRealClientsTest {
    static final Duration WAIT = RealClientsTest.WAIT;

    @BeforeAll
    static void clientsAreInstalled() {
        RealClientsTest.clientsAreInstalled();
    }

    static PeerConfig config(Encryption policy) {
        return RealClientsTest.config().withEncryption(policy);
    }

    /** The same torrent without its tracker, so that the session makes no announce of its own. */
    static Metainfo untracked(Setup s) throws Exception {
        return Metainfo.fromInfo(null, s.meta().info());
    }

    /** Tells the tracker that a seeder listens at the recorder's address. */
    static void announceRecorder(LocalTracker tracker, Setup s, WireRecorder wire) throws Exception {
        new TrackerClient(Duration.ofSeconds(5), InetAddress::isLoopbackAddress).announce(tracker.announceUrl(),
                new Announce.Request(s.meta().infoHash(), PeerConfig.newPeerId(), wire.address().getPort(), 0, 0, 0,
                        Announce.Event.STARTED, 0));
    }

    static void assertEncrypted(WireRecorder wire, Setup s, boolean dataFromTarget) {
        byte[] data = dataFromTarget ? wire.fromTarget() : wire.toTarget();
        assertTrue(data.length > RealClientsTest.SIZE, "the file went through the recorder (" + data.length + " bytes)");
        assertFalse(WireRecorder.contains(wire.toTarget(), WireRecorder.PROTOCOL), "no plaintext handshake towards the target");
        assertFalse(WireRecorder.contains(wire.fromTarget(), WireRecorder.PROTOCOL), "none back");
        for (int at : new int[] {40_000, 500_000, 1_000_000}) {
            assertFalse(WireRecorder.contains(data, Arrays.copyOfRange(s.content(), at, at + 32)), "file bytes at " + at + " in the clear");
        }
    }

    @Test
    void aria2RequiringRc4DownloadsFromTheReferencePeer(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = RealClientsTest.setup(dir, tracker);
            try (TorrentSession seeder = TorrentSession.start(untracked(s), s.seed(), config(Encryption.REQUIRE_ENCRYPTED));
                    WireRecorder wire = new WireRecorder(seeder.address())) {
                announceRecorder(tracker, s, wire);
                try (RealClient aria2 = RealClient.aria2(s.torrentFile().toString(), s.leech(), RealClient.freePort(), false,
                        dir.resolve("aria2.log"), true)) {
                    assertTrue(aria2.waitFor(WAIT), "aria2c finished: " + aria2.output());
                    assertEquals(0, aria2.process().exitValue(), aria2.output());
                }
                assertTrue(seeder.uploaded() >= RealClientsTest.SIZE, "the bytes came from the reference peer");
                assertEncrypted(wire, s, true);
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    @Test
    void theReferencePeerDownloadsFromAria2RequiringRc4(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = RealClientsTest.setup(dir, tracker);
            int port = RealClient.freePort();
            try (RealClient aria2 = RealClient.aria2(s.torrentFile().toString(), s.seed(), port, true, dir.resolve("aria2.log"), true);
                    WireRecorder wire = new WireRecorder(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                RealClientsTest.awaitPeers(tracker, s, aria2);
                try (TorrentSession leecher = TorrentSession.start(untracked(s), s.leech(), config(Encryption.REQUIRE_ENCRYPTED))) {
                    leecher.connect(wire.address());
                    assertTrue(leecher.awaitComplete(WAIT), "download finished: " + leecher.lastHandshakeFailure() + aria2.output());
                }
                assertEncrypted(wire, s, true);
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    @Test
    void theDefaultPolicyFallsBackToMseWithAria2RequiringIt(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = RealClientsTest.setup(dir, tracker);
            int port = RealClient.freePort();
            try (RealClient aria2 = RealClient.aria2(s.torrentFile().toString(), s.seed(), port, true, dir.resolve("aria2.log"), true);
                    WireRecorder wire = new WireRecorder(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                RealClientsTest.awaitPeers(tracker, s, aria2);
                try (TorrentSession leecher = TorrentSession.start(untracked(s), s.leech(), config(Encryption.PREFER_PLAINTEXT))) {
                    leecher.connect(wire.address());
                    assertTrue(leecher.awaitComplete(WAIT), "download finished: " + leecher.lastHandshakeFailure() + aria2.output());
                    assertTrue(leecher.lastHandshakeFailure().isPresent(), "the plaintext attempt was refused first");
                }
                assertTrue(Arrays.equals(wire.toTarget(), 1, 20, WireRecorder.PROTOCOL, 0, 19), "the first attempt was plaintext");
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    @Test
    void theDefaultPolicyFetchesMetadataFromAria2RequiringRc4(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = RealClientsTest.setup(dir, tracker);
            try (RealClient aria2 = RealClient.aria2(s.torrentFile().toString(), s.seed(), RealClient.freePort(), true,
                    dir.resolve("aria2.log"), true)) {
                RealClientsTest.awaitPeers(tracker, s, aria2);
                Metainfo meta = MetadataFetcher.fetch(Magnet.parse(RealClientsTest.magnet(s, tracker)),
                        config(Encryption.PREFER_PLAINTEXT), WAIT); // refused in plaintext, then through MSE
                assertArrayEquals(s.meta().info(), meta.info());
            }
        }
    }

    @Test
    void libtorrentForcingRc4DownloadsFromTheReferencePeer(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = RealClientsTest.setup(dir, tracker);
            try (TorrentSession seeder = TorrentSession.start(untracked(s), s.seed(), config(Encryption.REQUIRE_ENCRYPTED));
                    WireRecorder wire = new WireRecorder(seeder.address())) {
                announceRecorder(tracker, s, wire);
                try (RealClient lt = RealClient.libtorrent(s.torrentFile(), s.leech(), RealClient.freePort(), false, dir.resolve("lt.log"),
                        true)) {
                    assertTrue(lt.waitFor(WAIT), "libtorrent finished: " + lt.output());
                    assertEquals(0, lt.process().exitValue(), lt.output());
                }
                assertTrue(seeder.uploaded() >= RealClientsTest.SIZE, "the bytes came from the reference peer");
                assertEncrypted(wire, s, true);
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    @Test
    void theReferencePeerDownloadsFromLibtorrentForcingRc4(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = RealClientsTest.setup(dir, tracker);
            int port = RealClient.freePort();
            try (RealClient lt = RealClient.libtorrent(s.torrentFile(), s.seed(), port, true, dir.resolve("lt.log"), true);
                    WireRecorder wire = new WireRecorder(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                RealClientsTest.awaitPeers(tracker, s, lt);
                try (TorrentSession leecher = TorrentSession.start(untracked(s), s.leech(), config(Encryption.REQUIRE_ENCRYPTED))) {
                    leecher.connect(wire.address());
                    assertTrue(leecher.awaitComplete(WAIT), "download finished: " + leecher.lastHandshakeFailure() + lt.output());
                }
                assertEncrypted(wire, s, true);
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }
}
