package org.swarmwatch.probe.dissect;

import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;

/**
 * Where a dissector reports what it saw: content hashes (as observations), and the swarm facts
 * that let the probe attribute a hash to flows that show none of their own.
 *
 * <p>The pipeline adds the flow, the time (of the packet being dissected, or of the flow's last
 * packet when reported at its end) and the endpoints, and pseudonymises them, so a dissector only
 * says what it saw, about which side of the flow, and how sure it is. Addresses stay out of the
 * dissectors: swarm facts name a side of the current flow, and compact peer lists are handed
 * over as the bytes the protocol carries.
 */
public interface ObservationSink {
    /**
     * @param fromInitiator whether the endpoint the observation is about (its {@code source}) is the
     *                      flow's initiator
     * @param role          what that endpoint was doing
     * @param client        client name and version where the protocol tells, else null
     */
    void observed(boolean fromInitiator, ContentHash hash, String seenIn, ObservationRole role, double confidence, String client);

    /**
     * Cleartext evidence that one side of this flow is in the swarm of a 20-byte infohash and, if
     * {@code listenPort} is not 0, accepts peer connections on that port (its tracker or DHT
     * announce said so, or it answered a handshake there).
     */
    default void swarmMember(boolean initiatorSide, int listenPort, byte[] infoHash) {
    }

    /**
     * Peers of the swarm of {@code infoHash}, in the compact form trackers and DHT nodes send
     * (BEP 23 and BEP 7: each a 4-byte IPv4 or 16-byte IPv6 address and a 2-byte port), as told to
     * one side of this flow (which thereby takes part in the swarm).
     */
    default void swarmPeers(boolean toInitiator, byte[] infoHash, byte[] compact, int offset, int length, boolean ipv6) {
    }

    /**
     * The swarm this flow belongs to by what other flows showed (the responder's listening
     * endpoint announced or listed as a peer, the initiator seen in the same swarm), or null.
     */
    default SwarmAttribution swarmOfFlow() {
        return null;
    }

    /**
     * Proof of which version a 20-byte infohash is ({@link HashKind#BTIH_V1} or
     * {@link HashKind#BTIH_V2_TRUNCATED}); observations of that hash written from now on carry it
     * instead of {@link HashKind#BTIH}.
     */
    default void hashKindProven(byte[] infoHash, HashKind kind) {
    }

    /**
     * A swarm attribution: the 20-byte infohash, and whether both endpoints of the flow were seen
     * in that swarm (else only the responder's listening endpoint was).
     */
    record SwarmAttribution(byte[] infoHash, boolean bothEnds) {
    }
}
