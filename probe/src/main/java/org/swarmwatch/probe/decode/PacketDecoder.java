package org.swarmwatch.probe.decode;

import org.swarmwatch.probe.decode.DecodeCounters.Reason;

/**
 * Decodes one captured frame down to its innermost IP packet and transport header: link layers
 * (Ethernet, 802.1Q and QinQ, MPLS, PPPoE, Linux cooked SLL and SLL2, raw IP, BSD loopback), IPv4
 * with fragment reassembly, IPv6 with extension headers and fragments, TCP and UDP, and the
 * tunnels ISPs mirror (GRE with ERSPAN II and III, VXLAN, GTP-U, IP-in-IP).
 *
 * <p>Never throws on any bytes: every field is bounds-checked against the captured length, every
 * loop is bounded by {@link DecoderLimits}, and each frame is counted once in
 * {@link DecodeCounters}. Allocates nothing per ordinary packet; only fragment reassembly holds
 * data. Not thread-safe: one decoder per processing thread.
 */
public final class PacketDecoder {
    private static final int ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86DD, ETH_VLAN = 0x8100, ETH_QINQ = 0x88A8,
            ETH_QINQ_OLD = 0x9100, ETH_QINQ_OLD2 = 0x9200, ETH_MPLS = 0x8847, ETH_MPLS_MC = 0x8848,
            ETH_PPPOE_SESSION = 0x8864, ETH_TEB = 0x6558, ETH_ERSPAN_2 = 0x88BE, ETH_ERSPAN_3 = 0x22EB;
    private static final int VXLAN_PORT = 4789, VXLAN_LINUX_PORT = 8472, GTPU_PORT = 2152;
    /** Largest MPLS label stack followed (RFC 3032 sets no limit; real stacks are 1 to 4 deep). */
    private static final int MAX_MPLS_LABELS = 16;
    private static final int MAX_GTP_EXTENSIONS = 8;

    private final DecoderLimits limits;
    private final DecodeCounters counters;
    private final FragmentReassembler reassembler;

    /** The packet being filled by the current decode call. */
    private DecodedPacket out;
    private long now;

    public PacketDecoder(DecoderLimits limits, DecodeCounters counters) {
        this.limits = limits;
        this.counters = counters;
        this.reassembler = new FragmentReassembler(limits, counters);
    }

    /**
     * Decodes a frame into {@code out} (reset first) and counts the outcome.
     *
     * @param offset         where the frame starts in {@code frame}
     * @param capturedLength bytes of the frame present in {@code frame}
     * @param wireLength     the frame's length on the wire
     */
    public DecodeStatus decode(int linkType, byte[] frame, int offset, int capturedLength, int wireLength,
                               long timestampMicros, DecodedPacket out) {
        out.reset();
        out.timestampMicros = timestampMicros;
        out.capturedLength = capturedLength;
        out.wireLength = wireLength;
        this.out = out;
        this.now = timestampMicros;
        Reason r;
        if (frame == null || offset < 0 || capturedLength < 0 || offset > frame.length - capturedLength) {
            r = Reason.MALFORMED_FRAME;
        } else {
            r = link(linkType, frame, offset, offset + capturedLength);
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

    // ------------------------------------------------------------------ link layers

    private Reason link(int linkType, byte[] f, int p, int end) {
        switch (linkType) {
            case LinkType.ETHERNET:
                return ethernet(f, p, end, 0);
            case LinkType.LINUX_SLL:
                // SLL: packet type, ARPHRD type, address length, 8 address bytes, protocol (network order)
                if (end - p < 16) {
                    return Reason.TRUNCATED_L2;
                }
                return etherType(u16(f, p + 14), f, p + 16, end, 0);
            case LinkType.LINUX_SLL2:
                // SLL2: protocol first, then reserved, interface index, ARPHRD, packet type, address length, 8 bytes
                if (end - p < 20) {
                    return Reason.TRUNCATED_L2;
                }
                return etherType(u16(f, p), f, p + 20, end, 0);
            case LinkType.RAW:
            case LinkType.RAW_DLT_12:
            case LinkType.RAW_DLT_14:
                return rawIp(f, p, end, 0);
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
                    family = Integer.reverseBytes(family); // DLT_NULL is in the capturing host's byte order
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
            // IEEE 802.3 length field: IP only inside LLC/SNAP (AA AA 03, OUI 0, EtherType)
            if (end - p >= 22 && (f[p + 14] & 0xff) == 0xAA && (f[p + 15] & 0xff) == 0xAA && f[p + 16] == 3) {
                return etherType(u16(f, p + 20), f, p + 22, end, depth);
            }
            return Reason.NOT_IP; // STP, LLC, CDP...
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
                // RFC 2516: ver/type 0x11, code 0, session id, length; then the PPP protocol (RFC 1661)
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
                int ppp = u16(f, p + 6);
                return switch (ppp) {
                    case 0x0021 -> ipv4(f, p + 8, end, depth);
                    case 0x0057 -> ipv6(f, p + 8, end, depth);
                    default -> Reason.NOT_IP; // LCP, IPCP, PAP...
                };
            }
            case 0x0806: // ARP
            case 0x8035: // RARP
            case 0x88CC: // LLDP
            case 0x8863: // PPPoE discovery
            case 0x888E: // EAPOL
            case 0x8809: // slow protocols (LACP)
            case 0x88F7: // PTP
            case 0x9000: // Ethernet loopback
            case 0x0842: // wake-on-LAN
            case 0x893A: // IEEE 1905
            case 0x88E1: // HomePlug
            case 0x8899: // Realtek
            case 0x88E5: // MACsec: encrypted, nothing to read
                return Reason.NOT_IP;
            default:
                return Reason.UNSUPPORTED_ETHERTYPE;
        }
    }

    /** RFC 3032 label stack, then the payload by its first nibble (RFC 4385 control word: 0). */
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
            case 0 -> end - p < 4 ? Reason.TRUNCATED_L2 : ethernet(f, p + 4, end, depth); // pseudowire with control word
            default -> Reason.UNSUPPORTED_ETHERTYPE;
        };
    }

    private Reason rawIp(byte[] f, int p, int end, int depth) {
        if (end - p < 1) {
            return Reason.TRUNCATED_IP;
        }
        return switch ((f[p] >> 4) & 0xf) {
            case 4 -> ipv4(f, p, end, depth);
            case 6 -> ipv6(f, p, end, depth);
            default -> Reason.NOT_IP;
        };
    }

    // ------------------------------------------------------------------ IP

    /** RFC 791. */
    private Reason ipv4(byte[] f, int p, int end, int depth) {
        if (end - p < 20) {
            return Reason.TRUNCATED_IP;
        }
        int ihl = (f[p] & 0x0f) * 4;
        if (((f[p] >> 4) & 0xf) != 4 || ihl < 20) {
            return Reason.MALFORMED_IPV4;
        }
        int total = u16(f, p + 2);
        if (total < ihl) {
            return Reason.MALFORMED_IPV4;
        }
        if (end - p < ihl) {
            return Reason.TRUNCATED_IP;
        }
        int ipEnd = p + total;
        if (ipEnd < end) {
            end = ipEnd; // Ethernet padding after the datagram
        }
        out.ipVersion = 4;
        out.srcHi = 0;
        out.dstHi = 0;
        out.srcLo = u32(f, p + 12);
        out.dstLo = u32(f, p + 16);
        out.ipLength = total;
        out.srcPort = out.dstPort = 0;
        out.tcpFlags = 0;
        out.tcpSeq = 0;
        int protocol = f[p + 9] & 0xff;
        int fragment = u16(f, p + 6);
        boolean more = (fragment & 0x2000) != 0;
        int fragmentOffset = (fragment & 0x1fff) * 8;
        if (more || fragmentOffset != 0) {
            if (end < ipEnd) {
                return Reason.TRUNCATED_IP; // a cut fragment cannot be reassembled
            }
            out.protocol = protocol;
            FragmentReassembler.Datagram d = reassembler.add(0, out.srcLo, 0, out.dstLo,
                    FragmentReassembler.v4Id(u16(f, p + 4), protocol), protocol, f, p + ihl, total - ihl, fragmentOffset, more, now);
            if (d == null) {
                return Reason.FRAGMENT_HELD;
            }
            if (d == FragmentReassembler.REJECTED) {
                return Reason.MALFORMED_FRAGMENT;
            }
            out.reassembled = true;
            out.ipLength = ihl + d.length;
            return transport(protocol, d.data, 0, d.length, d.length, depth);
        }
        return transport(protocol, f, p + ihl, end, total - ihl, depth);
    }

    /** RFC 8200: fixed header, then the extension-header chain (section 4). */
    private Reason ipv6(byte[] f, int p, int end, int depth) {
        if (end - p < 40) {
            return Reason.TRUNCATED_IP;
        }
        if (((f[p] >> 4) & 0xf) != 6) {
            return Reason.MALFORMED_IPV6;
        }
        int payloadLength = u16(f, p + 4);
        int ipEnd = p + 40 + payloadLength;
        if (ipEnd < end) {
            end = ipEnd;
        }
        out.ipVersion = 6;
        out.srcHi = u64(f, p + 8);
        out.srcLo = u64(f, p + 16);
        out.dstHi = u64(f, p + 24);
        out.dstLo = u64(f, p + 32);
        out.ipLength = 40 + payloadLength;
        out.srcPort = out.dstPort = 0;
        out.tcpFlags = 0;
        out.tcpSeq = 0;
        return ipv6Chain(f[p + 6] & 0xff, f, p + 40, end, ipEnd - (p + 40), 0, depth);
    }

    /**
     * Follows IPv6 extension headers from {@code p}; {@code wireLeft} is how many bytes the
     * headers say remain from {@code p}.
     */
    private Reason ipv6Chain(int next, byte[] f, int p, int end, int wireLeft, int followed, int depth) {
        while (true) {
            switch (next) {
                case 0, 43, 60, 135, 139, 140, 51 -> {
                    if (++followed > limits.maxExtensionHeaders()) {
                        return Reason.TOO_MANY_EXTENSION_HEADERS;
                    }
                    if (end - p < 8) {
                        return Reason.TRUNCATED_IP;
                    }
                    int len = next == 51 ? ((f[p + 1] & 0xff) + 2) * 4 : ((f[p + 1] & 0xff) + 1) * 8; // AH counts 4-byte units (RFC 4302)
                    if (len > wireLeft) {
                        return Reason.MALFORMED_IPV6;
                    }
                    next = f[p] & 0xff;
                    p += len;
                    wireLeft -= len;
                    if (p > end) {
                        return Reason.TRUNCATED_IP;
                    }
                }
                case 44 -> {
                    if (++followed > limits.maxExtensionHeaders()) {
                        return Reason.TOO_MANY_EXTENSION_HEADERS;
                    }
                    if (end - p < 8) {
                        return Reason.TRUNCATED_IP;
                    }
                    int inner = f[p] & 0xff;
                    int word = u16(f, p + 2);
                    int fragmentOffset = word & 0xfff8;
                    boolean more = (word & 1) != 0;
                    long id = u32(f, p + 4);
                    p += 8;
                    wireLeft -= 8;
                    if (wireLeft < 0) {
                        return Reason.MALFORMED_IPV6;
                    }
                    if (fragmentOffset == 0 && !more) {
                        next = inner; // atomic fragment (RFC 6946): nothing to reassemble
                        continue;
                    }
                    if (end - p < wireLeft) {
                        return Reason.TRUNCATED_IP;
                    }
                    out.protocol = inner;
                    FragmentReassembler.Datagram d = reassembler.add(out.srcHi, out.srcLo, out.dstHi, out.dstLo,
                            id | 1L << 40, inner, f, p, wireLeft, fragmentOffset, more, now);
                    if (d == null) {
                        return Reason.FRAGMENT_HELD;
                    }
                    if (d == FragmentReassembler.REJECTED) {
                        return Reason.MALFORMED_FRAGMENT;
                    }
                    out.reassembled = true;
                    out.ipLength = 40 + d.length;
                    return ipv6Chain(d.protocol, d.data, 0, d.length, d.length, followed, depth);
                }
                default -> {
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
            case 6: {
                // RFC 9293 section 3.1
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
            case 17: {
                // RFC 768
                if (end - p < 8) {
                    return wireLength < 8 ? Reason.MALFORMED_UDP : Reason.TRUNCATED_L4;
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
                if (dstPort == VXLAN_PORT || dstPort == VXLAN_LINUX_PORT) {
                    Reason inner = vxlan(f, p + 8, payloadEnd, depth);
                    if (inner != null) {
                        return inner;
                    }
                } else if (dstPort == GTPU_PORT || srcPort == GTPU_PORT) {
                    Reason inner = gtpU(f, p + 8, payloadEnd, depth);
                    if (inner != null) {
                        return inner;
                    }
                }
                return Reason.OK;
            }
            case 47:
                return gre(f, p, end, wireLength, depth);
            case 4:
            case 41: {
                if (++depth > limits.maxEncapsulationDepth()) {
                    return Reason.TOO_MANY_ENCAPSULATIONS;
                }
                mark(Encapsulation.IP_IN_IP);
                return protocol == 4 ? ipv4(f, p, end, depth) : ipv6(f, p, end, depth);
            }
            default:
                setPayload(f, p, end, wireLength);
                return Reason.OK;
        }
    }

    /** RFC 7348: 8-byte header with the I flag; null if this is not VXLAN after all (ordinary UDP). */
    private Reason vxlan(byte[] f, int p, int end, int depth) {
        if (end - p < 8 + 14 || (f[p] & 0x08) == 0) {
            return null;
        }
        if (++depth > limits.maxEncapsulationDepth()) {
            return Reason.TOO_MANY_ENCAPSULATIONS;
        }
        mark(Encapsulation.VXLAN);
        return ethernet(f, p + 8, end, depth);
    }

    /** 3GPP TS 29.281 section 5: GTPv1-U G-PDU; null if not a G-PDU carrying IP (ordinary UDP). */
    private Reason gtpU(byte[] f, int p, int end, int depth) {
        if (end - p < 8) {
            return null;
        }
        int flags = f[p] & 0xff;
        if ((flags >> 5) != 1 || (flags & 0x10) == 0 || (f[p + 1] & 0xff) != 0xFF) {
            return null; // not version 1, not GTP (PT=0 is GTP'), or not a G-PDU (echo, error indication...)
        }
        int q = p + 8;
        if ((flags & 0x07) != 0) {
            // E, S or PN: sequence number (2), N-PDU number (1), next extension header type (1)
            if (end - q < 4) {
                return Reason.TRUNCATED_TUNNEL;
            }
            int nextType = (flags & 0x04) != 0 ? f[q + 3] & 0xff : 0;
            q += 4;
            for (int n = 0; nextType != 0; n++) {
                if (n == MAX_GTP_EXTENSIONS) {
                    return Reason.MALFORMED_TUNNEL;
                }
                if (end - q < 4) {
                    return Reason.TRUNCATED_TUNNEL;
                }
                int len = (f[q] & 0xff) * 4;
                if (len == 0) {
                    return Reason.MALFORMED_TUNNEL;
                }
                if (end - q < len) {
                    return Reason.TRUNCATED_TUNNEL;
                }
                nextType = f[q + len - 1] & 0xff;
                q += len;
            }
        }
        if (end - q < 1) {
            return Reason.TRUNCATED_TUNNEL;
        }
        int version = (f[q] >> 4) & 0xf;
        if (version != 4 && version != 6) {
            return null;
        }
        if (++depth > limits.maxEncapsulationDepth()) {
            return Reason.TOO_MANY_ENCAPSULATIONS;
        }
        mark(Encapsulation.GTP_U);
        return version == 4 ? ipv4(f, q, end, depth) : ipv6(f, q, end, depth);
    }

    /**
     * RFC 2784 / 2890 GRE (version 0), with ERSPAN type I, II and III. Version 1 (PPTP's enhanced
     * GRE, RFC 2637) and payloads that are not decoded stay a GRE flow between the outer addresses.
     */
    private Reason gre(byte[] f, int p, int end, int wireLength, int depth) {
        if (end - p < 4) {
            return wireLength < 4 ? Reason.MALFORMED_TUNNEL : Reason.TRUNCATED_TUNNEL;
        }
        int flags = u16(f, p);
        int version = flags & 7;
        if (version > 1 || (flags & 0x4000) != 0) {
            return Reason.MALFORMED_TUNNEL; // unknown version, or RFC 1701 source routing
        }
        if (version == 1) {
            setPayload(f, p, end, wireLength);
            return Reason.OK;
        }
        int header = 4 + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0) + ((flags & 0x1000) != 0 ? 4 : 0);
        if (end - p < header) {
            return Reason.TRUNCATED_TUNNEL;
        }
        int type = u16(f, p + 2);
        int q = p + header;
        switch (type) {
            case ETH_IPV4, ETH_IPV6, ETH_TEB, ETH_MPLS, ETH_ERSPAN_2, ETH_ERSPAN_3 -> {
                if (++depth > limits.maxEncapsulationDepth()) {
                    return Reason.TOO_MANY_ENCAPSULATIONS;
                }
            }
            default -> {
                setPayload(f, p, end, wireLength);
                return Reason.OK; // e.g. WCCP, keepalives: a GRE flow
            }
        }
        mark(Encapsulation.GRE);
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
                mark(Encapsulation.ERSPAN);
                if ((flags & 0x1000) == 0) {
                    return ethernet(f, q, end, depth); // type I: no ERSPAN header, no GRE sequence number
                }
                if (end - q < 8) {
                    return Reason.TRUNCATED_TUNNEL;
                }
                if (((f[q] >> 4) & 0xf) != 1) {
                    return Reason.MALFORMED_TUNNEL;
                }
                return ethernet(f, q + 8, end, depth);
            default: // ERSPAN type III: 12-byte header, optional 8-byte platform subheader (O flag)
                mark(Encapsulation.ERSPAN);
                if (end - q < 12) {
                    return Reason.TRUNCATED_TUNNEL;
                }
                if (((f[q] >> 4) & 0xf) != 2) {
                    return Reason.MALFORMED_TUNNEL;
                }
                int sub = (f[q + 11] & 1) != 0 ? 8 : 0;
                if (end - q < 12 + sub) {
                    return Reason.TRUNCATED_TUNNEL;
                }
                return ethernet(f, q + 12 + sub, end, depth);
        }
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
