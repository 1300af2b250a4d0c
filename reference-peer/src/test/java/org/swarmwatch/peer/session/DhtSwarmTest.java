package org.swarmwatch.peer.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.dht.DhtConfig;
import org.swarmwatch.peer.dht.DhtNode;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.torrent.TorrentBuilder.Version;

/**
 * Two reference peers that know of each other only through the DHT: a torrent without a tracker,
 * a magnet link without a tracker, and a standalone reference DHT node on 127.0.0.1 as the one
 * bootstrap node of both.
 */
class DhtSwarmTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aMagnetWithoutATrackerIsFetchedFromASeederFoundThroughTheDht(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed"), leech = dir.resolve("leech");
        SwarmTest.write(seed.resolve("film.bin"), 300_000, 21);
        Files.createDirectories(leech);
        TorrentBuilder.Torrent t = TorrentBuilder.create(seed.resolve("film.bin"), Version.V1, 32768, null);
        Metainfo meta = Metainfo.parse(t.metainfo());
        assertNull(meta.announce(), "no tracker at all");
        String magnet = "magnet:?xt=urn:btih:" + HexFormat.of().formatHex(meta.infoHash()) + "&dn=film.bin";
        try (DhtNode router = DhtNode.start(DhtConfig.defaults())) {
            List<InetSocketAddress> bootstrap = List.of(router.address());
            try (TorrentSession seeder = TorrentSession.start(meta, seed, SwarmTest.fast().withDhtBootstrap(bootstrap))) {
                SwarmTest.waitFor(() -> router.storedPeers(meta.infoHash()).contains(seeder.address()));
                PeerConfig config = SwarmTest.fast().withDhtBootstrap(bootstrap); // another peer id
                Metainfo fetched = MetadataFetcher.fetch(Magnet.parse(magnet), config, WAIT);
                assertArrayEquals(meta.info(), fetched.info());
                try (TorrentSession leecher = TorrentSession.start(fetched, leech, config)) {
                    assertTrue(leecher.awaitComplete(WAIT), "download finished");
                }
                assertTrue(seeder.uploaded() >= 300_000, "the bytes came from the seeder the DHT named");
            }
        }
        assertArrayEquals(Files.readAllBytes(seed.resolve("film.bin")), Files.readAllBytes(leech.resolve("film.bin")));
    }

    @Test
    void aMagnetWithoutATrackerOrADhtNodeIsRefusedClearly() {
        IOException e = assertThrows(IOException.class, () -> MetadataFetcher.fetch(
                Magnet.parse("magnet:?xt=urn:btih:" + "ab".repeat(20)), SwarmTest.fast(), WAIT));
        assertTrue(e.getMessage().contains("no tracker"), e.getMessage());
    }
}
