package org.swarmwatch.peer.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.session.MetadataFetcher;
import org.swarmwatch.peer.session.PeerConfig;
import org.swarmwatch.peer.session.TorrentSession;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.torrent.TorrentBuilder.Torrent;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;
import org.swarmwatch.peer.tracker.LocalTracker;

/**
 * The reference peer against real Debian clients (aria2c, libtorrent), both ways, all on
 * 127.0.0.1: the local tracker, our peer and the client all bind to it, and the client is started
 * with DHT, LSD, PEX, UPnP/NAT-PMP off (see {@link RealClient}); the tracker is the only way the
 * peers learn of each other. Every client is ended in a finally (try-with-resources), and the
 * temporary directories are JUnit's.
 */
class RealClientsTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final int SIZE = 1 << 20; // 1 MiB, as the bt-captures scenarios

    @BeforeAll
    static void clientsAreInstalled() {
        RealClient.require("aria2c", "aria2");
        assertTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "run scripts/system-deps.sh libtorrent");
    }

    record Setup(Path seed, Path leech, Path torrentFile, Metainfo meta, byte[] content) {
    }

    static Setup setup(Path dir, LocalTracker tracker) throws Exception {
        Path seed = Files.createDirectories(dir.resolve("seed")), leech = Files.createDirectories(dir.resolve("leech"));
        byte[] content = new byte[SIZE + 12345]; // and a short last piece
        new Random(42).nextBytes(content);
        Files.write(seed.resolve("film.bin"), content);
        Torrent t = TorrentBuilder.create(seed.resolve("film.bin"), Version.V1, 32768, tracker.announceUrl());
        Path file = Files.write(dir.resolve("film.torrent"), t.metainfo());
        return new Setup(seed, leech, file, Metainfo.parse(t.metainfo()), content);
    }

    static PeerConfig config() {
        return PeerConfig.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    @Test
    void aria2DownloadsWhatTheReferencePeerSeeds(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = setup(dir, tracker);
            try (TorrentSession seeder = TorrentSession.start(s.meta(), s.seed(), config());
                    RealClient aria2 = RealClient.aria2(s.torrentFile(), s.leech(), RealClient.freePort(), false, dir.resolve("aria2.log"))) {
                assertTrue(aria2.waitFor(WAIT), "aria2c finished: " + aria2.output());
                assertEquals(0, aria2.process().exitValue(), aria2.output());
                assertTrue(seeder.uploaded() >= SIZE, "the bytes came from the reference peer");
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    @Test
    void theReferencePeerDownloadsWhatAria2Seeds(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = setup(dir, tracker);
            try (RealClient aria2 = RealClient.aria2(s.torrentFile(), s.seed(), RealClient.freePort(), true, dir.resolve("aria2.log"))) {
                awaitPeers(tracker, s, aria2);
                try (TorrentSession leecher = TorrentSession.start(s.meta(), s.leech(), config())) {
                    assertTrue(leecher.awaitComplete(WAIT), "download finished: " + aria2.output());
                }
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    @Test
    void theReferencePeerDownloadsWhatLibtorrentSeeds(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = setup(dir, tracker);
            try (RealClient lt = RealClient.libtorrent(s.torrentFile(), s.seed(), RealClient.freePort(), true, dir.resolve("lt.log"))) {
                awaitPeers(tracker, s, lt);
                try (TorrentSession leecher = TorrentSession.start(s.meta(), s.leech(), config())) {
                    assertTrue(leecher.awaitComplete(WAIT), "download finished: " + lt.output());
                }
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    @Test
    void libtorrentDownloadsWhatTheReferencePeerSeeds(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = setup(dir, tracker);
            try (TorrentSession seeder = TorrentSession.start(s.meta(), s.seed(), config());
                    RealClient lt = RealClient.libtorrent(s.torrentFile(), s.leech(), RealClient.freePort(), false, dir.resolve("lt.log"))) {
                assertTrue(lt.waitFor(WAIT), "libtorrent finished: " + lt.output());
                assertEquals(0, lt.process().exitValue(), lt.output());
                assertTrue(seeder.uploaded() >= SIZE, "the bytes came from the reference peer");
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    @Test
    void aria2DownloadsByMagnetFromTheReferencePeer(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = setup(dir, tracker);
            String magnet = magnet(s, tracker);
            try (TorrentSession seeder = TorrentSession.start(s.meta(), s.seed(), config());
                    RealClient aria2 = RealClient.aria2(magnet, s.leech(), RealClient.freePort(), false, dir.resolve("aria2.log"))) {
                assertTrue(aria2.waitFor(WAIT), "aria2c finished: " + aria2.output());
                assertEquals(0, aria2.process().exitValue(), aria2.output());
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    @Test
    void theReferencePeerDownloadsByMagnetFromAria2(@TempDir Path dir) throws Exception {
        try (LocalTracker tracker = LocalTracker.start()) {
            Setup s = setup(dir, tracker);
            try (RealClient aria2 = RealClient.aria2(s.torrentFile(), s.seed(), RealClient.freePort(), true, dir.resolve("aria2.log"))) {
                awaitPeers(tracker, s, aria2);
                Metainfo meta = MetadataFetcher.fetch(Magnet.parse(magnet(s, tracker)), config(), WAIT);
                assertArrayEquals(s.meta().info(), meta.info());
                try (TorrentSession leecher = TorrentSession.start(meta, s.leech(), config())) {
                    assertTrue(leecher.awaitComplete(WAIT), "download finished: " + aria2.output());
                }
            }
            assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
        }
    }

    static String magnet(Setup s, LocalTracker tracker) {
        return "magnet:?xt=urn:btih:" + HexFormat.of().formatHex(s.meta().infoHash()) + "&dn=film.bin&tr="
                + URLEncoder.encode(tracker.announceUrl(), StandardCharsets.UTF_8);
    }

    /** Until the client has announced (after checking its data), so that the tracker names it. */
    static void awaitPeers(LocalTracker tracker, Setup s, RealClient client) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (tracker.peers(s.meta().infoHash()) == 0) {
            assertTrue(client.process().isAlive(), "client exited: " + client.output());
            assertTrue(System.nanoTime() < end, "client never announced: " + client.output());
            Thread.sleep(50);
        }
    }
}
