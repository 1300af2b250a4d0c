package org.swarmwatch.probe.dissect;

/**
 * The transport payload of one packet, as a dissector sees it. One instance is reused for every
 * packet: read it during {@link DissectorSession#onPayload} and do not keep a reference to it or
 * to its array.
 */
public final class PacketPayload {
    byte[] bytes;
    int offset;
    int length;
    int wireLength;
    boolean fromInitiator;
    int tcpFlags;
    long tcpSeq;
    long timestampMicros;
    StreamPrefix prefix;

    /** The array holding the payload; only {@code [offset(), offset() + length())} belongs to it. */
    public byte[] bytes() {
        return bytes;
    }

    public int offset() {
        return offset;
    }

    /** Captured payload bytes (a snapshot length may have cut the rest). */
    public int length() {
        return length;
    }

    /** Payload length as the transport header states it. */
    public int wireLength() {
        return wireLength;
    }

    /** Whether the packet travels from the flow's initiator to its responder. */
    public boolean fromInitiator() {
        return fromInitiator;
    }

    public int tcpFlags() {
        return tcpFlags;
    }

    /** TCP sequence number of the payload's first byte (unsigned 32 bits); 0 for other transports. */
    public long tcpSeq() {
        return tcpSeq;
    }

    public long timestampMicros() {
        return timestampMicros;
    }

    /**
     * The first bytes of this direction's stream so far, this payload included: TCP segments in
     * sequence order (retransmissions dropped, nothing after a gap), UDP datagrams concatenated.
     * Lets a dissector recognise a handshake split over segments. Only kept while the flow is
     * undecided; {@code null} after that, and for flows that arrived when the registry's prefix
     * budget was used up (a dissector must then decide from single payloads).
     */
    public StreamPrefix prefix() {
        return prefix;
    }

    /** Fills the view; the pipeline calls this, dissectors never do. */
    public void set(byte[] bytes, int offset, int length, int wireLength, boolean fromInitiator, int tcpFlags, long tcpSeq,
                    long timestampMicros) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.wireLength = wireLength;
        this.fromInitiator = fromInitiator;
        this.tcpFlags = tcpFlags;
        this.tcpSeq = tcpSeq;
        this.timestampMicros = timestampMicros;
        this.prefix = null;
    }
}
