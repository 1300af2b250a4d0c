package org.swarmwatch.probe.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Content hashes of one capture, or summed over captures.
 *
 * @param visible         hashes the truth says are visible
 * @param found           of them, reported by the tool
 * @param missed          the visible hashes the tool did not report
 * @param falseHashes     hashes reported that are not the capture's content
 * @param kindKnown       reported content hashes whose kind the truth gives
 * @param kindRight       of them, reported with that kind and no other definite kind
 * @param kindUnspecific  of them, reported only as {@code btih} (version not shown) or with no kind
 * @param kindWrong       of them, reported with a definite kind that is not the truth's: "hash: kinds (expected)"
 */
public record HashScore(int visible, int found, List<String> missed, List<String> falseHashes, int kindKnown, int kindRight,
                        int kindUnspecific, List<String> kindWrong) {
    static final HashScore ZERO = new HashScore(0, 0, List.of(), List.of(), 0, 0, 0, List.of());

    HashScore plus(HashScore o) {
        return new HashScore(visible + o.visible, found + o.found, concat(missed, o.missed), concat(falseHashes, o.falseHashes),
                kindKnown + o.kindKnown, kindRight + o.kindRight, kindUnspecific + o.kindUnspecific, concat(kindWrong, o.kindWrong));
    }

    /** Found / visible, or null when none is visible. */
    public Double recall() {
        return visible == 0 ? null : (double) found / visible;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
