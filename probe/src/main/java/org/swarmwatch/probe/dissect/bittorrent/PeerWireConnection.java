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
 * content), {@code fetching} if it only received them, {@code announcing} if no piece moved. A
 * long connection reports at each of its segments too (the active timeout): the first report,
 * and then each one in whose window PIECE messages moved, with the roles of that window; the
 * metadata observations once per side.
 *
 * <p>The hash kind, from the strongest evidence the connection shows:
 * <ol>
 *   <li>the info dictionary a side sent by metadata exchange (BEP 9): its SHA-256 truncated to
 *       20 bytes is the handshake's hash (v2, and the full SHA-256 is reported as a {@code btih_v2}
 *       {@code metadata} observation), or its SHA-1 is (v1). A hybrid dictionary ({@code meta
 *       version} 2 and {@code pieces}, {@link InfoDictionary}) has both infohashes: the one the
 *       handshake did not carry is reported too ({@code metadata}: the full SHA-256 as
 *       {@code btih_v2}, or the SHA-1 as {@code btih_v1}), and both kinds are proven;</li>
 *   <li>the upgrade of BEP 52: the initiator sent a hash with the v2 bit set and the responder
 *       answered with another one. A hybrid torrent's SHA-1 was upgraded to its truncated v2 hash:
 *       the initiator's is v1, the responder's v2;</li>
 *   <li>well-formed BEP 52 hash request / hashes / hash reject messages: only torrents with v2
 *       Merkle trees have them;</li>
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
    /** What earlier reports (at segment ends) covered: PIECE counts, and whether each side's metadata and handshake were reported. */
    private long initiatorPiecesReported, responderPiecesReported;
    private boolean initiatorReported, responderReported, initiatorMetadataReported, responderMetadataReported;

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

    /**
     * One {@code handshake} observation per side whose handshake was read (and metadata ones), with
     * the roles of the PIECE messages since the last report; nothing when an earlier report covered
     * the handshakes and no piece has moved since (a segment of keep-alives adds no evidence).
     */
    void report(ObservationSink sink) {
        learn(sink);
        long initiatorPieces = fromInitiator.pieces() - initiatorPiecesReported;
        long responderPieces = fromResponder.pieces() - responderPiecesReported;
        boolean handshakesNew = !initiatorReported && fromInitiator.handshake() != null || !responderReported && fromResponder.handshake() != null;
        if (!handshakesNew && initiatorPieces + responderPieces == 0 && !metadataNew()) {
            return;
        }
        report(true, fromInitiator, initiatorPieces, responderPieces, sink);
        report(false, fromResponder, responderPieces, initiatorPieces, sink);
        initiatorPiecesReported = fromInitiator.pieces();
        responderPiecesReported = fromResponder.pieces();
        initiatorReported = fromInitiator.handshake() != null;
        responderReported = fromResponder.handshake() != null;
    }

    /** A side's handshake whose metadata observations are due (the dictionary arrived since the last report). */
    private boolean metadataNew() {
        return !initiatorMetadataReported && fromInitiator.handshake() != null && metadataOf(fromInitiator.handshake().infoHash()) != null
                || !responderMetadataReported && fromResponder.handshake() != null && metadataOf(fromResponder.handshake().infoHash()) != null;
    }

    private void report(boolean initiator, PeerWireStream self, long selfPieces, long otherPieces, ObservationSink sink) {
        PeerWireHandshake h = self.handshake();
        if (h == null) {
            return;
        }
        PeerWireStream other = initiator ? fromResponder : fromInitiator;
        ObservationRole role = selfPieces > 0 ? ObservationRole.OFFERING
                : otherPieces > 0 ? ObservationRole.FETCHING : ObservationRole.ANNOUNCING;
        boolean agreed = other.handshake() != null && Arrays.equals(other.handshake().infoHash(), h.infoHash()) || upgraded();
        double confidence = agreed ? CONFIDENCE_BOTH_SIDES : CONFIDENCE_ONE_SIDE;
        // the extension handshake's "v" (BEP 10) is the client's own name for itself; the peer id is a convention
        String client = self.extensionClient() != null ? self.extensionClient() : PeerIds.client(h.peerId());
        HashKind kind = kind(h.infoHash());
        if (kind != HashKind.BTIH) {
            sink.hashKindProven(h.infoHash(), kind);
        }
        sink.observed(initiator, ContentHash.of(kind, h.infoHash()), "handshake", role, confidence, client);
        PeerWireStream metadata = metadataOf(h.infoHash());
        if (metadata != null && !(initiator ? initiatorMetadataReported : responderMetadataReported)) {
            reportMetadata(initiator, metadata.metadataSha1(), metadata.metadataSha256(), metadata.metadataKind(), h.infoHash(), role,
                    confidence, client, sink);
            if (initiator) {
                initiatorMetadataReported = true;
            } else {
                responderMetadataReported = true;
            }
        }
    }

    /**
     * The {@code metadata} observations of an info dictionary a side sent (its SHA-1, SHA-256 and
     * version, {@link PeerWireStream#metadataKind}), beyond the 20-byte
     * {@code handshakeHash} already reported (null on a mid-stream connection): the full SHA-256 of
     * a v2 or hybrid dictionary ({@code btih_v2}), the SHA-1 of a v1 or hybrid one ({@code btih_v1}).
     * A handshake hash equal to the SHA-1 or to the SHA-256's first 20 bytes proves that version
     * by itself; otherwise the dictionary's keys tell ({@link InfoDictionary}). Proven kinds are
     * told to the pipeline.
     */
    static void reportMetadata(boolean initiator, byte[] sha1, byte[] sha256, InfoDictionary.Kind dictionary, byte[] handshakeHash,
                               ObservationRole role, double confidence, String client, ObservationSink sink) {
        boolean handshakeV1 = Arrays.equals(sha1, handshakeHash);
        boolean handshakeV2 = handshakeHash != null && Arrays.equals(sha256, 0, 20, handshakeHash, 0, 20);
        if (handshakeV2 || dictionary == InfoDictionary.Kind.V2 || dictionary == InfoDictionary.Kind.HYBRID) {
            sink.hashKindProven(Arrays.copyOf(sha256, 20), HashKind.BTIH_V2_TRUNCATED);
            sink.observed(initiator, ContentHash.of(HashKind.BTIH_V2, sha256), "metadata", role, confidence, client);
        }
        if (handshakeV1 || dictionary == InfoDictionary.Kind.V1 || dictionary == InfoDictionary.Kind.HYBRID) {
            sink.hashKindProven(sha1, HashKind.BTIH_V1);
            if (!handshakeV1) {
                sink.observed(initiator, ContentHash.of(HashKind.BTIH_V1, sha1), "metadata", role, confidence, client);
            }
        }
    }

    /** The kind of a handshake's 20-byte hash, by the evidence listed in the class comment. */
    HashKind kind(byte[] hash) {
        PeerWireStream metadata = metadataOf(hash);
        if (metadata != null) {
            return Arrays.equals(hash, metadata.metadataSha1()) ? HashKind.BTIH_V1 : HashKind.BTIH_V2_TRUNCATED;
        }
        if (upgraded()) {
            return Arrays.equals(hash, fromInitiator.handshake().infoHash()) ? HashKind.BTIH_V1 : HashKind.BTIH_V2_TRUNCATED;
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

    /**
     * The side that sent the whole info dictionary of {@code hash}: its SHA-1 is the hash, or its
     * SHA-256 starts with it. Null if neither side did. A v1 hash matched by the SHA-256 prefix or
     * the reverse would take a collision of 160 bits: the match itself tells the version.
     */
    private PeerWireStream metadataOf(byte[] hash) {
        for (PeerWireStream s : new PeerWireStream[] {fromInitiator, fromResponder}) {
            byte[] sha256 = s.metadataSha256();
            if (sha256 != null && (Arrays.equals(s.metadataSha1(), hash) || Arrays.equals(sha256, 0, 20, hash, 0, 20))) {
                return s;
            }
        }
        return null;
    }

    /**
     * BEP 52's upgrade path: "when initiating a connection and sending the sha1 infohash of [a]
     * hybrid torrent a peer can set the 4th most significant bit in the last byte of the reserved
     * bitfield [...]. The remote peer may then respond with the new infohash". So an initiator
     * with that bit whose responder answers another hash sent a v1 hash, and got its v2 twin.
     */
    private boolean upgraded() {
        PeerWireHandshake i = fromInitiator.handshake(), r = fromResponder.handshake();
        return i != null && r != null && i.v2() && !Arrays.equals(i.infoHash(), r.infoHash());
    }
}
