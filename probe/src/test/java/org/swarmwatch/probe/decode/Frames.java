package org.swarmwatch.probe.decode;

import java.io.ByteArrayOutputStream;

/** Builds crafted frames layer by layer for decoder tests (checksums are not checked, so they are zero). */
final class Frames {
    static final byte[] MAC_PAIR = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};
    static final int SRC4 = 0xc6336407; // 198.51.100.7
    static final int DST4 = 0xcb007101; // 203.0.113.1
    static final byte[] SRC6 = v6(0x20010db8_00000000L, 1);
    static final byte[] DST6 = v6(0x20010db8_00000000L, 2);

    private Frames() {
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
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

    static byte[] ethernet(int etherType, byte[] payload) {
        return concat(MAC_PAIR, u16(etherType), payload);
    }

    static byte[] vlan(int id, int innerType, byte[] payload) {
        return concat(u16(id), u16(innerType), payload);
    }

    static byte[] ipv4(int src, int dst, int protocol, byte[] payload) {
        return ipv4(src, dst, protocol, 1, 0, payload, 20 + payload.length);
    }

    /** @param fragmentWord flags and offset field (0x2000 = MF, low 13 bits = offset / 8) */
    static byte[] ipv4(int src, int dst, int protocol, int id, int fragmentWord, byte[] payload, int totalLength) {
        return concat(new byte[] {0x45, 0}, u16(totalLength), u16(id), u16(fragmentWord),
                new byte[] {64, (byte) protocol, 0, 0}, u32(src), u32(dst), payload);
    }

    static byte[] ipv6(byte[] src, byte[] dst, int next, byte[] payload) {
        return concat(new byte[] {0x60, 0, 0, 0}, u16(payload.length), new byte[] {(byte) next, 64}, src, dst, payload);
    }

    /** An IPv6 extension header of 8 bytes (hop-by-hop, destination options, routing). */
    static byte[] ext8(int next) {
        return new byte[] {(byte) next, 0, 1, 4, 0, 0, 0, 0};
    }

    static byte[] tcp(int sport, int dport, int flags, byte[] payload) {
        return concat(u16(sport), u16(dport), u32(1000), u32(0), new byte[] {0x50, (byte) flags}, u16(65535), u16(0), u16(0), payload);
    }

    static byte[] udp(int sport, int dport, byte[] payload) {
        return concat(u16(sport), u16(dport), u16(8 + payload.length), u16(0), payload);
    }

    static byte[] payload(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Ethernet / IPv4 / UDP 1000 -> 53 with a small payload: the inner packet of tunnel tests. */
    static byte[] innerIpv4Udp() {
        return ipv4(0x0a000001, 0x0a000002, 17, udp(1000, 53, payload("inner")));
    }

    static byte[] gre(int flagsAndVersion, int protocol, byte[] optional, byte[] payload) {
        return concat(u16(flagsAndVersion), u16(protocol), optional, payload);
    }
}
