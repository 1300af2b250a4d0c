package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.decode.Frames.DST4;
import static org.swarmwatch.probe.decode.Frames.DST6;
import static org.swarmwatch.probe.decode.Frames.SRC4;
import static org.swarmwatch.probe.decode.Frames.SRC6;
import static org.swarmwatch.probe.decode.Frames.concat;
import static org.swarmwatch.probe.decode.Frames.ethernet;
import static org.swarmwatch.probe.decode.Frames.ext8;
import static org.swarmwatch.probe.decode.Frames.gre;
import static org.swarmwatch.probe.decode.Frames.innerIpv4Udp;
import static org.swarmwatch.probe.decode.Frames.ipv4;
import static org.swarmwatch.probe.decode.Frames.ipv6;
import static org.swarmwatch.probe.decode.Frames.payload;
import static org.swarmwatch.probe.decode.Frames.tcp;
import static org.swarmwatch.probe.decode.Frames.u16;
import static org.swarmwatch.probe.decode.Frames.u32;
import static org.swarmwatch.probe.decode.Frames.udp;
import static org.swarmwatch.probe.decode.Frames.vlan;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;

/** Every decoder and tunnel with crafted frames, good and bad. */
class PacketDecoderTest {
    final DecodeCounters counters = new DecodeCounters();
    final PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);
    final DecodedPacket p = new DecodedPacket();

    DecodeStatus decode(int linkType, byte[] frame) {
        return decoder.decode(linkType, frame, 0, frame.length, frame.length, 1_000_000, p);
    }

    void assertInnerUdp() {
        assertEquals(4, p.ipVersion);
        assertEquals(0x0a000001L, p.srcLo);
        assertEquals(0x0a000002L, p.dstLo);
        assertEquals(17, p.protocol);
        assertEquals(1000, p.srcPort);
        assertEquals(53, p.dstPort);
        assertEquals("inner", new String(p.payload, p.payloadOffset, p.payloadLength));
    }

    static byte[] tcpFrame(String data) {
        return ethernet(0x0800, ipv4(SRC4, DST4, 6, tcp(51413, 6881, 0x18, payload(data))));
    }

    @Test
    void ethernetIpv4Tcp() {
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, tcpFrame("hello")));
        assertEquals(4, p.ipVersion);
        assertEquals(0xc6336407L, p.srcLo);
        assertEquals(0xcb007101L, p.dstLo);
        assertEquals(6, p.protocol);
        assertEquals(51413, p.srcPort);
        assertEquals(6881, p.dstPort);
        assertEquals(0x18, p.tcpFlags);
        assertEquals(1000, p.tcpSeq);
        assertEquals(45, p.ipLength);
        assertEquals("hello", new String(p.payload, p.payloadOffset, p.payloadLength));
        assertEquals(-1, p.vlanId);
        assertEquals(0, p.encapsulations);
        assertEquals(1, counters.get(Reason.OK));
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] frame = concat(ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(1, 2, new byte[0]))), new byte[18]);
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, frame));
        assertEquals(0, p.payloadLength);
        assertEquals(28, p.ipLength);
    }

    @Test
    void vlanAndQinq() {
        byte[] inner = ipv4(SRC4, DST4, 6, tcp(1, 2, 0x02, new byte[0]));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8100, vlan(0x2064, 0x0800, inner))));
        assertEquals(100, p.vlanId);
        assertTrue(p.crossed(Encapsulation.VLAN));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x88A8, vlan(300, 0x8100, vlan(7, 0x0800, inner)))));
        assertEquals(300, p.vlanId, "the outer (service) tag");
        assertTrue(p.crossed(Encapsulation.QINQ));
        assertEquals(2, p.dstPort);
    }

    @Test
    void tooManyVlanTagsAreBounded() {
        byte[] frame = ipv4(SRC4, DST4, 6, tcp(1, 2, 0x02, new byte[0]));
        int type = 0x0800;
        for (int i = 0; i < 12; i++) {
            frame = vlan(i, type, frame);
            type = 0x8100;
        }
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x8100, frame)));
        assertEquals(1, counters.get(Reason.TOO_MANY_ENCAPSULATIONS));
    }

    @Test
    void mplsStackThenIpOrPseudowire() {
        byte[] labels = concat(u32(100 << 12), u32(200 << 12 | 0x100)); // second label has bottom-of-stack
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8847, concat(labels, innerIpv4Udp()))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.MPLS));
        byte[] pseudowire = concat(u32(300 << 12 | 0x100), u32(0), ethernet(0x0800, innerIpv4Udp()));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8847, pseudowire)));
        assertInnerUdp();
    }

    @Test
    void mplsWithoutBottomOfStackIsTruncated() {
        assertEquals(DecodeStatus.TRUNCATED, decode(LinkType.ETHERNET, ethernet(0x8847, concat(u32(1 << 12), u32(2 << 12)))));
        assertEquals(1, counters.get(Reason.TRUNCATED_L2));
    }

    @Test
    void pppoeSession() {
        byte[] inner = innerIpv4Udp();
        byte[] pppoe = concat(new byte[] {0x11, 0}, u16(0x1234), u16(inner.length + 2), u16(0x0021), inner);
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8864, pppoe)));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.PPPOE));
        byte[] lcp = concat(new byte[] {0x11, 0}, u16(0x1234), u16(6), u16(0xc021), new byte[4]);
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ethernet(0x8864, lcp)));
    }

    @Test
    void linuxCookedV1AndV2() {
        byte[] sll = concat(u16(0), u16(1), u16(6), new byte[8], u16(0x0800), innerIpv4Udp());
        assertEquals(DecodeStatus.OK, decode(LinkType.LINUX_SLL, sll));
        assertInnerUdp();
        byte[] sll2 = concat(u16(0x86DD), u16(0), u32(3), u16(1), new byte[] {0, 6}, new byte[8],
                ipv6(SRC6, DST6, 17, udp(1000, 53, payload("inner"))));
        assertEquals(DecodeStatus.OK, decode(LinkType.LINUX_SLL2, sll2));
        assertEquals(6, p.ipVersion);
        assertEquals(0x20010db800000000L, p.srcHi);
        assertEquals(1, p.srcLo);
        assertEquals(2, p.dstLo);
        assertEquals(53, p.dstPort);
    }

    @Test
    void rawIpAndLoopbackLinkTypes() {
        byte[] v4 = innerIpv4Udp();
        byte[] v6 = ipv6(SRC6, DST6, 6, tcp(1, 2, 0x02, new byte[0]));
        for (int lt : new int[] {LinkType.RAW, LinkType.RAW_DLT_12, LinkType.RAW_DLT_14, LinkType.IPV4}) {
            assertEquals(DecodeStatus.OK, decode(lt, v4), "link type " + lt);
            assertInnerUdp();
        }
        assertEquals(DecodeStatus.OK, decode(LinkType.RAW, v6));
        assertEquals(6, p.ipVersion);
        assertEquals(DecodeStatus.OK, decode(LinkType.IPV6, v6));
        assertEquals(DecodeStatus.OK, decode(LinkType.NULL, concat(new byte[] {2, 0, 0, 0}, v4))); // little-endian host
        assertInnerUdp();
        assertEquals(DecodeStatus.OK, decode(LinkType.NULL, concat(new byte[] {0, 0, 0, 30}, v6))); // big-endian host, macOS AF_INET6
        assertEquals(6, p.ipVersion);
        assertEquals(DecodeStatus.OK, decode(LinkType.LOOP, concat(u32(2), v4)));
        assertEquals(DecodeStatus.UNSUPPORTED, decode(189, v4));
        assertEquals(1, counters.get(Reason.UNSUPPORTED_LINK_TYPE));
    }

    @Test
    void notIpFramesAreCountedAsSuch() {
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ethernet(0x0806, new byte[28])));
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ethernet(38, concat(new byte[] {0x42, 0x42, 3}, new byte[35])))); // STP
        assertEquals(DecodeStatus.UNSUPPORTED, decode(LinkType.ETHERNET, ethernet(0x1234, new byte[28])));
        assertEquals(2, counters.get(Reason.NOT_IP));
        assertEquals(1, counters.get(Reason.UNSUPPORTED_ETHERTYPE));
    }

    @Test
    void ipv6ExtensionHeadersAreFollowed() {
        byte[] chain = concat(ext8(60), ext8(43), ext8(6), tcp(1, 443, 0x02, new byte[0]));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x86DD, ipv6(SRC6, DST6, 0, chain))));
        assertEquals(6, p.protocol);
        assertEquals(443, p.dstPort);
        byte[] esp = concat(u32(0x1000), u32(1), new byte[16]);
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x86DD, ipv6(SRC6, DST6, 50, esp))));
        assertEquals(50, p.protocol);
        assertEquals(0, p.dstPort);
    }

    @Test
    void tooManyIpv6ExtensionHeaders() {
        byte[] chain = tcp(1, 2, 0x02, new byte[0]);
        chain = concat(ext8(6), chain);
        for (int i = 0; i < 10; i++) {
            chain = concat(ext8(60), chain);
        }
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x86DD, ipv6(SRC6, DST6, 60, chain))));
        assertEquals(1, counters.get(Reason.TOO_MANY_EXTENSION_HEADERS));
    }

    @Test
    void ipv6PayloadLengthBeyondTheFrameMeansACutPayload() {
        byte[] frame = ethernet(0x86DD, ipv6(SRC6, DST6, 17, udp(1, 2, new byte[200])));
        byte[] cut = Arrays.copyOf(frame, frame.length - 150);
        assertEquals(DecodeStatus.OK, decoder.decode(LinkType.ETHERNET, cut, 0, cut.length, frame.length, 0, p));
        assertEquals(50, p.payloadLength);
        assertEquals(200, p.payloadWireLength);
        assertEquals(248, p.ipLength);
    }

    @Test
    void absurdIpv4Lengths() {
        byte[] ok = ipv4(SRC4, DST4, 6, tcp(1, 2, 0x02, new byte[0]));
        byte[] shortTotal = ok.clone();
        shortTotal[2] = 0;
        shortTotal[3] = 12; // total length below the header length
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, shortTotal)));
        byte[] badIhl = ok.clone();
        badIhl[0] = 0x44;
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, badIhl)));
        byte[] hugeIhl = ok.clone();
        hugeIhl[0] = 0x4f; // a 60-byte header in a datagram whose total length says 40
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, hugeIhl)));
        byte[] notV4 = ok.clone();
        notV4[0] = 0x55;
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, notV4)));
        assertEquals(4, counters.get(Reason.MALFORMED_IPV4));
        // a total length larger than the frame: the snapshot length cut it, headers are there
        byte[] longTotal = ipv4(SRC4, DST4, 6, 1, 0, tcp(1, 2, 0x18, payload("abc")), 1500);
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, longTotal)));
        assertEquals(3, p.payloadLength);
        assertEquals(1460, p.payloadWireLength);
    }

    @Test
    void badTcpDataOffsets() {
        byte[] seg = tcp(1, 2, 0x02, new byte[0]);
        seg[12] = 0x40; // 16 bytes: below the minimum
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 6, seg))));
        seg[12] = (byte) 0xf0; // 60 bytes in a 20-byte segment
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 6, seg))));
        assertEquals(2, counters.get(Reason.MALFORMED_TCP));
    }

    @Test
    void badUdpLength() {
        byte[] d = udp(1, 2, payload("x"));
        d[4] = 0;
        d[5] = 4;
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 17, d))));
        d[5] = 100; // longer than the IP payload
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 17, d))));
        assertEquals(2, counters.get(Reason.MALFORMED_UDP));
    }

    @Test
    void truncatedAtEachLayer() {
        byte[] frame = tcpFrame("payload");
        assertEquals(DecodeStatus.TRUNCATED, decoder.decode(LinkType.ETHERNET, frame, 0, 10, frame.length, 0, p));
        assertEquals(DecodeStatus.TRUNCATED, decoder.decode(LinkType.ETHERNET, frame, 0, 14 + 12, frame.length, 0, p));
        assertEquals(DecodeStatus.TRUNCATED, decoder.decode(LinkType.ETHERNET, frame, 0, 14 + 20 + 10, frame.length, 0, p));
        assertEquals(DecodeStatus.OK, decoder.decode(LinkType.ETHERNET, frame, 0, 14 + 20 + 20 + 3, frame.length, 0, p));
        assertEquals(3, p.payloadLength);
        assertEquals(7, p.payloadWireLength);
        assertEquals(1, counters.get(Reason.TRUNCATED_L2));
        assertEquals(1, counters.get(Reason.TRUNCATED_IP));
        assertEquals(1, counters.get(Reason.TRUNCATED_L4));
    }

    @Test
    void greCarriesIpEthernetAndErspan() {
        byte[] outer = ethernet(0x0800, ipv4(SRC4, DST4, 47, gre(0, 0x0800, new byte[0], innerIpv4Udp())));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, outer));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.GRE));

        byte[] keyAndSeq = concat(u32(42), u32(7)); // K and S bits
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47,
                gre(0x3000, 0x6558, keyAndSeq, ethernet(0x0800, innerIpv4Udp()))))));
        assertInnerUdp();

        byte[] erspan2 = concat(new byte[] {0x10, 0x64, 0, 1}, u32(0)); // version 1, VLAN 100, session 1
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47,
                gre(0x1000, 0x88BE, u32(1), concat(erspan2, ethernet(0x0800, innerIpv4Udp())))))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.ERSPAN));

        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47,
                gre(0, 0x88BE, new byte[0], ethernet(0x0800, innerIpv4Udp())))))); // ERSPAN type I
        assertInnerUdp();

        byte[] erspan3 = concat(new byte[] {0x20, 0, 0, 1}, u32(12345), new byte[] {0, 0, 0, 1}); // version 2, O flag
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47,
                gre(0x1000, 0x22EB, u32(1), concat(erspan3, new byte[8], ethernet(0x0800, innerIpv4Udp())))))));
        assertInnerUdp();
    }

    @Test
    void greWithUnknownVersionOrRoutingIsMalformed() {
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47,
                gre(0x0005, 0x0800, new byte[0], innerIpv4Udp())))));
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47,
                gre(0x4000, 0x0800, new byte[4], innerIpv4Udp())))));
        assertEquals(2, counters.get(Reason.MALFORMED_TUNNEL));
        // PPTP's enhanced GRE (version 1) is a GRE flow between the outer addresses
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47,
                gre(0x2001, 0x880B, u32(1), new byte[10])))));
        assertEquals(47, p.protocol);
        assertEquals(0xc6336407L, p.srcLo);
    }

    @Test
    void vxlanNeedsItsIFlag() {
        byte[] vxlan = concat(new byte[] {0x08, 0, 0, 0}, new byte[] {0, 0, 100, 0}, ethernet(0x0800, innerIpv4Udp()));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(54321, 4789, vxlan)))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.VXLAN));
        vxlan[0] = 0;
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(54321, 4789, vxlan)))));
        assertEquals(4789, p.dstPort, "without the I flag it is ordinary UDP");
        assertFalse(p.crossed(Encapsulation.VXLAN));
    }

    @Test
    void gtpUGpduWithExtensionHeaders() {
        byte[] inner = innerIpv4Udp();
        // flags: version 1, PT 1, E set; type 0xFF; length; TEID; seq, N-PDU, next ext 0x85 (PDU session container)
        byte[] gtp = concat(new byte[] {0x34, (byte) 0xFF}, u16(inner.length + 8), u32(0xabcdef), u16(0), new byte[] {0, (byte) 0x85},
                new byte[] {1, 0x10, 0x01, 0}, inner);
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(2152, 2152, gtp)))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.GTP_U));
        byte[] echo = concat(new byte[] {0x32, 1}, u16(4), u32(0), u16(1), new byte[2]);
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(2152, 2152, echo)))));
        assertEquals(2152, p.dstPort, "an echo request is ordinary UDP");
        assertFalse(p.crossed(Encapsulation.GTP_U));
    }

    @Test
    void ipInIp() {
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 4, innerIpv4Udp()))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.IP_IN_IP));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x86DD, ipv6(SRC6, DST6, 4, innerIpv4Udp()))));
        assertInnerUdp();
    }

    @Test
    void tooManyTunnelLayersAreBounded() {
        byte[] pkt = innerIpv4Udp();
        for (int i = 0; i < 12; i++) {
            pkt = ipv4(SRC4, DST4, 47, gre(0, 0x0800, new byte[0], pkt));
        }
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x0800, pkt)));
        assertEquals(1, counters.get(Reason.TOO_MANY_ENCAPSULATIONS));
    }
}
