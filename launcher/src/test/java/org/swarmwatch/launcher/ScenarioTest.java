package org.swarmwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.peer.session.Encryption;

/**
 * The scenario harness with a UDP tracker (BEP 15), written to a file: two independent
 * implementations checked against each other, the reference peer's UDP tracker client and server
 * and the probe's UDP tracker dissector: the announces are seen, with the infohash and the
 * seeder offering. Needs root (live capture); everything stays on 127.0.0.0/8.
 */
class ScenarioTest {

    @Test
    void aUdpTrackerScenarioIsSeenByTheProbe(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        Path records = dir.resolve("records.jsonl");
        Scenario.Result s = Scenario.seedAndLeech(dir, "r2_udp_tracker_reference_peers", 400_000, true, List.of("--out", records.toString()));
        assertEquals(0, s.captureExit());
        assertArrayEquals(s.content(), Files.readAllBytes(s.leeched()));
        List<String> lines = Files.readAllLines(records);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"seen_in\":\"udp_tracker\"") && l.contains("\"hash\":\"" + s.infohash() + "\"")
                && l.contains("\"role\":\"offering\"")), "the seeder's UDP announce: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"seen_in\":\"handshake\"") && l.contains("\"hash\":\"" + s.infohash() + "\"")));
        assertEquals(0, Swarmwatch.execute("eval", dir.toString(), "--manifest", s.manifest().toString()));
    }

    /**
     * Two reference peers that require MSE/PE with RC4: the probe recognises the encrypted flow
     * without a key, reads no handshake from it, and places it in the swarm by correlation with
     * the cleartext tracker announces (the reference peer's MSE checked by the probe's detector).
     */
    @Test
    void anRc4ScenarioIsRecognisedAsMseAndCorrelated(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
        Path records = dir.resolve("records.jsonl");
        Scenario.Result s = Scenario.seedAndLeech(dir, "r3_mse_rc4_reference_peers", 400_000, false, Encryption.REQUIRE_ENCRYPTED,
                List.of("--out", records.toString()));
        assertEquals(0, s.captureExit());
        assertArrayEquals(s.content(), Files.readAllBytes(s.leeched()));
        List<String> lines = Files.readAllLines(records);
        assertTrue(lines.stream().noneMatch(l -> l.contains("\"seen_in\":\"handshake\"")), "no handshake in the clear: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"seen_in\":\"correlated\"") && l.contains("\"hash\":\"" + s.infohash() + "\"")
                && l.contains("\"role\":\"offering\"")), "the seeder's side of the encrypted flow, placed in the swarm: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"flow\"") && l.contains("\"protocol\":\"bittorrent\"")),
                "the flow is BitTorrent: " + lines);
        assertEquals(0, Swarmwatch.execute("eval", dir.toString(), "--manifest", s.manifest().toString()));
    }
}
