package org.swarmwatch.probe.eval;

/**
 * Flows of one protocol: how many the truth expects, how many a tool labelled, how many of those
 * were right.
 */
public record FlowCount(long expected, long detected, long truePositives) {
    static final FlowCount ZERO = new FlowCount(0, 0, 0);

    FlowCount plus(FlowCount o) {
        return new FlowCount(expected + o.expected, detected + o.detected, truePositives + o.truePositives);
    }

    /** Right / expected, or null when nothing is expected. */
    public Double recall() {
        return expected == 0 ? null : (double) truePositives / expected;
    }

    /** Right / labelled, or null when the tool labelled nothing. */
    public Double precision() {
        return detected == 0 ? null : (double) truePositives / detected;
    }
}
