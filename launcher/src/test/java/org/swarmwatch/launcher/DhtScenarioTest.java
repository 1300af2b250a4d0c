package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

/**
 * Two independent implementations of BEP 5 checked against each other: reference peers that meet
 * only through a reference DHT node (no tracker anywhere), captured live on {@code lo} by the
 * probe, whose DHT dissector must see the seeder's announce_peer and the leecher's get_peers
 * (answered with values) for the torrent's info hash. Needs root (live capture); everything stays
 * on 127.0.0.0/8: the DHT node on 127.0.0.10, the seeder on 127.0.0.1, the leecher on 127.0.0.2.
 */
class DhtScenarioTest {

    @Test
    void theProbeSeesTheReferencePeersAnnounceAndLookUpThroughTheReferenceDht(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        Path seed = Files.createDirectories(dir.resolve("seed")), leech = Files.createDirectories(dir.resolve("leech"));
        byte[] content = new byte[200_000];
        new Random(7).nextBytes(content);
        Files.write(seed.resolve("film.bin"), content);
        Metainfo meta = Metainfo.parse(TorrentBuilder.create(seed.resolve("film.bin"), TorrentBuilder.Version.V1, 32768, null).metainfo());
        String hash = HexFormat.of().formatHex(meta.infoHash());
        Path records = dir.resolve("records.jsonl"), pcap = dir.resolve("dht.pcap");
        InetAddress nodeAddress = InetAddress.getByName("127.0.0.10");
        int exit;
        try (DhtNode node = DhtNode.start(DhtConfig.defaults().withAddress(nodeAddress, 0, InetAddress::isLoopbackAddress))) {
            List<String> args = List.of("capture", "--interface", "lo", "--filter", "udp and port " + node.address().getPort(),
                    "--duration", "10s", "--quiet", "--subscriber-net", "127.0.0.0/30", "--write-pcap", pcap.toString(),
                    "--out", records.toString());
            CompletableFuture<Integer> capture = CompletableFuture.supplyAsync(() -> Swarmwatch.execute(args.toArray(String[]::new)));
            Thread.sleep(2500); // libpcap open
            PeerConfig seeder = peer("127.0.0.1", node), leecher = peer("127.0.0.2", node);
            try (TorrentSession s = TorrentSession.start(meta, seed, seeder)) {
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (node.storedPeers(meta.infoHash()).isEmpty()) {
                    assertTrue(System.nanoTime() < end, "the seeder announced itself to the DHT node");
                    Thread.sleep(50);
                }
                Metainfo fetched = MetadataFetcher.fetch(Magnet.parse("magnet:?xt=urn:btih:" + hash), leecher, Duration.ofSeconds(20));
                try (TorrentSession l = TorrentSession.start(fetched, leech, leecher)) {
                    assertTrue(l.awaitComplete(Duration.ofSeconds(20)), "download finished");
                }
            }
            exit = capture.get(60, TimeUnit.SECONDS);
        }
        assertEquals(0, exit);
        assertArrayEquals(content, Files.readAllBytes(leech.resolve("film.bin")));
        List<String> lines = Files.readAllLines(records);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"seen_in\":\"dht_announce_peer\"") && l.contains("\"hash\":\"" + hash + "\"")),
                "the seeder's announce_peer: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"seen_in\":\"dht_get_peers\"") && l.contains("\"hash\":\"" + hash + "\"")),
                "the leecher's get_peers, answered with the seeder: " + lines);
    }

    /** A peer of its own bound to {@code address}, finding peers through {@code node} only. */
    static PeerConfig peer(String address, DhtNode node) throws Exception {
        return Scenario.peer(InetAddress.getByName(address)).withDhtBootstrap(List.of(node.address()));
    }
}
