package org.swarmwatch.probe.eval;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one tool reported for one capture: its TCP and UDP flows, each with the label the tool gave
 * it, and the content hashes it reported, each with the hash kinds it gave (an empty string for a
 * tool that gives none). Hash kinds are kept as the strings the tool wrote, so kinds added later
 * are scored without a change here.
 */
final class ToolResult {
    /** The label of a flow no protocol was recognised in, whatever the tool calls it. */
    static final String UNKNOWN = "unknown";

    private final Map<FlowKey, String> flows = new LinkedHashMap<>();
    private final Map<String, Set<String>> hashes = new TreeMap<>();

    /**
     * Adds a flow record. Records of the same flow (timeout segments, a 5-tuple used again) are one
     * flow; it keeps the first label other than {@link #UNKNOWN} any of them had.
     */
    void flow(FlowKey key, String label) {
        String l = label == null || label.isBlank() ? UNKNOWN : label;
        flows.merge(key, l, (old, now) -> old.equals(UNKNOWN) ? now : old);
    }

    void hash(String hex, String kind) {
        hashes.computeIfAbsent(hex, h -> new HashSet<>()).add(kind == null ? "" : kind);
    }

    Map<FlowKey, String> flows() {
        return Collections.unmodifiableMap(flows);
    }

    Map<String, Set<String>> hashes() {
        return Collections.unmodifiableMap(hashes);
    }
}
