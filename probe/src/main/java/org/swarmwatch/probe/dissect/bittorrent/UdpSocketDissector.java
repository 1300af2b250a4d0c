package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * A BitTorrent client's UDP socket: clients (libtorrent among them) send DHT messages (BEP 5) and
 * uTP connections (BEP 29) from the same port, so one UDP flow can carry both. Each datagram is
 * routed by its first byte: a KRPC message is a bencoded dictionary and starts with 'd' (0x64),
 * which as a uTP header would be type 6, which does not exist. The flow is claimed when either
 * side is recognised, and both keep reading.
 */
public final class UdpSocketDissector extends BitTorrentFamilyDissector {
    private final DhtDissector dht = new DhtDissector();
    private final UtpDissector utp = new UtpDissector();

    public UdpSocketDissector() {
        super(UDP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        DissectorSession dhtSession = dht.open(flow);
        DissectorSession utpSession = utp.open(flow);
        return new DissectorSession() {
            private boolean mine;
            private boolean utpPending;

            @Override
            public Verdict onPayload(PacketPayload p, ObservationSink observations) {
                boolean krpc = p.length() > 0 && p.bytes()[p.offset()] == 'd';
                Verdict v = krpc ? dhtSession.onPayload(p, observations) : utpSession.onPayload(p, observations);
                if (v == Verdict.MINE) {
                    mine = true;
                } else if (!krpc) {
                    utpPending = v == Verdict.NEED_MORE;
                }
                return mine ? Verdict.MINE : utpPending ? Verdict.NEED_MORE : Verdict.NOT_MINE;
            }

            @Override
            public void onSegmentEnd(ObservationSink observations) {
                utpSession.onSegmentEnd(observations);
            }

            @Override
            public void onFlowEnd(ObservationSink observations) {
                utpSession.onFlowEnd(observations);
            }
        };
    }
}
