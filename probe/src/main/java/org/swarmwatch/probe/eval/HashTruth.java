package org.swarmwatch.probe.eval;

import java.util.Map;
import java.util.Set;

/**
 * The content hashes of one capture.
 *
 * @param visible hashes that travel in the clear in the capture: what a tool should find (hash recall)
 * @param content every hash that names the capture's content: {@code visible} and the other forms of
 *                the same torrent's identity (its v1 hash, its full v2 hash, the v2 hash truncated).
 *                Reporting one of these is never false; reporting any other hash is
 * @param kinds   the {@code hash_kind} a record should carry, where the truth knows the version
 *                ({@code btih_v1}, {@code btih_v2}, {@code btih_v2_truncated})
 */
record HashTruth(Set<String> visible, Set<String> content, Map<String, String> kinds) {
    static final HashTruth NONE = new HashTruth(Set.of(), Set.of(), Map.of());
}
