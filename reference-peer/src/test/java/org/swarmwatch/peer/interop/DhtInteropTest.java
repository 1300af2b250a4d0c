package org.swarmwatch.peer.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.dht.DhtConfig;
import org.swarmwatch.peer.dht.DhtNode;
import org.swarmwatch.peer.session.MetadataFetcher;
import org.swarmwatch.peer.session.PeerConfig;
import org.swarmwatch.peer.session.TorrentSession;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;

/**
 * The reference DHT node against libtorrent's (Debian's python3-libtorrent), on 127.0.0.1 with
 * no tracker anywhere: libtorrent's only bootstrap node is a reference node the test starts
 * (lt_dht.py replaces its default router list with it), so the DHT is the one way the peers meet.
 * Each way round: libtorrent announces its seed to the reference node and the reference peer
 * finds it there by magnet link; the reference peer announces its seed and libtorrent finds it.
 */
class DhtInteropTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final int SIZE = 512 * 1024 + 999;

    @BeforeAll
    static void libtorrentIsInstalled() {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "run scripts/system-deps.sh libtorrent");
    }

    record Setup(Path seed, Path leech, Path torrentFile, Metainfo meta, byte[] content, String magnet) {
    }

    static Setup setup(Path dir) throws Exception {
        Path seed = Files.createDirectories(dir.resolve("seed")), leech = Files.createDirectories(dir.resolve("leech"));
        byte[] content = new byte[SIZE];
        new Random(43).nextBytes(content);
        Files.write(seed.resolve("film.bin"), content);
        TorrentBuilder.Torrent t = TorrentBuilder.create(seed.resolve("film.bin"), Version.V1, 32768, null); // no tracker
        Metainfo meta = Metainfo.parse(t.metainfo());
        String magnet = "magnet:?xt=urn:btih:" + HexFormat.of().formatHex(meta.infoHash()) + "&dn=film.bin";
        return new Setup(seed, leech, Files.write(dir.resolve("film.torrent"), t.metainfo()), meta, content, magnet);
    }

    static PeerConfig config(DhtNode router) {
        return PeerConfig.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2))
                .withDhtBootstrap(List.of(router.address()));
    }

    static void waitFor(String what, RealClient client, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(client.process().isAlive(), "client exited before " + what + ": " + client.output());
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what + ": " + client.output());
            Thread.sleep(100);
        }
    }

    @Test
    void theReferencePeerFindsLibtorrentsSeedAtTheReferenceNodeAndDownloadsIt(@TempDir Path dir) throws Exception {
        Setup s = setup(dir);
        int port = RealClient.freePort();
        InetSocketAddress lt = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (DhtNode router = DhtNode.start(DhtConfig.defaults());
                RealClient seeder = RealClient.libtorrentDht(s.torrentFile().toString(), s.seed(), port, true, router.address(),
                        dir.resolve("lt.log"))) {
            waitFor("libtorrent's announce_peer", seeder, () -> router.storedPeers(s.meta().infoHash()).contains(lt));
            assertTrue(router.stats().nodes() >= 1, "libtorrent's node is in the reference node's table: " + router.stats());

            PeerConfig config = config(router);
            Metainfo meta = MetadataFetcher.fetch(Magnet.parse(s.magnet()), config, WAIT);
            assertArrayEquals(s.meta().info(), meta.info(), "the metadata came from libtorrent");
            try (TorrentSession leecher = TorrentSession.start(meta, s.leech(), config)) {
                assertTrue(leecher.awaitComplete(WAIT), "download finished: " + seeder.output());
            }
        }
        assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
    }

    @Test
    void libtorrentFindsTheReferenceSeedThroughTheReferenceNodeByMagnet(@TempDir Path dir) throws Exception {
        Setup s = setup(dir);
        try (DhtNode router = DhtNode.start(DhtConfig.defaults());
                TorrentSession seeder = TorrentSession.start(s.meta(), s.seed(), config(router))) {
            long end = System.nanoTime() + WAIT.toNanos();
            while (!router.storedPeers(s.meta().infoHash()).contains(seeder.address())) {
                assertTrue(System.nanoTime() < end, "the reference seeder announced itself");
                Thread.sleep(50);
            }
            try (RealClient leecher = RealClient.libtorrentDht(s.magnet(), s.leech(), RealClient.freePort(), false, router.address(),
                    dir.resolve("lt.log"))) {
                assertTrue(leecher.waitFor(WAIT), "libtorrent finished: " + leecher.output());
                assertEquals(0, leecher.process().exitValue(), leecher.output());
            }
            assertTrue(seeder.uploaded() >= SIZE, "the bytes came from the reference seeder");
        }
        assertArrayEquals(s.content(), Files.readAllBytes(s.leech().resolve("film.bin")));
    }
}
