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
     * As {@link #swarmMember(boolean, int, byte[])}, from an announce that said whether that side
     * is still downloading ({@code fetching}: a tracker announce with {@code left > 0}; without
     * this, what the side's last announce said stays). A correlated flow of that side whose own
     * bytes do not tell its role gets {@code fetching} from this. By default the same as without it.
     */
    default void swarmMember(boolean initiatorSide, int listenPort, byte[] infoHash, boolean fetching) {
        swarmMember(initiatorSide, listenPort, infoHash);
    }

    /**
     * Peers of the swarm of {@code infoHash}, in the compact form trackers and DHT nodes send
     * (BEP 23 and BEP 7: each a 4-byte IPv4 or 16-byte IPv6 address and a 2-byte port), as told to
     * one side of this flow (which thereby takes part in the swarm).
     */
    default void swarmPeers(boolean toInitiator, byte[] infoHash, byte[] compact, int offset, int length, boolean ipv6) {
    }

    /**
     * The swarm this flow belongs to by what other flows showed (a listening endpoint announced
     * or listed as a peer, the hosts seen in the same swarm), or null. Costs a few hash lookups.
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
     * A swarm attribution: the 20-byte infohash, what placed the flow in its swarm, and whether
     * the flow's initiator and responder hosts said they were still downloading in it.
     */
    record SwarmAttribution(byte[] infoHash, Evidence evidence, boolean initiatorFetching, boolean responderFetching) {
        /** What placed a flow in a swarm, strongest first. */
        public enum Evidence {
            /** One side's listening endpoint is known in the swarm, and the other side's host too. */
            ENDPOINT_AND_HOST,
            /** Only one side's listening endpoint is known in the swarm (and in no other). */
            ENDPOINT,
            /** No listening endpoint, but the two hosts took part in this swarm and in no other together. */
            HOST_PAIR
        }

        /** An attribution by endpoints with no download hints: both ends seen, or only the responder's endpoint. */
        public SwarmAttribution(byte[] infoHash, boolean bothEnds) {
            this(infoHash, bothEnds ? Evidence.ENDPOINT_AND_HOST : Evidence.ENDPOINT, false, false);
        }

        /** Whether both endpoints of the flow were seen in the swarm. */
        public boolean bothEnds() {
            return evidence == Evidence.ENDPOINT_AND_HOST;
        }
    }
}
