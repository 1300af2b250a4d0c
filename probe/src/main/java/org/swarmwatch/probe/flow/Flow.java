package org.swarmwatch.probe.flow;

import org.swarmwatch.probe.dissect.FlowContext;
import org.swarmwatch.probe.dissect.FlowDissection;

/**
 * One bidirectional flow in the {@link FlowTable}. The key is canonical: endpoint A is the smaller
 * of the two (address, then port), so both directions of a conversation find the same entry; which
 * of them opened the flow is kept separately ({@link #initiatorIsA}).
 *
 * <p>Kept deliberately small, because a million of them must fit in well under 512 MB: with
 * compressed oops this object is 136 bytes (12 header + 4 longs of key + 6 longs of counters and
 * times + an id + ints, bytes and 4 references), plus a slot in the table's array. Payload is not
 * kept here at all; {@link FlowDissection} holds the first payload bytes only while a dissector
 * still needs them and is dropped when the flow is classified. Fields are package-private and
 * mutated only by the table's (single) thread.
 */
public final class Flow implements FlowContext {
    // canonical key
    long aHi, aLo, bHi, bLo;
    int aPort, bPort;
    byte protocol;
    byte ipVersion;
    int hash;

    // state
    boolean initiatorIsA;
    /** Bit set of FIN_A, FIN_B, RST, CLOSED, SYN_SEEN, START_SEEN. */
    byte tcpState;
    short segment;
    /** Sequence number of the initiator's SYN, valid when {@link #SYN_SEEN} is set: tells a retransmitted SYN from a new connection. */
    int synSeq;
    int vlanId;
    int encapsulations;
    long id;
    long firstMicros, lastMicros;
    long packetsAtoB, packetsBtoA, bytesAtoB, bytesBtoA;

    /** Dissection state while it is needed; null for flows no dissector looked at or after the verdict. */
    FlowDissection dissection;
    /** Protocol label once known (interned by the registry), else null meaning unknown. */
    String protocolLabel;

    // intrusive doubly-linked list: the open list or the closed list of the table, least recently seen first
    Flow prev, next;

    static final byte FIN_A = 1, FIN_B = 2, RST = 4, CLOSED = 8, SYN_SEEN = 16, START_SEEN = 32;

    @Override
    public long id() {
        return id;
    }

    /** TCP: the flow's first packet was its SYN or SYN-ACK, so its streams were captured from their start. */
    @Override
    public boolean startCaptured() {
        return (tcpState & START_SEEN) != 0;
    }

    public int ipVersion() {
        return ipVersion;
    }

    @Override
    public int ianaProtocol() {
        return protocol & 0xff;
    }

    public int vlanId() {
        return vlanId;
    }

    public int encapsulations() {
        return encapsulations;
    }

    public int segment() {
        return segment;
    }

    public long firstMicros() {
        return firstMicros;
    }

    public long lastMicros() {
        return lastMicros;
    }

    public String protocolLabel() {
        return protocolLabel;
    }

    public void protocolLabel(String label) {
        this.protocolLabel = label;
    }

    public FlowDissection dissection() {
        return dissection;
    }

    public void dissection(FlowDissection d) {
        this.dissection = d;
    }

    // Initiator-relative views: "source" is who sent the flow's first packet (ECS source).

    public long sourceHi() {
        return initiatorIsA ? aHi : bHi;
    }

    public long sourceLo() {
        return initiatorIsA ? aLo : bLo;
    }

    public long destinationHi() {
        return initiatorIsA ? bHi : aHi;
    }

    public long destinationLo() {
        return initiatorIsA ? bLo : aLo;
    }

    @Override
    public int sourcePort() {
        return initiatorIsA ? aPort : bPort;
    }

    @Override
    public int destinationPort() {
        return initiatorIsA ? bPort : aPort;
    }

    public long sourcePackets() {
        return initiatorIsA ? packetsAtoB : packetsBtoA;
    }

    public long destinationPackets() {
        return initiatorIsA ? packetsBtoA : packetsAtoB;
    }

    public long sourceBytes() {
        return initiatorIsA ? bytesAtoB : bytesBtoA;
    }

    public long destinationBytes() {
        return initiatorIsA ? bytesBtoA : bytesAtoB;
    }
}
