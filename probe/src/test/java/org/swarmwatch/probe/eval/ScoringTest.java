package org.swarmwatch.probe.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metrics on small hand-made truths, where every figure can be worked out by hand. */
class ScoringTest {
    static final String V1 = "a".repeat(40), TRUNCATED = "b".repeat(40), FULL = "b".repeat(40) + "c".repeat(24),
            OTHER = "d".repeat(40), ROUTING = "e".repeat(40);
    static final P2pProtocols P2P = new P2pProtocols(Set.of("bittorrent", "bitcoin", "mining"));
    static final FlowTruth LAB = new FlowTruth.LabFlows(List.of(Subnet.parse("10.77.0.0/24")), "bittorrent");

    static FlowKey flow(String a, String b) {
        return FlowKey.of("tcp", a, 40000, b, 6881);
    }

    @Test
    void perFlowTruthCountsAMissedFlowAndAFalseOne() {
        ToolResult r = new ToolResult();
        r.flow(flow("10.77.0.11", "10.77.0.12"), "bittorrent");
        r.flow(FlowKey.of("tcp", "10.77.0.12", 6881, "10.77.0.11", 40000), "unknown"); // the same flow, a later segment: still right
        r.flow(flow("10.77.0.11", "10.77.0.1"), "HTTP.BitTorrent"); // nDPI's label for a tracker flow
        r.flow(flow("10.77.0.12", "10.77.0.1"), "unknown"); // missed
        r.flow(flow("10.77.0.12", "192.0.2.7"), "bittorrent"); // outside the lab: false
        r.flow(flow("192.0.2.7", "192.0.2.8"), "TLS"); // outside, not P2P: not counted at all

        CaptureScore s = Scoring.score(new CaptureTruth("x.pcap", LAB, HashTruth.NONE, ""), r, P2P);

        assertEquals(5, s.flows());
        assertEquals(new FlowCount(3, 3, 2), s.byProtocol().get("bittorrent"));
        assertEquals(2.0 / 3, s.allP2p().recall());
        assertEquals(2.0 / 3, s.allP2p().precision());
    }

    @Test
    void countTruthCreditsAtMostTheExpectedNumberPerCaptureAndProtocol() {
        FlowTruth counts = new FlowTruth.Counts(Map.of("bittorrent", 2, "bitcoin", 3), 10);
        ToolResult r = new ToolResult();
        r.flow(flow("192.0.2.1", "192.0.2.2"), "BitTorrent");
        r.flow(flow("192.0.2.1", "192.0.2.3"), "bittorrent");
        r.flow(flow("192.0.2.1", "192.0.2.4"), "bittorrent"); // one more than expected
        r.flow(flow("192.0.2.1", "192.0.2.5"), "Mining"); // a P2P label, the wrong protocol
        r.flow(flow("192.0.2.1", "192.0.2.6"), "unknown");

        CaptureScore s = Scoring.score(new CaptureTruth("y.pcap", counts, HashTruth.NONE, ""), r, P2P);

        assertEquals(new FlowCount(2, 3, 2), s.byProtocol().get("bittorrent"));
        assertEquals(new FlowCount(3, 0, 0), s.byProtocol().get("bitcoin"));
        assertEquals(new FlowCount(0, 1, 0), s.byProtocol().get("mining"));
        assertNull(s.byProtocol().get("mining").recall(), "nothing expected: recall undefined, not 100%");
        assertEquals(0.0, s.byProtocol().get("mining").precision());
        assertEquals(new FlowCount(5, 4, 4), s.allP2p(), "any P2P label for any expected P2P flow");
    }

    @Test
    void hashesFoundMissedFalseAndTheirKinds() {
        HashTruth truth = new HashTruth(Set.of(V1, TRUNCATED), Set.of(V1, TRUNCATED, FULL),
                Map.of(V1, "btih_v1", TRUNCATED, "btih_v2_truncated", FULL, "btih_v2"));
        ToolResult r = new ToolResult();
        r.hash(V1, "btih");
        r.hash(V1, "btih_v1"); // proven later: right
        r.hash(FULL, "btih_v2"); // content though not in the visible list: neither found nor false
        r.hash(OTHER, "btih"); // false
        r.hash(ROUTING, "btih"); // false too: a DHT routing target is not content

        HashScore h = Scoring.hashes(truth, r.hashes());

        assertEquals(2, h.visible());
        assertEquals(1, h.found());
        assertEquals(List.of(TRUNCATED), h.missed());
        assertEquals(List.of(OTHER, ROUTING), h.falseHashes());
        assertEquals(2, h.kindKnown());
        assertEquals(2, h.kindRight());
        assertEquals(0.5, h.recall());
    }

    @Test
    void aKindIsUnspecificWithoutAVersionAndWrongWithAnotherOne() {
        HashTruth truth = new HashTruth(Set.of(V1, TRUNCATED), Set.of(V1, TRUNCATED), Map.of(V1, "btih_v1", TRUNCATED, "btih_v2_truncated"));
        ToolResult r = new ToolResult();
        r.hash(V1, "btih");
        r.hash(V1, ""); // a tool that gives no kind
        r.hash(TRUNCATED, "btih_v2_truncated");
        r.hash(TRUNCATED, "btih_v1"); // two definite kinds: one is wrong

        HashScore h = Scoring.hashes(truth, r.hashes());

        assertEquals(2, h.found());
        assertEquals(0, h.kindRight());
        assertEquals(1, h.kindUnspecific());
        assertEquals(List.of(TRUNCATED + ": btih_v1,btih_v2_truncated (expected btih_v2_truncated)"), h.kindWrong());
    }

    @Test
    void aScorecardSumsItsCaptures() {
        FlowTruth counts = new FlowTruth.Counts(Map.of("bittorrent", 1), 1);
        HashTruth oneHash = new HashTruth(Set.of(V1), Set.of(V1), Map.of());
        ToolResult found = new ToolResult();
        found.flow(flow("192.0.2.1", "192.0.2.2"), "bittorrent");
        found.hash(V1, "btih");
        ToolResult missed = new ToolResult();
        missed.flow(flow("192.0.2.1", "192.0.2.2"), "unknown");
        missed.hash(OTHER, "btih");

        Scorecard card = new Scorecard("t");
        card.add(Scoring.score(new CaptureTruth("a", counts, oneHash, ""), found, P2P));
        card.add(Scoring.score(new CaptureTruth("b", counts, oneHash, ""), missed, P2P));

        assertEquals(new FlowCount(2, 1, 1), card.byProtocol().get("bittorrent"));
        assertEquals(0.5, card.allP2p().recall());
        assertEquals(1.0, card.allP2p().precision());
        assertEquals(2, card.hashes().visible());
        assertEquals(1, card.hashes().found());
        assertEquals(List.of(V1), card.hashes().missed());
        assertEquals(List.of(OTHER), card.hashes().falseHashes());
        assertEquals(2, card.flows());
    }
}
