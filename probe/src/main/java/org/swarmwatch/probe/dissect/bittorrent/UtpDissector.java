package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.probe.dissect.DissectorSession;
import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.Verdict;

/**
 * uTP, the Micro Transport Protocol (BEP 29), and the peer-wire stream it carries. Each datagram
 * starts with a 20-byte header: type (DATA 0, FIN 1, STATE 2, RESET 3, SYN 4) and version 1 in the
 * first byte, an extension chain, a connection id, timestamps, window, and 16-bit sequence and
 * acknowledgement numbers.
 *
 * <p>A flow is claimed only after the connection setup: the initiator's SYN with connection id
 * {@code c}, then the responder's STATE with the same {@code c} acknowledging the SYN's sequence
 * number. A random datagram (DNS, QUIC, STUN, RTP...) may look like one uTP header, but not like
 * this exchange. Afterwards the initiator sends with id {@code c + 1} and the responder with
 * {@code c}; DATA payloads, taken in sequence order (duplicates skipped, a gap ends the reading),
 * are read as the peer-wire stream of {@link PeerWireStream}, and reported at the flow's end as
 * {@link PeerWireDissector} does for TCP.
 */
public final class UtpDissector extends BitTorrentFamilyDissector {
    static final int HEADER = 20;
    static final int ST_DATA = 0, ST_STATE = 2, ST_SYN = 4;
    private static final int MAX_EXTENSIONS = 8;

    public UtpDissector() {
        super(UDP);
    }

    @Override
    public DissectorSession open(FlowContext flow) {
        return new Session(flow.destinationPort());
    }

    /** Offset of the payload after the header and its extensions, or -1 if this is not a uTP packet. */
    static int payloadOffset(byte[] b, int off, int len) {
        if (len < HEADER || (b[off] & 0x0f) != 1 || ((b[off] & 0xff) >> 4) > ST_SYN) {
            return -1;
        }
        int next = b[off + 1] & 0xff;
        int at = off + HEADER;
        for (int n = 0; next != 0; n++) {
            if (n == MAX_EXTENSIONS || at + 2 > off + len) {
                return -1;
            }
            int extLength = b[at + 1] & 0xff;
            next = b[at] & 0xff;
            at += 2 + extLength;
            if (at > off + len) {
                return -1;
            }
        }
        return at - off;
    }

    private static final class Session implements DissectorSession {
        private final int responderPort;
        /** Made once the connection is set up: most UDP flows are not uTP. */
        private PeerWireConnection connection;
        private int connectionId = -1;
        private int synSeq;
        private boolean established;
        private int nextInitiatorSeq, nextResponderSeq;

        Session(int responderPort) {
            this.responderPort = responderPort;
        }

        @Override
        public Verdict onPayload(PacketPayload p, ObservationSink observations) {
            byte[] b = p.bytes();
            int off = p.offset(), len = p.length();
            int payload = payloadOffset(b, off, len);
            if (payload < 0) {
                return established ? Verdict.MINE : Verdict.NOT_MINE;
            }
            int type = (b[off] & 0xff) >> 4;
            int id = u16(b, off + 2);
            int seq = u16(b, off + 16);
            if (!established) {
                if (p.fromInitiator() && type == ST_SYN) {
                    connectionId = id;
                    synSeq = seq;
                    return Verdict.NEED_MORE;
                }
                if (!p.fromInitiator() && type == ST_STATE && connectionId >= 0 && id == connectionId && u16(b, off + 18) == synSeq) {
                    established = true;
                    connection = new PeerWireConnection(responderPort);
                    nextInitiatorSeq = (synSeq + 1) & 0xffff;
                    nextResponderSeq = seq;
                    return Verdict.MINE;
                }
                return Verdict.NOT_MINE;
            }
            boolean fromInit = p.fromInitiator();
            if (type != ST_DATA || id != (fromInit ? (connectionId + 1) & 0xffff : connectionId)) {
                return Verdict.MINE;
            }
            int expected = fromInit ? nextInitiatorSeq : nextResponderSeq;
            short delta = (short) (seq - expected); // 16-bit sequence numbers wrap (BEP 29)
            PeerWireStream stream = connection.stream(fromInit);
            if (delta < 0) {
                return Verdict.MINE; // a duplicate
            }
            if (delta > 0) {
                stream.loseFraming(); // a packet the capture missed or that came late
                return Verdict.MINE;
            }
            stream.feed(b, off + payload, len - payload);
            connection.learn(observations);
            if (fromInit) {
                nextInitiatorSeq = (seq + 1) & 0xffff;
            } else {
                nextResponderSeq = (seq + 1) & 0xffff;
            }
            return Verdict.MINE;
        }

        @Override
        public void onFlowEnd(ObservationSink observations) {
            if (connection != null) {
                connection.report(observations);
            }
        }
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }
}
