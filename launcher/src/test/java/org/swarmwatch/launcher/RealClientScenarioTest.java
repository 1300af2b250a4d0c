package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.launcher.Scenario.Client;
import org.swarmwatch.launcher.Scenario.Download;

/**
 * The scenario harness with real clients: a reference peer seeds a 256 KiB file to a swarm of
 * aria2c, libtorrent (python3-libtorrent), transmission-cli and a reference leecher, each on a
 * loopback address of its own, through the local tracker; the probe captures it live on
 * {@code lo} and writes the pcap, the harness writes its MANIFEST.tsv row. Checked: every leecher
 * has the file intact; the probe's live records show the seeder offering the torrent and name the
 * real clients it saw (by BEP 10 {@code v} or peer id); the pcap replays to the same; {@code eval}
 * reads the manifest and finds the one visible hash, and nothing else. Needs root (live capture) and
 * the clients (scripts/system-deps.sh aria2 libtorrent transmission); everything stays on 127.0.0.0/24.
 */
class RealClientScenarioTest {
    /** How the probe names each real client: the start of the record's {@code client}. */
    static final Map<Client, String> NAMES = Map.of(Client.ARIA2, "aria2", Client.LIBTORRENT, "libtorrent",
            Client.TRANSMISSION, "Transmission");
    /** The start of each client's peer id (BEP 20). */
    static final Map<Client, String> PEER_IDS = Map.of(Client.REFERENCE_PEER, "-SW0001-", Client.ARIA2, "A2-",
            Client.LIBTORRENT, "-LT", Client.TRANSMISSION, "-TR");

    /**
     * {@code -Dswarmwatch.scenario.dir=DIR} keeps what the scenario made (pcap, MANIFEST.tsv, the
     * torrent, the clients' files and logs, the probe's records) in DIR instead of a temporary folder.
     */
    static final String KEEP = "swarmwatch.scenario.dir";
    /**
     * {@code -Dswarmwatch.scenario.leechers=aria2,libtorrent,...} ({@link Client} names, any case,
     * repeats allowed) chooses the leechers instead of one of each.
     */
    static final String LEECHERS = "swarmwatch.scenario.leechers";

    @Test
    void aSwarmOfRealClientsIsCapturedLiveWithItsGroundTruth(@TempDir Path temporary) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        Path dir = System.getProperty(KEEP) == null ? temporary : emptyDirectory(Path.of(System.getProperty(KEEP)));
        Path records = dir.resolve("records.jsonl");
        List<Client> leechers = System.getProperty(LEECHERS) == null
                ? List.of(Client.ARIA2, Client.LIBTORRENT, Client.TRANSMISSION, Client.REFERENCE_PEER)
                : Stream.of(System.getProperty(LEECHERS).split(",")).map(c -> Client.valueOf(c.trim().toUpperCase(Locale.ROOT))).toList();
        String name = "s1_swarm_reference_" + leechers.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("_"));
        Scenario.Swarm s = Scenario.swarm(dir, name, 256 * 1024, leechers,
                Duration.ofSeconds(25), List.of("--out", records.toString()));
        assertEquals(0, s.captureExit(), "the capture ended cleanly");
        for (Download d : s.downloads()) {
            assertArrayEquals(s.content(), Files.readAllBytes(d.file()), d + " has the file intact");
        }
        assertTrue(s.seederUploaded() >= s.content().length, "the seeder uploaded at least one copy: " + s.seederUploaded());

        String hash = "\"hash\":\"" + s.infohash() + "\"";
        List<String> live = Files.readAllLines(records);
        assertTrue(live.stream().anyMatch(l -> l.contains(hash) && l.contains("\"seen_in\":\"handshake\"") && l.contains("\"role\":\"offering\"")
                && l.contains("\"client\":\"Swarmwatch reference peer\"")), "the seeder's handshake, offering: " + live);
        for (Client c : leechers) {
            if (c != Client.REFERENCE_PEER) {
                assertTrue(live.stream().anyMatch(l -> l.contains(hash) && l.contains("\"client\":\"" + NAMES.get(c))),
                        "the probe names " + c + ": " + live);
            }
        }

        Path replayed = dir.resolve("replayed.jsonl");
        assertEquals(0, Swarmwatch.execute("replay", "--quiet", "--out", replayed.toString(), s.pcap().toString()));
        List<String> offline = Files.readAllLines(replayed);
        assertTrue(offline.stream().anyMatch(l -> l.contains(hash) && l.contains("\"seen_in\":\"handshake\"")
                && l.contains("\"role\":\"offering\"")), "the pcap replays to the seeder offering: " + offline);

        List<String> manifest = Files.readAllLines(s.manifest());
        assertEquals(2, manifest.size(), "a header and this scenario's row: " + manifest);
        List<String> header = List.of(manifest.get(0).split("\t", -1)), row = List.of(manifest.get(1).split("\t", -1));
        assertEquals(ScenarioManifest.sharedHeader(), header, "the shared manifest's columns");
        assertEquals(s.pcap().getFileName().toString(), row.get(header.indexOf("file")));
        assertEquals(s.infohash(), row.get(header.indexOf("seen_in_handshake")), "the handshakes are in clear");
        assertEquals("32/32", row.get(header.indexOf("content_visible")), "the file's bytes are in clear");
        String peerIds = row.get(header.indexOf("peer_ids"));
        for (Client c : leechers) {
            assertTrue(peerIds.contains(PEER_IDS.get(c)), c + "'s peer id among the handshakes': " + peerIds);
        }
        assertTrue(Long.parseLong(row.get(header.indexOf("packets"))) > 0, "packets counted: " + row);

        Eval eval = eval(dir.toString(), "--manifest", s.manifest().toString(), "--format", "json", "--quiet");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode probe = new ObjectMapper().readTree(eval.out()).path("tools").get(0);
        assertEquals("swarmwatch", probe.path("tool").asText());
        JsonNode hashes = probe.path("hashes");
        assertEquals(1, hashes.path("visible").asInt(), eval.out());
        assertEquals(1, hashes.path("found").asInt(), "the probe finds the infohash: " + eval.out());
        assertEquals(0, hashes.path("false").asInt(), "and no other: " + eval.out());
    }

    /** {@code dir}, made if missing; refused unless empty (the scenario's manifest is appended to, its files overwritten). */
    static Path emptyDirectory(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("-D" + KEEP + "=" + dir + ": the folder must be empty or new");
            }
        }
        return dir;
    }

    record Eval(int exitCode, String out, String err) {
    }

    /** {@code swarmwatch eval ARGS} in this JVM, its standard output and error kept. */
    static synchronized Eval eval(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of("eval"));
            all.addAll(List.of(args));
            int code = Swarmwatch.execute(all.toArray(String[]::new));
            return new Eval(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
