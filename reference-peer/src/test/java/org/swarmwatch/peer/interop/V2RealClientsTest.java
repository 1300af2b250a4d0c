package org.swarmwatch.peer.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.session.MetadataFetcher;
import org.swarmwatch.peer.session.PeerConfig;
import org.swarmwatch.peer.session.TorrentSession;
import org.swarmwatch.peer.torrent.FileHashes;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;
import org.swarmwatch.peer.torrent.V2View.V2File;
import org.swarmwatch.peer.tracker.LocalTracker;
import org.swarmwatch.peer.wire.Handshake;
import org.swarmwatch.peer.wire.Message;
import org.swarmwatch.peer.wire.Message.HashReject;
import org.swarmwatch.peer.wire.Message.HashRequest;
import org.swarmwatch.peer.wire.Message.Hashes;
import org.swarmwatch.peer.wire.MessageCodec;

/**
 * v2-only torrents (BEP 52) between the reference peer and libtorrent (Debian's
 * python3-libtorrent 2.0), both ways, isolated as {@link RealClientsTest}: everything on
 * 127.0.0.1, the test's tracker the only peer source, DHT, LSD, PEX, UPnP/NAT-PMP and uTP off in
 * {@code lt_peer.py}, every client closed by try-with-resources.
 *
 * <p>The torrent is multi-file to hit BEP 52's padding rules: with 32 KiB pieces,
 * {@code album/a/big.bin} has 10 pieces (a piece layer 16 wide, its last piece one short block of
 * data), {@code album/small.bin} is two blocks in one piece, {@code album/tiny.bin} one short
 * block, and each file starts on a new piece.
 */
class V2RealClientsTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final int PIECE = 32768;
    static final List<String> FILES = List.of("a/big.bin", "small.bin", "tiny.bin");

    @BeforeAll
    static void libtorrentIsInstalled() {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "run scripts/system-deps.sh libtorrent");
    }

    static Path album(Path parent) throws Exception {
        Path root = parent.resolve("album");
        write(root.resolve("a/big.bin"), 9 * PIECE + 5000, 21);
        write(root.resolve("small.bin"), 20000, 22);
        write(root.resolve("tiny.bin"), 100, 23);
        return root;
    }

    static void write(Path file, int length, long seed) throws Exception {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    static PeerConfig config() {
        return PeerConfig.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    static void assertSameFiles(Path expected, Path actual) throws Exception {
        for (String f : FILES) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)), f);
        }
    }

    @Test
    void libtorrentDownloadsAV2TorrentTheReferencePeerSeeds(@TempDir Path dir) throws Exception {
        libtorrentLeechesFromTheReferencePeer(dir, false);
    }

    /**
     * The reference peer seeds a v2 torrent it made; libtorrent downloads it from the torrent file,
     * or from its v2 magnet (then the piece layer of a/big.bin comes by hash requests the
     * reference peer answers); the files arrive intact and the bytes came from the reference peer.
     */
    private static void libtorrentLeechesFromTheReferencePeer(Path dir, boolean byMagnet) throws Exception {
        Path seed = Files.createDirectories(dir.resolve("seed")), leech = Files.createDirectories(dir.resolve("leech"));
        Path root = album(seed);
        try (LocalTracker tracker = LocalTracker.start()) {
            TorrentBuilder.Torrent t = TorrentBuilder.create(root, Version.V2, PIECE, tracker.announceUrl());
            Metainfo meta = Metainfo.parse(t.metainfo());
            assertTrue(meta.isV2());
            String magnet = t.magnet(List.of(tracker.announceUrl()));
            assertTrue(magnet.startsWith("magnet:?xt=urn:btmh:1220") && !magnet.contains("btih"), magnet);
            try (TorrentSession seeder = TorrentSession.start(meta, seed, config());
                    RealClient lt = byMagnet ? RealClient.libtorrentMagnet(magnet, leech, RealClient.freePort(), dir.resolve("lt.log"))
                            : RealClient.libtorrent(Files.write(dir.resolve("album.torrent"), t.metainfo()), leech, RealClient.freePort(), false,
                                    dir.resolve("lt.log"))) {
                assertTrue(seeder.isComplete(), "the seeder's own data checks against its merkle trees");
                assertTrue(lt.waitFor(WAIT), "libtorrent finished: " + lt.output());
                assertEquals(0, lt.process().exitValue(), lt.output());
                if (byMagnet) {
                    assertTrue(seeder.hashRequestsAnswered() >= 1, "libtorrent fetched a/big.bin's piece layer from the reference peer");
                }
                assertTrue(seeder.uploaded() >= 9 * PIECE + 5000 + 20000 + 100, "the bytes came from the reference peer");
            }
            assertSameFiles(root, leech.resolve("album"));
        }
    }

    @Test
    void theReferencePeerDownloadsAV2TorrentLibtorrentMadeAndSeeds(@TempDir Path dir) throws Exception {
        Path seed = Files.createDirectories(dir.resolve("seed")), leech = Files.createDirectories(dir.resolve("leech"));
        Path root = album(seed);
        try (LocalTracker tracker = LocalTracker.start()) {
            Path torrent = dir.resolve("album.torrent");
            RealClient.libtorrentMakesV2(root, PIECE, torrent, tracker.announceUrl());
            Metainfo meta = Metainfo.parse(Files.readAllBytes(torrent));
            assertTrue(meta.isV2());
            assertEquals(10 + 1 + 1, meta.pieceCount());
            try (RealClient lt = RealClient.libtorrent(torrent, seed, RealClient.freePort(), true, dir.resolve("lt.log"))) {
                awaitAnnounced(tracker, meta, lt);
                try (TorrentSession leecher = TorrentSession.start(meta, leech, config())) {
                    assertTrue(leecher.awaitComplete(WAIT), "download finished: " + lt.output());
                }
            }
            assertSameFiles(root, leech.resolve("album"));
        }
    }

    @Test
    void libtorrentDownloadsByV2MagnetAV2TorrentTheReferencePeerSeeds(@TempDir Path dir) throws Exception {
        libtorrentLeechesFromTheReferencePeer(dir, true);
    }

    @Test
    void theReferencePeerDownloadsByV2MagnetAV2TorrentLibtorrentSeeds(@TempDir Path dir) throws Exception {
        Path seed = Files.createDirectories(dir.resolve("seed")), leech = Files.createDirectories(dir.resolve("leech"));
        Path root = album(seed);
        try (LocalTracker tracker = LocalTracker.start()) {
            Path torrent = dir.resolve("album.torrent");
            RealClient.libtorrentMakesV2(root, PIECE, torrent, tracker.announceUrl());
            Metainfo meta = Metainfo.parse(Files.readAllBytes(torrent));
            String magnet = "magnet:?xt=urn:btmh:1220" + HexFormat.of().formatHex(meta.v2().infoHash()) + "&tr="
                    + URLEncoder.encode(tracker.announceUrl(), StandardCharsets.UTF_8);
            int port = RealClient.freePort();
            try (RealClient lt = RealClient.libtorrentSeedWithMetadata(torrent, seed, port, dir.resolve("lt.log"))) {
                awaitAnnounced(tracker, meta, lt);
                Metainfo fetched = MetadataFetcher.fetch(Magnet.parse(magnet), config(), WAIT);
                V2File big = fetched.v2().files().get(0);
                assertArrayEquals(meta.v2().files().get(0).pieceLayer(), big.pieceLayer(),
                        "a/big.bin's piece layer, from libtorrent's hashes messages, verified against its pieces root");
                try (TorrentSession leecher = TorrentSession.start(fetched, leech, config())) {
                    assertTrue(leecher.awaitComplete(WAIT), "download finished: " + lt.output());
                    // 2 piece hashes with 3 uncles up to the root (32 leaves, the piece layer is layer 1, the root layer 5):
                    // libtorrent and the reference peer give the same bytes, and they verify
                    HashRequest r = new HashRequest(big.piecesRoot(), 1, 2, 2, 3);
                    byte[] theirs = askHashes(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), fetched, r);
                    assertEquals((2 + 3) * 32, theirs.length, "libtorrent counts the uncles as we do");
                    assertArrayEquals(theirs, askHashes(leecher.address(), fetched, r), "the reference peer answers the same");
                    assertArrayEquals(Arrays.copyOfRange(big.pieceLayer(), 2 * 32, 4 * 32),
                            FileHashes.verify(big.piecesRoot(), big.length(), 1, 2, 2, 3, theirs));
                }
            }
            assertSameFiles(root, leech.resolve("album"));
        }
    }

    /** Asks a peer for hashes on a connection of its own (BEP 3 handshake with the v2 bit, then one hash request). */
    static byte[] askHashes(InetSocketAddress peer, Metainfo meta, HashRequest r) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            s.connect(peer, 5000);
            s.setSoTimeout((int) WAIT.toMillis());
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            new Handshake(Handshake.v2Reserved(), meta.infoHash(), PeerConfig.newPeerId()).writeTo(out);
            out.flush();
            Handshake.readFrom(in);
            out.write(MessageCodec.encode(r));
            out.flush();
            MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_LENGTH);
            while (true) {
                Message m = codec.read(in);
                if (m instanceof Hashes h) {
                    assertEquals(List.of(r.base(), r.index(), r.length(), r.proofLayers()),
                            List.of(h.base(), h.index(), h.length(), h.proofLayers()));
                    return h.hashes();
                }
                assertFalse(m instanceof HashReject, peer + " rejected the hash request");
            }
        }
    }

    /** Waits until libtorrent has announced {@code meta} to the tracker (the truncated SHA-256, once its check of the files is done). */
    private static void awaitAnnounced(LocalTracker tracker, Metainfo meta, RealClient lt) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (tracker.peers(meta.infoHash()) == 0) {
            assertTrue(lt.process().isAlive(), "libtorrent exited: " + lt.output());
            assertTrue(System.nanoTime() < end, "libtorrent never announced: " + lt.output());
            Thread.sleep(50);
        }
    }
}
