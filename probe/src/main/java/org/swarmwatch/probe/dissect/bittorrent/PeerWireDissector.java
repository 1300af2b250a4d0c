package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * BitTorrent's peer-wire protocol over TCP (BEP 3), recognised by its handshake. A flow is claimed
 * as soon as one side's stream starts with the 20-byte protocol header; both sides' handshakes
 * (info hash, reserved bits, peer id) and PIECE messages are then read to the flow's end.
 *
 * <p>At the end of the flow each handshake becomes a {@code handshake} observation about its
 * sender: {@code offering} if that side sent PIECE messages (it uploaded content),
 * {@code fetching} if it only received them, {@code announcing} if no piece moved. The hash kind
 * is {@code btih_v2_truncated} when the flow carried BEP 52 hash messages (only v2 swarms have
 * them), else {@code btih_v1}; the handshake's own v2 bit is not relied on, because clients leave
 * it clear in v2 swarms (libtorrent 2.0.8 does).
 *
 * <p>The client is named by the extension handshake's {@code v} (BEP 10) when there is one, else
 * from the peer id. Not yet: flows whose handshake was not captured (mid-stream), metadata
 * exchange contents (BEP 9). uTP and MSE carry the same protocol: {@link UtpDissector},
 * {@link MseDissector}.
 */
public final class PeerWireDissector extends BitTorrentFamilyDissector {
    /** Both handshakes agree on the info hash: a BitTorrent connection beyond doubt. */
    static final double CONFIDENCE_BOTH_SIDES = 0.95;
    /** Only one side's handshake was captured (or the other side's differs). */
    static final double CONFIDENCE_ONE_SIDE = 0.8;

    public PeerWireDissector() {
        super(TCP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        return new Session();
    }

    private static final class Session implements DissectorSession {
        private final PeerWireStream fromInitiator = new PeerWireStream();
        private final PeerWireStream fromResponder = new PeerWireStream();
        private boolean mine;

        @Override
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            PeerWireStream s = p.fromInitiator() ? fromInitiator : fromResponder;
            s.feedSegment(p.tcpSeq(), p.bytes(), p.offset(), p.length());
            if (mine) {
                return Verdict.MINE;
            }
            return switch (s.handshakeMatch()) {
                case HEADER -> {
                    mine = true;
                    yield Verdict.MINE;
                }
                case PARTIAL -> Verdict.NEED_MORE;
                case NO -> Verdict.NOT_MINE;
            };
        }

        @Override
        public void onFlowEnd(ObservationSink observations) {
            reportHandshakes(fromInitiator, fromResponder, observations);
        }
    }

    /**
     * One {@code handshake} observation per side whose handshake was read; shared by every
     * transport that carries the peer-wire protocol (TCP, uTP).
     */
    static void reportHandshakes(PeerWireStream fromInitiator, PeerWireStream fromResponder, ObservationSink observations) {
        long hashMessages = fromInitiator.hashMessages() + fromResponder.hashMessages();
        HashKind kind = hashMessages > 0 ? HashKind.BTIH_V2_TRUNCATED : HashKind.BTIH_V1;
        report(true, fromInitiator, fromResponder, kind, observations);
        report(false, fromResponder, fromInitiator, kind, observations);
    }

    private static void report(boolean fromInitiator, PeerWireStream self, PeerWireStream other, HashKind kind,
                               ObservationSink observations) {
        PeerWireHandshake h = self.handshake();
        if (h == null) {
            return;
        }
        ObservationRole role = self.pieces() > 0 ? ObservationRole.OFFERING
                : other.pieces() > 0 ? ObservationRole.FETCHING : ObservationRole.ANNOUNCING;
        boolean agreed = other.handshake() != null && java.util.Arrays.equals(other.handshake().infoHash(), h.infoHash());
        // the extension handshake's "v" (BEP 10) is the client's own name for itself; the peer id is a convention
        String client = self.extensionClient() != null ? self.extensionClient() : PeerIds.client(h.peerId());
        observations.observed(fromInitiator, ContentHash.of(kind, h.infoHash()), "handshake", role,
                agreed ? CONFIDENCE_BOTH_SIDES : CONFIDENCE_ONE_SIDE, client);
    }
}
