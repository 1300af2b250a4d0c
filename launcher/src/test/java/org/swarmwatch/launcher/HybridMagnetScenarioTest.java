package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.URI;
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
import org.swarmwatch.peer.session.MetadataFetcher;
import org.swarmwatch.peer.session.TorrentSession;
import org.swarmwatch.peer.torrent.Magnet;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.tracker.LocalTracker;

/**
 * A hybrid torrent (BEP 52: v1 {@code pieces} and a v2 {@code file tree} in one info dictionary)
 * fetched by magnet between two reference peers, captured live by the probe: the metadata
 * exchange (BEP 9) hands the whole info dictionary over a connection whose handshake carries the
 * SHA-1, and the probe reports that hash as {@code btih_v1} and the dictionary's SHA-256 as
 * {@code btih_v2}. Two independent implementations of BEP 9 and BEP 52, the reference peer's
 * torrent builder and metadata fetcher and the probe's dissector, checked against each other.
 * Needs root (live capture on {@code lo}); everything stays on 127.0.0.0/8.
 */
class HybridMagnetScenarioTest {

    @Test
    void aHybridTorrentFetchedByMagnetShowsBothInfohashesWithTheirKinds(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        Path seed = Files.createDirectories(dir.resolve("seed")), leech = Files.createDirectories(dir.resolve("leech"));
        byte[] content = new byte[200_000];
        new Random(52).nextBytes(content);
        Files.write(seed.resolve("film.bin"), content);
        InetAddress seederAddress = InetAddress.getByName("127.0.0.1"), leecherAddress = InetAddress.getByName("127.0.0.2");
        Path records = dir.resolve("records.jsonl");
        TorrentBuilder.Torrent torrent;
        int exit;
        try (LocalTracker tracker = LocalTracker.start(seederAddress, 0, 1)) {
            torrent = TorrentBuilder.create(seed.resolve("film.bin"), TorrentBuilder.Version.HYBRID, 32768, tracker.announceUrl());
            Metainfo meta = Metainfo.parse(torrent.metainfo());
            int trackerPort = URI.create(tracker.announceUrl()).getPort();
            try (TorrentSession seeder = TorrentSession.start(meta, seed, Scenario.peer(seederAddress))) {
                List<String> args = List.of("capture", "--interface", "lo", "--filter",
                        "tcp and (port " + trackerPort + " or port " + seeder.address().getPort() + ")", "--duration", "10s", "--quiet",
                        "--subscriber-net", "127.0.0.2/32", "--lab-raw-addresses", "--out", records.toString());
                CompletableFuture<Integer> capture = CompletableFuture.supplyAsync(() -> Swarmwatch.execute(args.toArray(String[]::new)));
                Thread.sleep(2500); // libpcap open
                Metainfo fetched = MetadataFetcher.fetch(Magnet.parse(torrent.magnet(List.of(tracker.announceUrl()))),
                        Scenario.peer(leecherAddress), Duration.ofSeconds(20));
                assertArrayEquals(torrent.info(), fetched.info());
                try (TorrentSession leecher = TorrentSession.start(fetched, leech, Scenario.peer(leecherAddress))) {
                    assertTrue(leecher.awaitComplete(Duration.ofSeconds(20)), "the leecher finished");
                }
                exit = capture.get(60, TimeUnit.SECONDS);
            }
        }
        assertEquals(0, exit);
        assertArrayEquals(content, Files.readAllBytes(leech.resolve("film.bin")));
        String v1 = HexFormat.of().formatHex(torrent.v1()), v2 = HexFormat.of().formatHex(torrent.v2());
        List<String> lines = Files.readAllLines(records);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"seen_in\":\"handshake\"") && l.contains("\"hash\":\"" + v1 + "\"")
                && l.contains("\"hash_kind\":\"btih_v1\"")), "the SHA-1 in the handshake, proven v1 by the dictionary: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"seen_in\":\"metadata\"") && l.contains("\"hash\":\"" + v2 + "\"")
                && l.contains("\"hash_kind\":\"btih_v2\"")), "the hybrid dictionary's SHA-256: " + lines);
        String truncated = v2.substring(0, 40);
        assertTrue(lines.stream().noneMatch(l -> l.contains("\"hash\":\"" + truncated + "\"") && !l.contains("btih_v2_truncated")),
                "the truncated v2 hash, if seen, with its kind");
        assertTrue(lines.stream().noneMatch(l -> l.contains("\"hash\":\"" + v1 + "\"") && l.contains("\"hash_kind\":\"btih_v2")),
                "the SHA-1 is never called v2");
    }
}
