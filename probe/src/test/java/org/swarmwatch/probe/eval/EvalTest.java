package org.swarmwatch.probe.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring arithmetic, manifest errors, and one real run whose figures follow from the manifest. */
class EvalTest {
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();
    static final String H1 = "a".repeat(40), H2 = "b".repeat(40), V2 = "c".repeat(64);

    @Test
    void missedFlowsFalseFlowsFalseHashesAndKinds() {
        GroundTruth truth = new GroundTruth(Map.of("x.pcap", 4, "y.pcap", 0), Map.of("x.pcap", Set.of(H1), "y.pcap", Set.of()),
                Map.of("x.pcap", Map.of(H1, "btih_v1")));
        Scorecard s = new Scorecard("t");
        s.add("x.pcap", new CaptureResult(5, 3, Map.of(H1, Set.of("btih"), H2, Set.of("btih"))), truth);
        s.add("y.pcap", new CaptureResult(2, 1, Map.of()), truth);
        assertEquals(4, s.expectedFlows);
        assertEquals(4, s.detectedFlows);
        assertEquals(3, s.truePositiveFlows, "3 of 4 in x; the one in y is wrong");
        assertEquals(0.75, s.flowRecall());
        assertEquals(0.75, s.flowPrecision());
        assertEquals(1, s.foundHashes);
        assertEquals(1, s.falseHashes, H2 + " is not in x");
        assertEquals(1, s.kindsKnown);
        assertEquals(0, s.kindsRight, "btih is not the btih_v1 the manifest says");
    }

    @Test
    void malformedManifestsAreNamedWithTheirLine(@TempDir Path dir) throws IOException {
        Path unknown = Files.writeString(dir.resolve("a.tsv"), "name\tsize\nx\t1\n");
        assertTrue(assertThrows(IOException.class, () -> GroundTruth.read(unknown)).getMessage().contains("line 1: not a known manifest"));
        Path bad = Files.writeString(dir.resolve("b.tsv"), "file\tseen_in_handshake\tseen_in_tracker\tseen_in_dht_announce_peer\t"
                + "infohash_v1\tinfohash_v2_sha256\nx.pcap\tXYZ\t-\t-\t-\t-\n");
        String message = assertThrows(IOException.class, () -> GroundTruth.read(bad)).getMessage();
        assertTrue(message.contains("line 2") && message.contains("'XYZ'"), message);
        Path short_ = Files.writeString(dir.resolve("c.tsv"), "file\tseen_in_handshake\nx.pcap\n");
        assertTrue(assertThrows(IOException.class, () -> GroundTruth.read(short_)).getMessage().contains("line 2: 1 columns"));
    }

    @Test
    void aRealRunFindsWhatTheManifestSays() throws Exception {
        Path dir = SHARED.resolve("bt-captures/pcaps");
        EvalReport report = EvalReport.run(dir, dir.resolve("MANIFEST.tsv"), false, null);
        Scorecard s = report.probe();
        GroundTruth truth = GroundTruth.read(dir.resolve("MANIFEST.tsv"));
        assertEquals(truth.visibleHashes().values().stream().mapToInt(Set::size).sum(), s.visibleHashes);
        assertEquals(s.visibleHashes, s.foundHashes, "BitTorrentCapturesTest asserts every ground-truth hash is found");
        assertEquals(0, s.falseHashes);
        assertTrue(report.table().contains("| swarmwatch | " + s.expectedFlows + " | " + s.detectedFlows + " |"), report.table());
    }
}
