package org.swarmwatch.probe.decode;

import org.swarmwatch.probe.decode.DecodeCounters.Reason;

/**
 * Decodes one captured frame down to its innermost IP packet and transport header: link layers
 * (Ethernet II and 802.3 SNAP, 802.1Q and QinQ, MPLS, PPPoE, Linux cooked SLL and SLL2, raw IP,
 * BSD loopback), IPv4 with fragment reassembly, IPv6 with extension headers and fragments, TCP and
 * UDP, and the tunnels ISPs mirror (GRE with ERSPAN I, II and III, VXLAN, GTP-U, IP-in-IP).
 *
 * <p>Contract: never throws on any bytes; every field is bounds-checked against the captured
 * length and every loop and every nesting is bounded by {@link DecoderLimits}. Each call counts
 * the frame exactly once in {@link DecodeCounters}. Nothing is allocated per packet except by
 * fragment reassembly. Not thread-safe: one decoder per decoding thread, and the
 * {@link DecodedPacket} it fills (and a reassembled payload it points to) is valid until the next
 * call.
 *
 * <p>Two ends are tracked while descending. {@code end} is where the captured bytes stop; the
 * field {@code wireEnd} is where the enclosing header says the bytes stop on the wire (the frame's
 * wire length, then each IP total length, UDP length or GTP length inside it). A header that runs
 * past {@code end} but not past {@code wireEnd} was cut by the snapshot length: TRUNCATED if a
 * header is cut, OK with a short payload if only the payload is. A length that runs past
 * {@code wireEnd} contradicts the frame itself: MALFORMED, so that a 60-byte frame claiming 64 KiB
 * cannot inflate the byte counts of a flow.
 */
public final class PacketDecoder {
    private static final int ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86DD, ETH_VLAN = 0x8100, ETH_QINQ = 0x88A8,
            ETH_QINQ_OLD = 0x9100, ETH_QINQ_OLD2 = 0x9200, ETH_MPLS = 0x8847, ETH_MPLS_MC = 0x8848,
            ETH_PPPOE_SESSION = 0x8864, ETH_TEB = 0x6558, ETH_ERSPAN_2 = 0x88BE, ETH_ERSPAN_3 = 0x22EB;
    private static final int IP_TCP = 6, IP_UDP = 17, IP_IPV4 = 4, IP_IPV6 = 41, IP_GRE = 47;
    private static final int VXLAN_PORT = 4789, VXLAN_LINUX_PORT = 8472, GTPU_PORT = 2152;
    /** Largest MPLS label stack followed (RFC 3032 sets no limit; real stacks are 1 to 4 deep). */
    private static final int MAX_MPLS_LABELS = 16;
    /** GTP-U extension headers followed (TS 29.281 sets no limit; real G-PDUs carry 0 to 2). */
    private static final int MAX_GTP_EXTENSIONS = 8;

    private final DecoderLimits limits;
    private final DecodeCounters counters;
    private final FragmentReassembler reassembler;

    /** The packet being filled by the current decode call. */
    private DecodedPacket out;
    private long now;
    /** Where the bytes end on the wire, by the innermost length field seen so far (see the class comment). */
    private int wireEnd;

    public PacketDecoder(DecoderLimits limits, DecodeCounters counters) {
        this.limits = limits;
        this.counters = counters;
        this.reassembler = new FragmentReassembler(limits, counters);
    }

    /**
     * Decodes a frame into {@code out} (reset first) and counts the outcome.
     *
     * @param linkType        the capture's link type ({@link LinkType})
     * @param offset          where the frame starts in {@code frame}
     * @param capturedLength  bytes of the frame present in {@code frame} from {@code offset}
     * @param wireLength      the frame's length on the wire (larger when the snapshot length cut it)
     * @param timestampMicros capture time; it also drives fragment expiry
     * @return the outcome; only {@link DecodeStatus#OK} leaves an IP packet in {@code out}
     */
    public DecodeStatus decode(int linkType, byte[] frame, int offset, int capturedLength, int wireLength,
                               long timestampMicros, DecodedPacket out) {
        out.reset();
        out.timestampMicros = timestampMicros;
        out.capturedLength = capturedLength;
        out.wireLength = wireLength;
        this.out = out;
        this.now = timestampMicros;
        reassembler.expire(timestampMicros);
        Reason r;
        if (frame == null || offset < 0 || capturedLength < 0 || offset > frame.length - capturedLength) {
            r = Reason.MALFORMED_FRAME;
        } else {
            int end = offset + capturedLength;
            wireEnd = wireLength > capturedLength ? (int) Math.min(Integer.MAX_VALUE, (long) offset + wireLength) : end;
            r = link(linkType, frame, offset, end);
        }
        if (r != Reason.OK) {
            out.ipVersion = 0; // only a decoded packet describes an IP packet
        }
        counters.increment(r);
        return r.status;
    }

    /** Datagrams waiting for fragments (for stats and tests). */
    public int fragmentsInProgress() {
        return reassembler.inProgress();
    }

    /** Bytes held by fragment reassembly, bounded by {@link DecoderLimits#maxFragmentBytes()} (for stats and tests). */
    public long fragmentBytesHeld() {
        return reassembler.bytesHeld();
    }

    // ------------------------------------------------------------------ link layers

    private Reason link(int linkType, byte[] f, int p, int end) {
        switch (linkType) {
            case LinkType.ETHERNET:
                return ethernet(f, p, end, 0);
            case LinkType.LINUX_SLL:
                // packet type, ARPHRD type, address length, 8 address bytes, then the protocol
                if (end - p < 16) {
                    return Reason.TRUNCATED_L2;
                }
                return etherType(u16(f, p + 14), f, p + 16, end, 0);
            case LinkType.LINUX_SLL2:
                // protocol first, then reserved, interface index, ARPHRD, packet type, address length, 8 bytes
                if (end - p < 20) {
                    return Reason.TRUNCATED_L2;
                }
                return etherType(u16(f, p), f, p + 20, end, 0);
            case LinkType.RAW:
            case LinkType.RAW_DLT_12:
            case LinkType.RAW_DLT_14:
                return rawIp(f, p, end);
            case LinkType.IPV4:
                return ipv4(f, p, end, 0);
            case LinkType.IPV6:
                return ipv6(f, p, end, 0);
            case LinkType.NULL:
            case LinkType.LOOP: {
                if (end - p < 4) {
                    return Reason.TRUNCATED_L2;
                }
                int family = (int) u32(f, p);
                if (linkType == LinkType.NULL && (family & 0xFFFF0000) != 0) {
                    // DLT_NULL is in the capturing host's byte order; AF values are small, so a
                    // value with high bits set was written little-endian
                    family = Integer.reverseBytes(family);
                }
                return switch (family) {
                    case 2 -> ipv4(f, p + 4, end, 0);
                    case 24, 28, 30 -> ipv6(f, p + 4, end, 0); // AF_INET6 on NetBSD/OpenBSD, FreeBSD, macOS
                    default -> Reason.NOT_IP;
                };
            }
            default:
                return Reason.UNSUPPORTED_LINK_TYPE;
        }
    }

    private Reason ethernet(byte[] f, int p, int end, int depth) {
        if (end - p < 14) {
            return Reason.TRUNCATED_L2;
        }
        int type = u16(f, p + 12);
        if (type <= 1500) {
            // IEEE 802.3 length field. IP rides only in LLC/SNAP (RFC 1042: AA AA 03, OUI 0 or the
            // 802.1H bridge-tunnel OUI 00-00-F8, then the EtherType); everything else is STP, LLC, CDP...
            if (end - p >= 22 && (f[p + 14] & 0xff) == 0xAA && (f[p + 15] & 0xff) == 0xAA && f[p + 16] == 3
                    && f[p + 17] == 0 && f[p + 18] == 0 && (f[p + 19] == 0 || (f[p + 19] & 0xff) == 0xF8)) {
                return etherType(u16(f, p + 20), f, p + 22, end, depth);
            }
            return Reason.NOT_IP;
        }
        return etherType(type, f, p + 14, end, depth);
    }

    private Reason etherType(int type, byte[] f, int p, int end, int depth) {
        switch (type) {
            case ETH_IPV4:
                return ipv4(f, p, end, depth);
            case ETH_IPV6:
                return ipv6(f, p, end, depth);
            case ETH_VLAN:
            case ETH_QINQ:
            case ETH_QINQ_OLD:
            case ETH_QINQ_OLD2: {
                // IEEE 802.1Q tag; 802.1ad (0x88A8) and the pre-standard 0x9100 / 0x9200 stack them
                if (++depth > limits.maxEncapsulationDepth()) {
                    return Reason.TOO_MANY_ENCAPSULATIONS;
                }
                if (end - p < 4) {
                    return Reason.TRUNCATED_L2;
                }
                if (out.vlanId < 0) {
                    out.vlanId = u16(f, p) & 0x0FFF;
                    mark(type == ETH_VLAN ? Encapsulation.VLAN : Encapsulation.QINQ);
                } else {
                    mark(Encapsulation.QINQ);
                }
                return etherType(u16(f, p + 2), f, p + 4, end, depth);
            }
            case ETH_MPLS:
            case ETH_MPLS_MC:
                return mpls(f, p, end, depth);
            case ETH_PPPOE_SESSION: {
                // RFC 2516 section 4: ver/type 0x11, code 0, session id, length; then PPP's protocol (RFC 1661)
                if (++depth > limits.maxEncapsulationDepth()) {
                    return Reason.TOO_MANY_ENCAPSULATIONS;
                }
                if (end - p < 8) {
                    return Reason.TRUNCATED_L2;
                }
                if ((f[p] & 0xff) != 0x11 || f[p + 1] != 0) {
                    return Reason.MALFORMED_TUNNEL;
                }
                mark(Encapsulation.PPPOE);
                return switch (u16(f, p + 6)) {
                    case 0x0021 -> ipv4(f, p + 8, end, depth);
                    case 0x0057 -> ipv6(f, p + 8, end, depth);
                    default -> Reason.NOT_IP; // LCP, IPCP, PAP, CCP...
                };
            }
            case 0x0806: // ARP
            case 0x8035: // RARP
            case 0x88CC: // LLDP
            case 0x8863: // PPPoE discovery
            case 0x888E: // EAPOL
            case 0x8809: // slow protocols (LACP)
            case 0x88F7: // PTP
            case 0x9000: // Ethernet configuration test protocol (loopback)
            case 0x0842: // wake-on-LAN
            case 0x893A: // IEEE 1905
            case 0x88E1: // HomePlug
            case 0x8899: // Realtek
            case 0x88E5: // MACsec: encrypted, nothing to read
            case 0x8902: // CFM / OAM (802.1ag)
                return Reason.NOT_IP;
            default:
                return Reason.UNSUPPORTED_ETHERTYPE;
        }
    }

    /**
     * RFC 3032 label stack up to the bottom-of-stack bit. MPLS does not name its payload, so the
     * first nibble decides (RFC 4928 section 2): 4 and 6 are IP, 0 is the pseudowire control word
     * of RFC 4385 before an Ethernet frame (RFC 4448), 1 is the associated channel of RFC 5586 (OAM).
     */
    private Reason mpls(byte[] f, int p, int end, int depth) {
        if (++depth > limits.maxEncapsulationDepth()) {
            return Reason.TOO_MANY_ENCAPSULATIONS;
        }
        mark(Encapsulation.MPLS);
        for (int labels = 0; ; labels++) {
            if (labels == MAX_MPLS_LABELS) {
                return Reason.TOO_MANY_ENCAPSULATIONS;
            }
            if (end - p < 4) {
                return Reason.TRUNCATED_L2;
            }
            boolean bottom = (f[p + 2] & 1) != 0;
            p += 4;
            if (bottom) {
                break;
            }
        }
        if (end - p < 1) {
            return Reason.TRUNCATED_L2;
        }
        return switch ((f[p] >> 4) & 0xf) {
            case 4 -> ipv4(f, p, end, depth);
            case 6 -> ipv6(f, p, end, depth);
            case 0 -> end - p < 4 ? Reason.TRUNCATED_L2 : ethernet(f, p + 4, end, depth);
            case 1 -> Reason.NOT_IP;
            default -> Reason.UNSUPPORTED_ETHERTYPE;
        };
    }

    private Reason rawIp(byte[] f, int p, int end) {
        if (end - p < 1) {
            return Reason.TRUNCATED_IP;
        }
        return switch ((f[p] >> 4) & 0xf) {
            case 4 -> ipv4(f, p, end, 0);
            case 6 -> ipv6(f, p, end, 0);
            default -> Reason.NOT_IP;
        };
    }

    // ------------------------------------------------------------------ IP

    /** RFC 791 section 3.1. */
    private Reason ipv4(byte[] f, int p, int end, int depth) {
        if (end - p < 20) {
            return end - p > 0 && (f[p] & 0xf0) != 0x40 ? Reason.MALFORMED_IPV4 : Reason.TRUNCATED_IP;
        }
        int ihl = (f[p] & 0x0f) * 4;
        if ((f[p] & 0xf0) != 0x40 || ihl < 20) {
            return Reason.MALFORMED_IPV4;
        }
        int total = u16(f, p + 2);
        if (total < ihl || total > wireEnd - p) {
            return Reason.MALFORMED_IPV4; // shorter than its own header, or longer than the frame on the wire
        }
        if (end - p < ihl) {
            return Reason.TRUNCATED_IP;
        }
        int ipEnd = p + total;
        if (ipEnd < end) {
            end = ipEnd; // Ethernet padding (frames are at least 60 bytes) or a trailing FCS
        }
        wireEnd = ipEnd;
        out.ipVersion = 4;
        out.srcHi = 0;
        out.dstHi = 0;
        out.srcLo = u32(f, p + 12);
        out.dstLo = u32(f, p + 16);
        out.ipLength = total;
        clearTransport();
        int protocol = f[p + 9] & 0xff;
        int fragment = u16(f, p + 6);
        boolean more = (fragment & 0x2000) != 0;
        int fragmentOffset = (fragment & 0x1fff) * 8;
        if (!more && fragmentOffset == 0) {
            return transport(protocol, f, p + ihl, end, total - ihl, depth);
        }
        // A fragment: only the first one holds the transport header, so nothing more is read
        // until the datagram is whole.
        out.protocol = protocol;
        if (end < ipEnd) {
            return Reason.TRUNCATED_IP; // a cut fragment cannot be reassembled
        }
        FragmentReassembler.Datagram d = reassembler.add(0, out.srcLo, 0, out.dstLo,
                FragmentReassembler.v4Id(u16(f, p + 4), protocol), protocol, f, p + ihl, total - ihl, fragmentOffset,
                more, FragmentReassembler.MAX_IP_LENGTH - ihl, now);
        Reason pending = reassembled(d, ihl);
        return pending != null ? pending : transport(protocol, d.data, 0, d.length, d.length, depth);
    }

    /**
     * What handing a fragment to the reassembler came to: the frame's outcome while the datagram
     * is incomplete or the fragment was refused, or null once it is whole, when {@code out}
     * describes the reassembled datagram (its IP headers, {@code headerBytes}, plus the payload).
     */
    private Reason reassembled(FragmentReassembler.Datagram d, int headerBytes) {
        if (d == null) {
            return Reason.FRAGMENT_HELD;
        }
        if (d == FragmentReassembler.REJECTED) {
            return Reason.MALFORMED_FRAGMENT;
        }
        out.reassembled = true;
        out.ipLength = headerBytes + d.length;
        wireEnd = d.length;
        return null;
    }

    /** RFC 8200 section 3: the fixed header, then the extension-header chain. */
    private Reason ipv6(byte[] f, int p, int end, int depth) {
        if (end - p < 40) {
            return end - p > 0 && (f[p] & 0xf0) != 0x60 ? Reason.MALFORMED_IPV6 : Reason.TRUNCATED_IP;
        }
        if ((f[p] & 0xf0) != 0x60) {
            return Reason.MALFORMED_IPV6;
        }
        int payloadLength = u16(f, p + 4);
        if (payloadLength > wireEnd - p - 40) {
            return Reason.MALFORMED_IPV6; // longer than the frame on the wire
        }
        int ipEnd = p + 40 + payloadLength;
        if (ipEnd < end) {
            end = ipEnd;
        }
        wireEnd = ipEnd;
        out.ipVersion = 6;
        out.srcHi = u64(f, p + 8);
        out.srcLo = u64(f, p + 16);
        out.dstHi = u64(f, p + 24);
        out.dstLo = u64(f, p + 32);
        out.ipLength = 40 + payloadLength;
        clearTransport();
        // A payload length of 0 with a hop-by-hop header would be a jumbogram (RFC 2675); its
        // hop-by-hop header cannot fit in 0 bytes, so the chain below calls it malformed.
        return ipv6Chain(f[p + 6] & 0xff, f, p + 40, end, payloadLength, 0, depth);
    }

    /**
     * Follows IPv6 extension headers (RFC 8200 section 4) from {@code p}; {@code wireLeft} is how
     * many bytes the headers say remain from {@code p}, {@code followed} how many were followed.
     */
    private Reason ipv6Chain(int next, byte[] f, int p, int end, int wireLeft, int followed, int depth) {
        while (true) {
            switch (next) {
                case 0, 43, 60, 135, 139, 140, 51 -> {
                    // hop-by-hop, routing, destination options, mobility (RFC 6275), HIP (RFC 7401),
                    // shim6 (RFC 5533): length in 8-byte units after the first 8; AH (RFC 4302 section
                    // 2.2): in 4-byte units after the first 8
                    if (++followed > limits.maxExtensionHeaders()) {
                        return Reason.TOO_MANY_EXTENSION_HEADERS;
                    }
                    if (wireLeft < 8) {
                        return Reason.MALFORMED_IPV6;
                    }
                    if (end - p < 8) {
                        return Reason.TRUNCATED_IP;
                    }
                    int len = next == 51 ? ((f[p + 1] & 0xff) + 2) * 4 : ((f[p + 1] & 0xff) + 1) * 8;
                    if (len > wireLeft) {
                        return Reason.MALFORMED_IPV6;
                    }
                    if (len > end - p) {
                        return Reason.TRUNCATED_IP;
                    }
                    next = f[p] & 0xff;
                    p += len;
                    wireLeft -= len;
                }
                case 44 -> {
                    if (++followed > limits.maxExtensionHeaders()) {
                        return Reason.TOO_MANY_EXTENSION_HEADERS;
                    }
                    if (wireLeft < 8) {
                        return Reason.MALFORMED_IPV6;
                    }
                    if (end - p < 8) {
                        return Reason.TRUNCATED_IP;
                    }
                    int inner = f[p] & 0xff;
                    int word = u16(f, p + 2);
                    int fragmentOffset = word & 0xfff8;
                    boolean more = (word & 1) != 0;
                    long id = u32(f, p + 4);
                    int unfragmentable = out.ipLength - wireLeft; // fixed header and the extension headers before this one
                    p += 8;
                    wireLeft -= 8;
                    if (fragmentOffset == 0 && !more) {
                        next = inner; // atomic fragment (RFC 6946): nothing to reassemble
                        continue;
                    }
                    out.protocol = inner;
                    if (end - p < wireLeft) {
                        return Reason.TRUNCATED_IP; // a cut fragment cannot be reassembled
                    }
                    // RFC 8200 section 4.5: the reassembled payload length must stay within 65535
                    FragmentReassembler.Datagram d = reassembler.add(out.srcHi, out.srcLo, out.dstHi, out.dstLo,
                            FragmentReassembler.v6Id(id), inner, f, p, wireLeft, fragmentOffset, more,
                            FragmentReassembler.MAX_IP_LENGTH - (unfragmentable - 40), now);
                    Reason pending = reassembled(d, unfragmentable);
                    return pending != null ? pending : ipv6Chain(d.protocol, d.data, 0, d.length, d.length, followed, depth);
                }
                default -> {
                    // 50 ESP and 59 no next header end the chain: the protocol is that value, no ports
                    return transport(next, f, p, end, wireLeft, depth);
                }
            }
        }
    }

    // ------------------------------------------------------------------ transport and tunnels

    /** The transport header at {@code p}; {@code wireLength} is its length as the IP header states. */
    private Reason transport(int protocol, byte[] f, int p, int end, int wireLength, int depth) {
        out.protocol = protocol;
        switch (protocol) {
            case IP_TCP: {
                // RFC 9293 section 3.1: data offset in 32-bit words, at least 5
                if (wireLength < 20) {
                    return Reason.MALFORMED_TCP; // shorter than a TCP header by the IP header's own count
                }
                if (end - p < 20) {
                    return Reason.TRUNCATED_L4;
                }
                int dataOffset = ((f[p + 12] >> 4) & 0xf) * 4;
                if (dataOffset < 20 || dataOffset > wireLength) {
                    return Reason.MALFORMED_TCP;
                }
                if (end - p < dataOffset) {
                    return Reason.TRUNCATED_L4;
                }
                out.srcPort = u16(f, p);
                out.dstPort = u16(f, p + 2);
                out.tcpSeq = u32(f, p + 4);
                out.tcpFlags = f[p + 13] & 0xff;
                setPayload(f, p + dataOffset, end, wireLength - dataOffset);
                return Reason.OK;
            }
            case IP_UDP: {
                // RFC 768: the length counts the 8-byte header
                if (wireLength < 8) {
                    return Reason.MALFORMED_UDP;
                }
                if (end - p < 8) {
                    return Reason.TRUNCATED_L4;
                }
                int udpLength = u16(f, p + 4);
                if (udpLength < 8 || udpLength > wireLength) {
                    return Reason.MALFORMED_UDP;
                }
                int srcPort = u16(f, p);
                int dstPort = u16(f, p + 2);
                int payloadEnd = Math.min(end, p + udpLength);
                out.srcPort = srcPort;
                out.dstPort = dstPort;
                setPayload(f, p + 8, payloadEnd, udpLength - 8);
                Reason inner = null;
                if (dstPort == VXLAN_PORT || dstPort == VXLAN_LINUX_PORT) {
                    wireEnd = p + udpLength;
                    inner = vxlan(f, p + 8, payloadEnd, depth);
                } else if (dstPort == GTPU_PORT || srcPort == GTPU_PORT) {
                    wireEnd = p + udpLength;
                    inner = gtpU(f, p + 8, payloadEnd, depth);
                }
                return inner != null ? inner : Reason.OK;
            }
            case IP_GRE:
                return gre(f, p, end, wireLength, depth);
            case IP_IPV4:
            case IP_IPV6: {
                // RFC 2003 IPv4 in IP, RFC 4213 section 3 IPv6 in IPv4 (and RFC 2473 in IPv6)
                if (++depth > limits.maxEncapsulationDepth()) {
                    return Reason.TOO_MANY_ENCAPSULATIONS;
                }
                mark(Encapsulation.IP_IN_IP);
                return protocol == IP_IPV4 ? ipv4(f, p, end, depth) : ipv6(f, p, end, depth);
            }
            default:
                // ICMP, ESP, SCTP, no next header...: a flow between the addresses, no ports
                setPayload(f, p, end, wireLength);
                return Reason.OK;
        }
    }

    /**
     * RFC 7348 section 5: an 8-byte header whose I flag says a VNI is present, then an Ethernet
     * frame. Returns null when this is not VXLAN after all (no I flag, or too short on the wire):
     * the packet stays ordinary UDP to that port.
     */
    private Reason vxlan(byte[] f, int p, int end, int depth) {
        if (wireEnd - p < 8 || end - p < 1 || (f[p] & 0x08) == 0) {
            return null;
        }
        if (end - p < 8) {
            return Reason.TRUNCATED_TUNNEL;
        }
        if (++depth > limits.maxEncapsulationDepth()) {
            return Reason.TOO_MANY_ENCAPSULATIONS;
        }
        mark(Encapsulation.VXLAN);
        return ethernet(f, p + 8, end, depth);
    }

    /**
     * 3GPP TS 29.281 section 5: a GTPv1-U G-PDU (version 1, PT 1, message type 255) carrying IP.
     * The sequence number, N-PDU number and next-extension-type fields are present when any of
     * E, S or PN is set (section 5.1); extension headers give their length in 4-byte units and end
     * with the next type (section 5.2). Returns null when this is not a G-PDU carrying IP, or its
     * lengths contradict the UDP datagram: the packet stays ordinary UDP.
     */
    private Reason gtpU(byte[] f, int p, int end, int depth) {
        if (end - p < 2) {
            return null; // cannot tell what it is
        }
        int flags = f[p] & 0xff;
        if ((flags & 0xf0) != 0x30 || (f[p + 1] & 0xff) != 0xFF) {
            return null; // not version 1, GTP' (PT 0), or not a G-PDU (echo, error indication, end marker...)
        }
        if (wireEnd - p < 8) {
            return null;
        }
        if (end - p < 8) {
            return Reason.TRUNCATED_TUNNEL;
        }
        int gtpEnd = p + 8 + u16(f, p + 2); // the length counts what follows the first 8 bytes
        if (gtpEnd > wireEnd) {
            return null;
        }
        wireEnd = gtpEnd;
        if (gtpEnd < end) {
            end = gtpEnd;
        }
        int q = p + 8;
        if ((flags & 0x07) != 0) {
            if (gtpEnd - q < 4) {
                return null;
            }
            if (end - q < 4) {
                return Reason.TRUNCATED_TUNNEL;
            }
            int nextType = (flags & 0x04) != 0 ? f[q + 3] & 0xff : 0;
            q += 4;
            for (int n = 0; nextType != 0; n++) {
                if (n == MAX_GTP_EXTENSIONS) {
                    return null;
                }
                if (gtpEnd - q < 4) {
                    return null;
                }
                if (end - q < 1) {
                    return Reason.TRUNCATED_TUNNEL;
                }
                int len = (f[q] & 0xff) * 4;
                if (len == 0 || len > gtpEnd - q) {
                    return null;
                }
                if (len > end - q) {
                    return Reason.TRUNCATED_TUNNEL;
                }
                nextType = f[q + len - 1] & 0xff;
                q += len;
            }
        }
        if (gtpEnd - q < 1) {
            return null; // an empty G-PDU
        }
        if (end - q < 1) {
            return Reason.TRUNCATED_TUNNEL;
        }
        int version = (f[q] >> 4) & 0xf;
        if (version != 4 && version != 6) {
            return null; // an Ethernet or unstructured PDU session: not decoded
        }
        if (++depth > limits.maxEncapsulationDepth()) {
            return Reason.TOO_MANY_ENCAPSULATIONS;
        }
        mark(Encapsulation.GTP_U);
        return version == 4 ? ipv4(f, q, end, depth) : ipv6(f, q, end, depth);
    }

    /**
     * GRE version 0 (RFC 2784 section 2, with the key and sequence number of RFC 2890), carrying
     * IP, transparent Ethernet bridging (0x6558, also NVGRE), MPLS (RFC 4023) or ERSPAN. A header
     * that breaks RFC 2784 is MALFORMED_TUNNEL; version 1 (PPTP's enhanced GRE, RFC 2637) and
     * payloads not decoded (WCCP, keepalives...) stay a GRE flow between the outer addresses.
     */
    private Reason gre(byte[] f, int p, int end, int wireLength, int depth) {
        if (wireLength < 4) {
            return Reason.MALFORMED_TUNNEL;
        }
        if (end - p < 4) {
            return Reason.TRUNCATED_TUNNEL;
        }
        int flags = u16(f, p);
        int version = flags & 7;
        if (version == 1) {
            setPayload(f, p, end, wireLength);
            return Reason.OK;
        }
        // RFC 2784 section 2.3: a receiver without RFC 1701 discards bits 1 to 5 set, except that
        // RFC 2890 gave bits 2 (K) and 3 (S) a meaning; so R, s and the top recursion bit
        if (version != 0 || (flags & 0x4C00) != 0) {
            return Reason.MALFORMED_TUNNEL;
        }
        int header = 4 + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0) + ((flags & 0x1000) != 0 ? 4 : 0);
        if (header > wireLength) {
            return Reason.MALFORMED_TUNNEL;
        }
        if (end - p < header) {
            return Reason.TRUNCATED_TUNNEL;
        }
        int type = u16(f, p + 2);
        switch (type) {
            case ETH_IPV4, ETH_IPV6, ETH_TEB, ETH_MPLS, ETH_ERSPAN_2, ETH_ERSPAN_3 -> {
                if (++depth > limits.maxEncapsulationDepth()) {
                    return Reason.TOO_MANY_ENCAPSULATIONS;
                }
            }
            default -> {
                setPayload(f, p, end, wireLength);
                return Reason.OK;
            }
        }
        mark(Encapsulation.GRE);
        int q = p + header;
        switch (type) {
            case ETH_IPV4:
                return ipv4(f, q, end, depth);
            case ETH_IPV6:
                return ipv6(f, q, end, depth);
            case ETH_TEB:
                return ethernet(f, q, end, depth);
            case ETH_MPLS:
                return mpls(f, q, end, depth);
            case ETH_ERSPAN_2:
                // ERSPAN (draft-foschiano-erspan-03): type II has an 8-byte header (version
                // 1) and sets the GRE S bit; type I has neither header nor sequence number
                mark(Encapsulation.ERSPAN);
                if ((flags & 0x1000) == 0) {
                    return ethernet(f, q, end, depth);
                }
                return erspanHeader(f, q, end, wireLength - header, 8, 1, depth);
            default:
                // ERSPAN type III: a 12-byte header (version 2) and an 8-byte platform-specific
                // subheader when its O flag, the last bit of the header, is set
                mark(Encapsulation.ERSPAN);
                int length = end - q >= 12 && (f[q + 11] & 1) != 0 ? 20 : 12;
                return erspanHeader(f, q, end, wireLength - header, length, 2, depth);
        }
    }

    private Reason erspanHeader(byte[] f, int q, int end, int wireLeft, int length, int version, int depth) {
        if (wireLeft < length) {
            return Reason.MALFORMED_TUNNEL;
        }
        if (end - q < length) {
            return Reason.TRUNCATED_TUNNEL;
        }
        if (((f[q] >> 4) & 0xf) != version) {
            return Reason.MALFORMED_TUNNEL;
        }
        return ethernet(f, q + length, end, depth);
    }

    // ------------------------------------------------------------------ helpers

    private void clearTransport() {
        out.protocol = 0;
        out.srcPort = out.dstPort = 0;
        out.tcpFlags = 0;
        out.tcpSeq = 0;
        out.payload = null;
        out.payloadOffset = out.payloadLength = out.payloadWireLength = 0;
    }

    private void setPayload(byte[] f, int from, int end, int wireLength) {
        out.payload = f;
        out.payloadOffset = from;
        out.payloadLength = Math.max(0, end - from);
        out.payloadWireLength = Math.max(0, wireLength);
    }

    private void mark(Encapsulation e) {
        out.encapsulations |= 1 << e.ordinal();
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    private static long u64(byte[] b, int i) {
        return u32(b, i) << 32 | u32(b, i + 4);
    }
}
