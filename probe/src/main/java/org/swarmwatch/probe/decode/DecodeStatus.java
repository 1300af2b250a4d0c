package org.swarmwatch.probe.decode;

/**
 * The result of decoding one frame. Only {@link #OK} fills a {@link DecodedPacket} that the flow
 * table uses; every other value is counted by reason in {@link DecodeCounters}.
 */
public enum DecodeStatus {
    /** An IP packet with its transport header (or a non-TCP/UDP IP protocol) was found. */
    OK,
    /** A well-formed frame that carries no IP (ARP, LLDP, STP, ...). */
    NOT_IP,
    /** An IP fragment held for reassembly; the datagram comes out of a later call. */
    FRAGMENT_HELD,
    /** Headers cut by the snapshot length or the end of the frame. */
    TRUNCATED,
    /** A header whose fields contradict each other or the frame (absurd lengths, bad version). */
    MALFORMED,
    /** A link type, ethertype or tunnel the decoders do not handle. */
    UNSUPPORTED
}
