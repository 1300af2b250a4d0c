package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * BitTorrent's peer-wire protocol over TCP (BEP 3), recognised by its handshake. A flow is claimed
 * as soon as one side's stream starts with the 20-byte protocol header; both sides' handshakes
 * (info hash, reserved bits, peer id), their messages and the metadata they exchange are then read
 * to the flow's end, and reported as {@link PeerWireConnection} says (roles, hash kinds, swarm
 * facts). The client is named by the extension handshake's {@code v} (BEP 10) when there is one,
 * else from the peer id.
 *
 * <p>uTP and MSE carry the same protocol: {@link UtpDissector}, {@link MseDissector}. Flows whose
 * handshake was not captured: {@link PeerWireMidStreamDissector}.
 */
public final class PeerWireDissector extends BitTorrentFamilyDissector {

    public PeerWireDissector() {
        super(TCP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        return new Session(flow.destinationPort());
    }

    private static final class Session implements DissectorSession {
        private final int responderPort;
        /** Made when a side's stream starts like a handshake: most TCP flows offered are not BitTorrent. */
        private PeerWireConnection connection;
        private boolean mine;

        Session(int responderPort) {
            this.responderPort = responderPort;
        }

        @Override
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            if (connection == null) {
                if (PeerWireHandshake.match(p.bytes(), p.offset(), p.length()) == PeerWireHandshake.Match.NO) {
                    return Verdict.NOT_MINE;
                }
                connection = new PeerWireConnection(responderPort);
            }
            PeerWireStream s = connection.stream(p.fromInitiator());
            s.feedSegment(p.tcpSeq(), p.bytes(), p.offset(), p.length());
            if (mine) {
                connection.learn(observations);
                return Verdict.MINE;
            }
            return switch (s.handshakeMatch()) {
                case HEADER -> {
                    mine = true;
                    connection.learn(observations);
                    yield Verdict.MINE;
                }
                case PARTIAL -> Verdict.NEED_MORE;
                case NO -> Verdict.NOT_MINE;
            };
        }

        @Override
        public void onSegmentEnd(ObservationSink observations) {
            onFlowEnd(observations);
        }

        @Override
        public void onFlowEnd(ObservationSink observations) {
            if (connection != null) {
                connection.report(observations);
            }
        }
    }
}
