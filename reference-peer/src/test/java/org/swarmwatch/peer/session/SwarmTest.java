package org.swarmwatch.peer.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;
import org.swarmwatch.peer.tracker.LocalTracker;
import org.swarmwatch.peer.wire.Handshake;

/**
 * The reference peer against itself, on 127.0.0.1 through the local tracker: a seeder and a
 * leecher, and a seeder that strangers send broken bytes to.
 */
class SwarmTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    static PeerConfig fast() {
        return PeerConfig.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    static void write(Path file, int length, long seed) throws IOException {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    @Test
    void aFileSeededByOnePeerArrivesIntactAtAnother(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed"), leech = dir.resolve("leech");
        write(seed.resolve("film.bin"), 1_000_000 + 77, 1); // 31 pieces of 32 KiB and a short one
        Files.createDirectories(leech);
        try (LocalTracker tracker = LocalTracker.start()) {
            Metainfo meta = Metainfo.parse(TorrentBuilder.create(seed.resolve("film.bin"), Version.V1, 32768, tracker.announceUrl()).metainfo());
            try (TorrentSession seeder = TorrentSession.start(meta, seed, fast());
                    TorrentSession leecher = TorrentSession.start(meta, leech, fast())) {
                assertTrue(seeder.isComplete());
                assertFalse(leecher.isComplete());
                assertTrue(leecher.awaitComplete(WAIT), "download finished");
                assertArrayEquals(Files.readAllBytes(seed.resolve("film.bin")), Files.readAllBytes(leech.resolve("film.bin")));
                assertEquals(meta.totalLength(), leecher.downloaded());
                waitFor(() -> tracker.seen().stream().anyMatch(s -> s.event().equals("completed")));
            }
            List<String> events = tracker.seen().stream().map(LocalTracker.Seen::event).filter(e -> !e.isEmpty()).toList();
            assertEquals(2, events.stream().filter("started"::equals).count(), events.toString());
            assertEquals(1, events.stream().filter("completed"::equals).count(), "only the leecher completes: " + events);
            assertEquals(2, events.stream().filter("stopped"::equals).count(), events.toString());
        }
    }

    @Test
    void aUdpTrackerBep15BringsThemTogetherToo(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed"), leech = dir.resolve("leech");
        write(seed.resolve("film.bin"), 200_000, 11);
        Files.createDirectories(leech);
        try (LocalTracker tracker = LocalTracker.start()) {
            assertTrue(tracker.udpAnnounceUrl().startsWith("udp://127.0.0.1:"), tracker.udpAnnounceUrl());
            Metainfo meta = Metainfo.parse(TorrentBuilder.create(seed.resolve("film.bin"), Version.V1, 32768, tracker.udpAnnounceUrl()).metainfo());
            try (TorrentSession seeder = TorrentSession.start(meta, seed, fast());
                    TorrentSession leecher = TorrentSession.start(meta, leech, fast())) {
                assertTrue(leecher.awaitComplete(WAIT), "found each other through the UDP tracker");
                // the completed announce goes out on the announcer's thread: wait for it before close() says stopped
                waitFor(() -> tracker.seen().stream().anyMatch(s -> s.event().equals("completed")));
            }
        }
        assertArrayEquals(Files.readAllBytes(seed.resolve("film.bin")), Files.readAllBytes(leech.resolve("film.bin")));
    }

    @Test
    void aMagnetLinkIsEnoughBetweenTwoReferencePeers(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed"), leech = dir.resolve("leech");
        write(seed.resolve("album/a.bin"), 300_000, 7);
        for (int i = 0; i < 500; i++) { // an info dictionary of three 16 KiB metadata pieces (BEP 9)
            write(seed.resolve("album/many/file-" + i + "-with-a-name-long-enough-to-count.bin"), 3, i);
        }
        Files.createDirectories(leech);
        try (LocalTracker tracker = LocalTracker.start()) {
            TorrentBuilder.Torrent t = TorrentBuilder.create(seed.resolve("album"), Version.V1, 16384, tracker.announceUrl());
            Metainfo meta = Metainfo.parse(t.metainfo());
            String magnet = t.magnet(List.of(tracker.announceUrl()));
            try (TorrentSession seeder = TorrentSession.start(meta, seed, fast())) {
                Metainfo fetched = MetadataFetcher.fetch(Magnet.parse(magnet), fast(), WAIT);
                assertArrayEquals(meta.info(), fetched.info());
                assertTrue(meta.info().length > 2 * 16384, "metadata of " + meta.info().length + " bytes");
                try (TorrentSession leecher = TorrentSession.start(fetched, leech, fast())) {
                    assertTrue(leecher.awaitComplete(WAIT));
                }
            }
        }
        for (String f : List.of("a.bin", "many/file-499-with-a-name-long-enough-to-count.bin")) {
            assertArrayEquals(Files.readAllBytes(seed.resolve("album").resolve(f)), Files.readAllBytes(leech.resolve("album").resolve(f)), f);
        }
    }

    /** Multi-file torrents; the hybrid one carries BEP 47 pad files, which are never written. */
    @ParameterizedTest
    @EnumSource(value = Version.class, names = {"V1", "HYBRID"})
    void aDirectoryArrivesIntactFileByFile(Version version, @TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed"), leech = dir.resolve("leech");
        write(seed.resolve("album/a/one.bin"), 70000, 2);
        write(seed.resolve("album/b.bin"), 100, 3);
        write(seed.resolve("album/z/two.bin"), 16384, 4);
        Files.createDirectories(leech);
        try (LocalTracker tracker = LocalTracker.start()) {
            Metainfo meta = Metainfo.parse(TorrentBuilder.create(seed.resolve("album"), version, 16384, tracker.announceUrl()).metainfo());
            try (TorrentSession seeder = TorrentSession.start(meta, seed, fast());
                    TorrentSession leecher = TorrentSession.start(meta, leech, fast())) {
                assertTrue(leecher.awaitComplete(WAIT));
            }
        }
        for (String f : List.of("a/one.bin", "b.bin", "z/two.bin")) {
            assertArrayEquals(Files.readAllBytes(seed.resolve("album").resolve(f)), Files.readAllBytes(leech.resolve("album").resolve(f)), f);
        }
        try (var files = Files.walk(leech)) {
            assertEquals(3, files.filter(Files::isRegularFile).count(), "no pad file was written");
        }
    }

    @Test
    void brokenBytesCloseThatConnectionAndTheSeederServesOnRegardless(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed"), leech = dir.resolve("leech");
        write(seed.resolve("x.bin"), 100_000, 5);
        Files.createDirectories(leech);
        Metainfo meta = Metainfo.parse(TorrentBuilder.create(seed.resolve("x.bin"), Version.V1, 16384, null).metainfo());
        try (TorrentSession seeder = TorrentSession.start(meta, seed, fast())) {
            InetSocketAddress at = seeder.address();
            // not a handshake at all (what an MSE opening looks like to a plaintext peer)
            assertClosed(at, new byte[96]);
            // a handshake for another torrent
            assertClosed(at, new Handshake(new byte[8], new byte[20], PeerConfig.newPeerId()).encode());
            Handshake ok = new Handshake(new byte[8], meta.infoHash(), PeerConfig.newPeerId());
            // a message claiming 2 GiB
            assertClosed(at, concat(ok.encode(), HexFormat.of().parseHex("7fffffff07")));
            // a request for a 1 MiB block, and one past the end of the torrent
            assertClosed(at, concat(ok.encode(), HexFormat.of().parseHex("00000001020000000d06" + "00000000" + "00000000" + "00100000")));
            assertClosed(at, concat(ok.encode(), HexFormat.of().parseHex("00000001020000000d06" + "00000063" + "00000000" + "00004000")));
            // a bitfield of the wrong size
            assertClosed(at, concat(ok.encode(), HexFormat.of().parseHex("0000000305ffff")));
            try (TorrentSession leecher = TorrentSession.start(meta, leech, fast())) {
                leecher.connect(at);
                assertTrue(leecher.awaitComplete(WAIT), "the seeder still serves");
            }
        }
        assertArrayEquals(Files.readAllBytes(seed.resolve("x.bin")), Files.readAllBytes(leech.resolve("x.bin")));
    }

    /** Sends {@code bytes} and expects the peer to close the connection (within 5 s). */
    static void assertClosed(InetSocketAddress at, byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(at, 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = new DataInputStream(s.getInputStream());
            while (true) {
                int n;
                try {
                    n = in.read(new byte[4096]);
                } catch (java.net.SocketException reset) {
                    return; // reset: closed too
                }
                if (n < 0) {
                    return;
                }
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not met in time");
            Thread.sleep(50);
        }
    }
}
