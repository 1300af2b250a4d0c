package org.swarmwatch.probe.eval;

import java.util.Map;

/**
 * One tool on one capture.
 *
 * @param capture      the capture's name in the manifest
 * @param flows        TCP and UDP flows the tool listed (by 5-tuple)
 * @param truthFlows   flows of every transport the truth says the capture has (nDPI's count, ICMP included), or -1
 * @param byProtocol   per P2P protocol that is expected or labelled here
 * @param allP2p       P2P flows whatever the protocol: a flow labelled with any P2P protocol where one is expected is right
 * @param hashes       the hash score
 * @param note         how the truth was read for this capture, if that needed a decision
 */
public record CaptureScore(String capture, int flows, int truthFlows, Map<String, FlowCount> byProtocol, FlowCount allP2p,
                           HashScore hashes, String note) {
}
