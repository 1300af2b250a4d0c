package org.swarmwatch.probe.eval;

import java.util.Map;
import java.util.Set;

/**
 * What one tool found in one capture.
 *
 * @param flows           flows the tool counted
 * @param bitTorrentFlows of them, labelled BitTorrent
 * @param hashes          content hashes reported, with the kinds reported for each (empty for tools that give none)
 */
record CaptureResult(int flows, int bitTorrentFlows, Map<String, Set<String>> hashes) {
}
