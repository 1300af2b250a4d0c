package org.swarmwatch.probe.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores what a tool reported for a capture against the capture's truth.
 *
 * <p><b>Flows.</b> With a per-flow truth ({@link FlowTruth.LabFlows}) a flow is right when the tool
 * labelled it with the expected protocol; with counts ({@link FlowTruth.Counts}) a tool that labels
 * {@code d} flows of a protocol where {@code e} are expected has {@code min(d, e)} right. Example:
 * bittorrent_utp.pcap expects 2 BitTorrent flows; a tool labelling 1 has recall 1/2 and
 * precision 1/1; a tool labelling 3 has recall 2/2 and precision 2/3. The "all P2P" figure does the
 * same with any P2P label counting for any expected P2P flow (nDPI 4.2 calls Bitcoin "Mining").
 *
 * <p><b>Hashes.</b> Found: visible hashes the tool reported. False: reported hashes that are not
 * the capture's content. Kind: for each reported hash whose kind the truth gives, right when the
 * reported definite kinds are exactly that one, unspecific when the tool said only {@code btih}
 * (a 20-byte hash whose version the traffic did not show) or gave no kind, wrong otherwise.
 */
final class Scoring {
    /** Hash kinds that claim no version. */
    static final Set<String> UNSPECIFIC_KINDS = Set.of("btih", "");

    private Scoring() {
    }

    static CaptureScore score(CaptureTruth truth, ToolResult result, P2pProtocols p2p) {
        Map<String, long[]> counts = new TreeMap<>(); // protocol -> expected, detected, right
        long[] all = new long[3];
        int truthFlows = -1;
        if (truth.flows() instanceof FlowTruth.LabFlows lab) {
            for (Map.Entry<FlowKey, String> flow : result.flows().entrySet()) {
                String expected = lab.expected(flow.getKey()) ? lab.protocol() : null;
                String labelled = p2p.of(flow.getValue());
                if (expected != null) {
                    counts.computeIfAbsent(expected, k -> new long[3])[0]++;
                    all[0]++;
                }
                if (labelled != null) {
                    counts.computeIfAbsent(labelled, k -> new long[3])[1]++;
                    all[1]++;
                }
                if (expected != null && expected.equals(labelled)) {
                    counts.get(expected)[2]++;
                }
                if (expected != null && labelled != null) {
                    all[2]++;
                }
            }
        } else if (truth.flows() instanceof FlowTruth.Counts c) {
            truthFlows = c.totalFlows();
            c.expected().forEach((protocol, n) -> {
                if (n > 0) {
                    counts.computeIfAbsent(protocol, k -> new long[3])[0] += n;
                    all[0] += n;
                }
            });
            for (String label : result.flows().values()) {
                String labelled = p2p.of(label);
                if (labelled != null) {
                    counts.computeIfAbsent(labelled, k -> new long[3])[1]++;
                    all[1]++;
                }
            }
            counts.values().forEach(n -> n[2] = Math.min(n[0], n[1]));
            all[2] = Math.min(all[0], all[1]);
        }
        Map<String, FlowCount> byProtocol = new TreeMap<>();
        counts.forEach((protocol, n) -> byProtocol.put(protocol, new FlowCount(n[0], n[1], n[2])));
        return new CaptureScore(truth.name(), result.flows().size(), truthFlows, byProtocol, new FlowCount(all[0], all[1], all[2]),
                hashes(truth.hashes(), result.hashes()), truth.note());
    }

    static HashScore hashes(HashTruth truth, Map<String, Set<String>> reported) {
        List<String> missed = new ArrayList<>(new TreeSet<>(truth.visible()));
        missed.removeAll(reported.keySet());
        List<String> falseHashes = new ArrayList<>();
        int kindKnown = 0, kindRight = 0, kindUnspecific = 0;
        List<String> kindWrong = new ArrayList<>();
        for (Map.Entry<String, Set<String>> r : reported.entrySet()) {
            String hash = r.getKey();
            if (!truth.content().contains(hash)) {
                falseHashes.add(hash);
                continue;
            }
            String expected = truth.kinds().get(hash);
            if (expected == null) {
                continue;
            }
            kindKnown++;
            Set<String> definite = new TreeSet<>(r.getValue());
            definite.removeAll(UNSPECIFIC_KINDS);
            if (definite.isEmpty()) {
                kindUnspecific++;
            } else if (definite.equals(Set.of(expected))) {
                kindRight++;
            } else {
                kindWrong.add(hash + ": " + String.join(",", new TreeSet<>(r.getValue())) + " (expected " + expected + ")");
            }
        }
        return new HashScore(truth.visible().size(), truth.visible().size() - missed.size(), List.copyOf(missed), List.copyOf(falseHashes),
                kindKnown, kindRight, kindUnspecific, List.copyOf(kindWrong));
    }

    /** Adds per-protocol counts. */
    static Map<String, FlowCount> sum(Map<String, FlowCount> a, Map<String, FlowCount> b) {
        Map<String, FlowCount> s = new HashMap<>(a);
        b.forEach((p, c) -> s.merge(p, c, FlowCount::plus));
        return new TreeMap<>(s);
    }
}
