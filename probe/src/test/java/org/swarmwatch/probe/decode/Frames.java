package org.swarmwatch.probe.decode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds crafted frames layer by layer for the decoder tests: each method returns one layer's
 * header followed by the payload it is given. Checksums are left zero (the decoders do not check
 * them); lengths are computed unless a test passes a wrong one on purpose.
 */
final class Frames {
    static final byte[] MAC_PAIR = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};
    static final int SRC4 = 0xc6336407; // 198.51.100.7
    static final int DST4 = 0xcb007101; // 203.0.113.1
    static final byte[] SRC6 = v6(0x20010db8_00000000L, 1);
    static final byte[] DST6 = v6(0x20010db8_00000000L, 2);
    /** Addresses of the innermost packet in tunnel tests: 10.0.0.1 -> 10.0.0.2, UDP 1000 -> 53. */
    static final int INNER_SRC4 = 0x0a000001, INNER_DST4 = 0x0a000002;

    private Frames() {
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    static byte[] v6(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    static byte[] payload(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The first {@code length} bytes of a frame, as a snapshot length would leave them. */
    static byte[] cut(byte[] frame, int length) {
        return Arrays.copyOf(frame, length);
    }

    // ------------------------------------------------------------------ link layers

    static byte[] ethernet(int etherType, byte[] payload) {
        return concat(MAC_PAIR, u16(etherType), payload);
    }

    /** An IEEE 802.3 frame: the type field holds the length, then LLC (and SNAP) bytes and payload. */
    static byte[] ieee8023(byte[] llcAndPayload) {
        return concat(MAC_PAIR, u16(llcAndPayload.length), llcAndPayload);
    }

    /** RFC 1042 LLC/SNAP header with OUI 0 and an EtherType. */
    static byte[] snap(int etherType, byte[] payload) {
        return concat(bytes(0xAA, 0xAA, 0x03, 0, 0, 0), u16(etherType), payload);
    }

    /** An 802.1Q / 802.1ad tag body (priority 0): the tag control word and the next EtherType. */
    static byte[] vlan(int id, int innerType, byte[] payload) {
        return concat(u16(id), u16(innerType), payload);
    }

    /** One MPLS label stack entry, TTL 64. */
    static byte[] mplsLabel(int label, boolean bottom) {
        return u32(label << 12 | (bottom ? 0x100 : 0) | 64);
    }

    /** PPPoE session header (RFC 2516) and the PPP protocol field. */
    static byte[] pppoe(int pppProtocol, byte[] payload) {
        return concat(bytes(0x11, 0), u16(0x1234), u16(payload.length + 2), u16(pppProtocol), payload);
    }

    /** Linux cooked capture v1 header (16 bytes): packet type, ARPHRD, address length, 8 address bytes, protocol. */
    static byte[] sll(int protocol, byte[] payload) {
        return concat(u16(0), u16(1), u16(6), bytes(2, 0, 0, 0, 0, 1, 0, 0), u16(protocol), payload);
    }

    /** Linux cooked capture v2 header (20 bytes): protocol, reserved, interface, ARPHRD, packet type, address length and bytes. */
    static byte[] sll2(int protocol, byte[] payload) {
        return concat(u16(protocol), u16(0), u32(3), u16(1), bytes(0, 6), bytes(2, 0, 0, 0, 0, 1, 0, 0), payload);
    }

    // ------------------------------------------------------------------ IP

    static byte[] ipv4(int src, int dst, int protocol, byte[] payload) {
        return ipv4(src, dst, protocol, 1, 0, payload, 20 + payload.length);
    }

    /** @param fragmentWord flags and offset field (0x2000 = MF, low 13 bits = offset / 8) */
    static byte[] ipv4(int src, int dst, int protocol, int id, int fragmentWord, byte[] payload, int totalLength) {
        return concat(bytes(0x45, 0), u16(totalLength), u16(id), u16(fragmentWord), bytes(64, protocol, 0, 0), u32(src),
                u32(dst), payload);
    }

    /** An IPv4 fragment of a datagram: {@code part} at byte {@code offset}, MF set when {@code more}. */
    static byte[] ipv4Fragment(int id, int protocol, int offset, boolean more, byte[] part) {
        return ipv4(SRC4, DST4, protocol, id, (more ? 0x2000 : 0) | offset / 8, part, 20 + part.length);
    }

    /** Ethernet, then IPv4 from {@link #SRC4} to {@link #DST4} carrying {@code payload}. */
    static byte[] overIpv4(int protocol, byte[] payload) {
        return ethernet(0x0800, ipv4(SRC4, DST4, protocol, payload));
    }

    static byte[] ipv6(byte[] src, byte[] dst, int next, byte[] payload) {
        return concat(bytes(0x60, 0, 0, 0), u16(payload.length), bytes(next, 64), src, dst, payload);
    }

    /** An IPv6 extension header of 8 bytes (hop-by-hop, routing, destination options: length field 0). */
    static byte[] ext8(int next) {
        return bytes(next, 0, 1, 4, 0, 0, 0, 0);
    }

    /** An IPv6 authentication header (RFC 4302) with a 12-byte ICV: 24 bytes, payload length field 4. */
    static byte[] ah(int next) {
        return concat(bytes(next, 4, 0, 0), u32(0x100), u32(1), new byte[12]);
    }

    /** An IPv6 fragment header (RFC 8200 section 4.5). */
    static byte[] fragmentHeader(int next, int offset, boolean more, int id) {
        return concat(bytes(next, 0), u16(offset | (more ? 1 : 0)), u32(id));
    }

    // ------------------------------------------------------------------ transport

    static byte[] tcp(int sport, int dport, int flags, byte[] payload) {
        return concat(u16(sport), u16(dport), u32(1000), u32(0), bytes(0x50, flags), u16(65535), u16(0), u16(0), payload);
    }

    /** A TCP header with {@code optionWords} 32-bit words of NOP options (data offset 5 + that). */
    static byte[] tcpWithOptions(int sport, int dport, int optionWords, byte[] payload) {
        byte[] options = new byte[4 * optionWords];
        Arrays.fill(options, (byte) 1);
        return concat(u16(sport), u16(dport), u32(1000), u32(0), bytes((5 + optionWords) << 4, 0x10), u16(65535), u16(0),
                u16(0), options, payload);
    }

    static byte[] udp(int sport, int dport, byte[] payload) {
        return concat(u16(sport), u16(dport), u16(8 + payload.length), u16(0), payload);
    }

    // ------------------------------------------------------------------ tunnels

    /** IPv4 / UDP 1000 -> 53 "inner": the innermost packet of the tunnel tests. */
    static byte[] innerIpv4Udp() {
        return ipv4(INNER_SRC4, INNER_DST4, 17, udp(1000, 53, payload("inner")));
    }

    static byte[] gre(int flagsAndVersion, int protocol, byte[] optional, byte[] payload) {
        return concat(u16(flagsAndVersion), u16(protocol), optional, payload);
    }

    /** ERSPAN type II header (version 1), VLAN 100, session 1. */
    static byte[] erspan2(byte[] frame) {
        return concat(bytes(0x10, 0x64, 0, 1), u32(0), frame);
    }

    /** ERSPAN type III header (version 2), with the 8-byte platform subheader when {@code o}. */
    static byte[] erspan3(boolean o, byte[] frame) {
        return concat(bytes(0x20, 0, 0, 1), u32(12345), bytes(0, 0, 0, o ? 1 : 0), o ? new byte[8] : new byte[0], frame);
    }

    /** VXLAN header (RFC 7348) with the I flag and VNI 100. */
    static byte[] vxlan(byte[] frame) {
        return concat(bytes(0x08, 0, 0, 0), bytes(0, 0, 100, 0), frame);
    }

    /** GTPv1-U G-PDU without optional fields. */
    static byte[] gtpU(byte[] packet) {
        return concat(bytes(0x30, 0xFF), u16(packet.length), u32(0xabcdef), packet);
    }

    /**
     * GTPv1-U G-PDU with the E flag and the given extension headers (each a whole number of 4-byte
     * units, its own length byte first and its next-type byte last).
     */
    static byte[] gtpUWithExtensions(int firstExtensionType, byte[] extensions, byte[] packet) {
        byte[] rest = concat(u16(0), bytes(0, firstExtensionType), extensions, packet);
        return concat(bytes(0x34, 0xFF), u16(rest.length), u32(0xabcdef), rest);
    }

    /** A PDU session container (TS 38.415) as a GTP-U extension header: 4 bytes, next type 0. */
    static byte[] pduSessionContainer() {
        return bytes(1, 0x10, 0x09, 0);
    }
}
