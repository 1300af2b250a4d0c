package org.swarmwatch.probe.eval;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Flow recall and precision for BitTorrent, hash recall, false hashes and kinds, summed over the
 * captures of a run, for one tool. Flow counts are per capture (the manifests give counts, not
 * flow lists): a tool that labels {@code d} flows where {@code e} are expected has
 * {@code min(d, e)} right and {@code max(0, d - e)} wrong.
 */
final class Scorecard {
    final String tool;
    long expectedFlows, detectedFlows, truePositiveFlows;
    long visibleHashes, foundHashes, falseHashes, kindsKnown, kindsRight;

    Scorecard(String tool) {
        this.tool = tool;
    }

    /** Adds one capture; returns a one-line summary of it. */
    String add(String file, CaptureResult r, GroundTruth truth) {
        int expected = truth.expectedBitTorrentFlows().getOrDefault(file, 0);
        if (expected == GroundTruth.ALL_FLOWS) {
            expected = r.flows();
        }
        expectedFlows += expected;
        detectedFlows += r.bitTorrentFlows();
        truePositiveFlows += Math.min(expected, r.bitTorrentFlows());
        Set<String> visible = truth.visibleHashes().getOrDefault(file, Set.of());
        Map<String, String> kinds = truth.rightKinds().getOrDefault(file, Map.of());
        int found = 0, wrong = 0;
        for (String h : visible) {
            if (r.hashes().containsKey(h)) {
                found++;
            }
            String right = kinds.get(h);
            if (right != null && r.hashes().containsKey(h)) {
                kindsKnown++;
                if (r.hashes().get(h).contains(right)) {
                    kindsRight++;
                }
            }
        }
        for (String h : r.hashes().keySet()) {
            if (!visible.contains(h) && !kinds.containsKey(h)) {
                wrong++;
            }
        }
        visibleHashes += visible.size();
        foundHashes += found;
        falseHashes += wrong;
        return String.format(Locale.ROOT, "%-44s %-10s flows %4d bittorrent %4d/%-4d hashes %d/%d false %d", file, tool, r.flows(),
                r.bitTorrentFlows(), expected, found, visible.size(), wrong);
    }

    double flowRecall() {
        return expectedFlows == 0 ? 1 : (double) truePositiveFlows / expectedFlows;
    }

    double flowPrecision() {
        return detectedFlows == 0 ? 1 : (double) truePositiveFlows / detectedFlows;
    }

    String row() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %.1f%% | %.1f%% | %d/%d (%.1f%%) | %d | %s |", tool, expectedFlows, detectedFlows,
                100 * flowRecall(), 100 * flowPrecision(), foundHashes, visibleHashes,
                visibleHashes == 0 ? 100.0 : 100.0 * foundHashes / visibleHashes, falseHashes,
                kindsKnown == 0 ? "-" : kindsRight + "/" + kindsKnown);
    }

    static String header() {
        return "| tool | BitTorrent flows expected | labelled BitTorrent | flow recall | flow precision | hashes found | false hashes | hash kind right |\n"
                + "|---|---|---|---|---|---|---|---|";
    }
}
