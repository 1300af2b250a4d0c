package org.swarmwatch.probe.dissect.bittorrent;

import org.swarmwatch.events.ObservationRole;
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
 *
 * <p>A connection whose SYN was not captured (the capture, or the flow table's memory of the
 * flow, started later) is claimed by the consistency of its headers instead (see
 * {@code midStream}); its stream cannot be read from the middle, so it is reported as a
 * {@code correlated} observation when the swarm table knows its endpoints, roles by volume.
 */
public final class UtpDissector extends BitTorrentFamilyDissector {
    static final int HEADER = 20;
    static final int ST_DATA = 0, ST_STATE = 2, ST_SYN = 4;
    private static final int MAX_EXTENSIONS = 8;
    /** Consistent packets from one side that make a connection joined mid-way. */
    static final int MID_STREAM_RUN = 4;

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
        /** A connection joined mid-way (its SYN not captured), per direction: connection id, last seq and timestamp, run length. */
        private int[] midId, midSeq, midRun;
        private long[] midTime;
        private boolean midStream;
        private long initiatorBytes, responderBytes;
        private final Correlated.Reports correlated = new Correlated.Reports();

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
                return connectionId < 0 ? midStream(p.fromInitiator(), type, id, seq, b, off, len, payload) : Verdict.NOT_MINE;
            }
            if (midStream) {
                if (p.fromInitiator()) {
                    initiatorBytes += len - payload;
                } else {
                    responderBytes += len - payload;
                }
                return Verdict.MINE;
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

        /**
         * A connection whose SYN was not captured: {@value #MID_STREAM_RUN} packets in a row from one
         * side with the same connection id, sequence numbers that advance by 0 or 1 (STATE packets
         * repeat the next number, DATA packets take it) and timestamps that advance by less than
         * 10 s, STATE packets empty and DATA packets not. Chance, or another protocol's header,
         * does not keep 32 bits of such state consistent four times.
         */
        private Verdict midStream(boolean fromInit, int type, int id, int seq, byte[] b, int off, int len, int payload) {
            boolean shaped = type == ST_DATA && len > payload || type == ST_STATE && len == payload;
            if (!shaped) {
                return Verdict.NOT_MINE;
            }
            if (midId == null) {
                midId = new int[2];
                midSeq = new int[2];
                midRun = new int[2];
                midTime = new long[2];
            }
            int d = fromInit ? 0 : 1;
            long time = UdpTrackerDissector.u32(b, off + 4);
            boolean follows = midRun[d] > 0 && id == midId[d] && ((seq - midSeq[d]) & 0xffff) <= 1
                    && ((time - midTime[d]) & 0xFFFFFFFFL) < 10_000_000L;
            midRun[d] = follows ? midRun[d] + 1 : 1;
            midId[d] = id;
            midSeq[d] = seq;
            midTime[d] = time;
            if (midRun[d] >= MID_STREAM_RUN) {
                established = midStream = true;
                return Verdict.MINE;
            }
            return Verdict.NEED_MORE;
        }

        @Override
        public void onSegmentEnd(ObservationSink observations) {
            onFlowEnd(observations);
        }

        @Override
        public void onFlowEnd(ObservationSink observations) {
            if (connection != null) {
                connection.report(observations);
            } else if (midStream) {
                correlated.report(observations, initiatorBytes, responderBytes, PeerWireMidStreamDissector.CONFIDENCE_BOTH,
                        PeerWireMidStreamDissector.CONFIDENCE_RESPONDER);
            }
        }
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }
}
