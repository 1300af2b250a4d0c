package org.swarmwatch.probe.decode;

/**
 * What the decoders learned from one frame: the innermost IP packet's addresses, its transport
 * ports and where its transport payload is. One instance is reused for every packet by the single
 * thread that decodes, so nothing here is allocated per packet; read it before the next
 * {@link PacketDecoder#decode} call overwrites it.
 *
 * <p>Addresses are held as two longs each. IPv4: {@code hi = 0}, {@code lo} = the address as an
 * unsigned 32-bit value. IPv6: {@code hi} = bytes 0..7, {@code lo} = bytes 8..15, big-endian.
 */
public final class DecodedPacket {
    /** Capture timestamp, microseconds since the epoch. */
    public long timestampMicros;
    /** Length of the frame on the wire (may exceed {@link #capturedLength} when cut by snaplen). */
    public int wireLength;
    /** Bytes actually captured. */
    public int capturedLength;

    /** 4 or 6 for the innermost IP header; 0 when the frame carried no IP packet. */
    public int ipVersion;
    public long srcHi, srcLo, dstHi, dstLo;
    /** Total length of the innermost IP datagram as its header states it (IPv6: 40 + payload length). */
    public int ipLength;
    /** IANA protocol number of the transport (6 TCP, 17 UDP, ...), after IPv6 extension headers. */
    public int protocol;
    /** Transport ports; 0 for protocols without ports. */
    public int srcPort, dstPort;
    /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80); 0 otherwise. */
    public int tcpFlags;
    /** TCP sequence number (unsigned 32 bits in a long); 0 otherwise. */
    public long tcpSeq;

    /** Transport payload: the captured bytes only (may be shorter than the payload on the wire). */
    public byte[] payload;
    public int payloadOffset;
    public int payloadLength;
    /** Payload length as the headers state it (captured or not). */
    public int payloadWireLength;

    /** Outermost 802.1Q VLAN id, or -1. */
    public int vlanId;
    /** Encapsulations crossed on the way to the innermost packet, as a bit set of {@link Encapsulation} ordinals. */
    public int encapsulations;
    /** True when this packet is a datagram reassembled from IP fragments. */
    public boolean reassembled;

    public void reset() {
        timestampMicros = 0;
        wireLength = capturedLength = 0;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        ipLength = 0;
        protocol = 0;
        srcPort = dstPort = 0;
        tcpFlags = 0;
        tcpSeq = 0;
        payload = null;
        payloadOffset = payloadLength = payloadWireLength = 0;
        vlanId = -1;
        encapsulations = 0;
        reassembled = false;
    }

    public boolean crossed(Encapsulation e) {
        return (encapsulations & (1 << e.ordinal())) != 0;
    }
}
