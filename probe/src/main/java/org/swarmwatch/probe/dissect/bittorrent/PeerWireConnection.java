package org.swarmwatch.probe.dissect.bittorrent;

import java.util.Arrays;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.ObservationSink;

/**
 * Both directions of one peer-wire connection, whatever carries it (TCP, uTP, the plaintext
 * stream after an MSE exchange), and what they prove together: the swarm the two endpoints are
 * in, the version of its infohash, and who uploaded.
 *
 * <p>As soon as a side's handshake is read, the swarm table learns that side: the responder's
 * endpoint accepts connections for the hash (so encrypted flows to it can be attributed), the
 * initiator's host takes part. At the end of the flow each handshake becomes a {@code handshake}
 * observation about its sender: {@code offering} if that side sent PIECE messages (it uploaded
 * content), {@code fetching} if it only received them, {@code announcing} if no piece moved.
 *
 * <p>The hash kind, from the strongest evidence the connection shows:
 * <ol>
 *   <li>the info dictionary a side sent by metadata exchange (BEP 9): its SHA-256 truncated to
 *       20 bytes is the handshake's hash (v2, and the full SHA-256 is reported as a {@code btih_v2}
 *       {@code metadata} observation), or its SHA-1 is (v1);</li>
 *   <li>BEP 52 hash request / hashes / hash reject messages: only v2 swarms have them;</li>
 *   <li>a side's client implements no v2 ({@link PeerIds#v1Only}): its hash is v1;</li>
 *   <li>the extension handshake's {@code metadata_size} is smaller than 20 bytes per piece of the
 *       torrent (piece count from the highest piece index seen): a v1 info dictionary holds a
 *       20-byte SHA-1 per piece, so the dictionary is v2-only;</li>
 *   <li>otherwise the kind is {@code btih}: the handshake's v2 bit cannot tell, because clients
 *       leave it clear in v2 swarms (libtorrent 2.0.8 does).</li>
 * </ol>
 * A proven kind is also told to the pipeline, which uses it for later observations of the hash.
 */
final class PeerWireConnection {
    /** Both handshakes agree on the info hash: a BitTorrent connection beyond doubt. */
    static final double CONFIDENCE_BOTH_SIDES = 0.95;
    /** Only one side's handshake was captured (or the other side's differs). */
    static final double CONFIDENCE_ONE_SIDE = 0.8;

    final PeerWireStream fromInitiator = new PeerWireStream();
    final PeerWireStream fromResponder = new PeerWireStream();
    private final int responderPort;
    private boolean initiatorLearned, responderLearned;

    /** @param responderPort the port the responder accepted the connection on (its listening port) */
    PeerWireConnection(int responderPort) {
        this.responderPort = responderPort;
    }

    PeerWireStream stream(boolean initiator) {
        return initiator ? fromInitiator : fromResponder;
    }

    /** Tells the swarm table about the sides whose handshakes have been read since the last call. */
    void learn(ObservationSink sink) {
        if (!initiatorLearned && fromInitiator.handshake() != null) {
            initiatorLearned = true;
            sink.swarmMember(true, 0, fromInitiator.handshake().infoHash());
        }
        if (!responderLearned && fromResponder.handshake() != null) {
            responderLearned = true;
            sink.swarmMember(false, responderPort, fromResponder.handshake().infoHash());
        }
    }

    /** One {@code handshake} observation per side whose handshake was read (and metadata ones). */
    void report(ObservationSink sink) {
        learn(sink);
        report(true, fromInitiator, fromResponder, sink);
        report(false, fromResponder, fromInitiator, sink);
    }

    private void report(boolean initiator, PeerWireStream self, PeerWireStream other, ObservationSink sink) {
        PeerWireHandshake h = self.handshake();
        if (h == null) {
            return;
        }
        ObservationRole role = self.pieces() > 0 ? ObservationRole.OFFERING
                : other.pieces() > 0 ? ObservationRole.FETCHING : ObservationRole.ANNOUNCING;
        boolean agreed = other.handshake() != null && Arrays.equals(other.handshake().infoHash(), h.infoHash());
        double confidence = agreed ? CONFIDENCE_BOTH_SIDES : CONFIDENCE_ONE_SIDE;
        // the extension handshake's "v" (BEP 10) is the client's own name for itself; the peer id is a convention
        String client = self.extensionClient() != null ? self.extensionClient() : PeerIds.client(h.peerId());
        HashKind kind = kind(h.infoHash());
        if (kind != HashKind.BTIH) {
            sink.hashKindProven(h.infoHash(), kind);
        }
        sink.observed(initiator, ContentHash.of(kind, h.infoHash()), "handshake", role, confidence, client);
        byte[] v2 = fullV2(h.infoHash());
        if (v2 != null) {
            sink.observed(initiator, ContentHash.of(HashKind.BTIH_V2, v2), "metadata", role, confidence, client);
        }
    }

    /** The kind of a handshake's 20-byte hash, by the evidence listed in the class comment. */
    HashKind kind(byte[] hash) {
        if (fullV2(hash) != null) {
            return HashKind.BTIH_V2_TRUNCATED;
        }
        if (Arrays.equals(hash, fromInitiator.metadataSha1()) || Arrays.equals(hash, fromResponder.metadataSha1())) {
            return HashKind.BTIH_V1;
        }
        if (fromInitiator.hashMessages() + fromResponder.hashMessages() > 0) {
            return HashKind.BTIH_V2_TRUNCATED;
        }
        if (v1OnlyClient(fromInitiator, hash) || v1OnlyClient(fromResponder, hash)) {
            return HashKind.BTIH_V1;
        }
        long pieces = Math.max(fromInitiator.maxPieceIndex(), fromResponder.maxPieceIndex()) + 1;
        long metadataSize = Math.max(fromInitiator.metadataSize(), fromResponder.metadataSize());
        if (metadataSize > 0 && pieces > 0 && 20 * pieces > metadataSize) {
            return HashKind.BTIH_V2_TRUNCATED;
        }
        return HashKind.BTIH;
    }

    private static boolean v1OnlyClient(PeerWireStream s, byte[] hash) {
        PeerWireHandshake h = s.handshake();
        return h != null && Arrays.equals(h.infoHash(), hash) && PeerIds.v1Only(h.peerId());
    }

    /** The full SHA-256 of metadata a side sent whose first 20 bytes are {@code hash}, or null. */
    private byte[] fullV2(byte[] hash) {
        for (PeerWireStream s : new PeerWireStream[] {fromInitiator, fromResponder}) {
            byte[] sha256 = s.metadataSha256();
            if (sha256 != null && Arrays.equals(sha256, 0, 20, hash, 0, 20)) {
                return sha256;
            }
        }
        return null;
    }
}
