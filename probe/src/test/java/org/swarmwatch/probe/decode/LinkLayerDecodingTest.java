package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.decode.Frames.DST4;
import static org.swarmwatch.probe.decode.Frames.DST6;
import static org.swarmwatch.probe.decode.Frames.SRC4;
import static org.swarmwatch.probe.decode.Frames.SRC6;
import static org.swarmwatch.probe.decode.Frames.bytes;
import static org.swarmwatch.probe.decode.Frames.concat;
import static org.swarmwatch.probe.decode.Frames.cut;
import static org.swarmwatch.probe.decode.Frames.ethernet;
import static org.swarmwatch.probe.decode.Frames.ieee8023;
import static org.swarmwatch.probe.decode.Frames.innerIpv4Udp;
import static org.swarmwatch.probe.decode.Frames.ipv4;
import static org.swarmwatch.probe.decode.Frames.ipv6;
import static org.swarmwatch.probe.decode.Frames.mplsLabel;
import static org.swarmwatch.probe.decode.Frames.payload;
import static org.swarmwatch.probe.decode.Frames.pppoe;
import static org.swarmwatch.probe.decode.Frames.sll;
import static org.swarmwatch.probe.decode.Frames.sll2;
import static org.swarmwatch.probe.decode.Frames.snap;
import static org.swarmwatch.probe.decode.Frames.tcp;
import static org.swarmwatch.probe.decode.Frames.u32;
import static org.swarmwatch.probe.decode.Frames.udp;
import static org.swarmwatch.probe.decode.Frames.vlan;

import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;

/** Link layers: Ethernet and 802.3, VLAN tags, MPLS, PPPoE, Linux cooked, raw IP, loopback. */
class LinkLayerDecodingTest {
    final DecodeCounters counters = new DecodeCounters();
    final PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);
    final DecodedPacket p = new DecodedPacket();

    DecodeStatus decode(int linkType, byte[] frame) {
        return decoder.decode(linkType, frame, 0, frame.length, frame.length, 1_000_000, p);
    }

    /** The packet of {@link Frames#innerIpv4Udp()} was found. */
    void assertInnerUdp() {
        assertEquals(4, p.ipVersion);
        assertEquals(0x0a000001L, p.srcLo);
        assertEquals(0x0a000002L, p.dstLo);
        assertEquals(17, p.protocol);
        assertEquals(1000, p.srcPort);
        assertEquals(53, p.dstPort);
        assertEquals("inner", new String(p.payload, p.payloadOffset, p.payloadLength));
    }

    static byte[] v4Tcp(String data) {
        return ipv4(SRC4, DST4, 6, tcp(51413, 6881, 0x18, payload(data)));
    }

    @Test
    void ethernetIpv4Tcp() {
        byte[] frame = ethernet(0x0800, v4Tcp("hello"));
        assertEquals(DecodeStatus.OK, decoder.decode(LinkType.ETHERNET, frame, 0, frame.length, frame.length, 42, p));
        assertEquals(42, p.timestampMicros);
        assertEquals(frame.length, p.capturedLength);
        assertEquals(frame.length, p.wireLength);
        assertEquals(4, p.ipVersion);
        assertEquals(0, p.srcHi);
        assertEquals(0xc6336407L, p.srcLo);
        assertEquals(0, p.dstHi);
        assertEquals(0xcb007101L, p.dstLo);
        assertEquals(6, p.protocol);
        assertEquals(51413, p.srcPort);
        assertEquals(6881, p.dstPort);
        assertEquals(0x18, p.tcpFlags);
        assertEquals(1000, p.tcpSeq);
        assertEquals(45, p.ipLength);
        assertEquals("hello", new String(p.payload, p.payloadOffset, p.payloadLength));
        assertEquals(5, p.payloadWireLength);
        assertEquals(-1, p.vlanId);
        assertEquals(0, p.encapsulations);
        assertFalse(p.reassembled);
        assertEquals(1, counters.get(Reason.OK));
    }

    @Test
    void frameInsideALargerArrayAtAnOffset() {
        byte[] frame = ethernet(0x0800, v4Tcp("hello"));
        byte[] buffer = concat(new byte[37], frame, new byte[20]);
        assertEquals(DecodeStatus.OK, decoder.decode(LinkType.ETHERNET, buffer, 37, frame.length, frame.length, 0, p));
        assertEquals(6881, p.dstPort);
        assertEquals(37 + 14 + 20 + 20, p.payloadOffset);
        assertEquals("hello", new String(p.payload, p.payloadOffset, p.payloadLength));
    }

    @Test
    void ethernetPaddingAndFcsAreNotPayload() {
        byte[] frame = concat(ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(1, 2, new byte[0]))), new byte[18], u32(0xdeadbeef));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, frame));
        assertEquals(0, p.payloadLength);
        assertEquals(0, p.payloadWireLength);
        assertEquals(28, p.ipLength);
    }

    @Test
    void ieee8023FramesCarryIpOnlyInSnap() {
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ieee8023(snap(0x0800, innerIpv4Udp()))));
        assertInnerUdp();
        byte[] stp = concat(bytes(0x42, 0x42, 0x03), new byte[35]);
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ieee8023(stp)));
        byte[] cdp = concat(bytes(0xAA, 0xAA, 0x03, 0x00, 0x00, 0x0C, 0x20, 0x00), new byte[30]); // Cisco OUI
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ieee8023(cdp)));
        assertEquals(2, counters.get(Reason.NOT_IP));
    }

    @Test
    void singleVlanTag() {
        byte[] frame = ethernet(0x8100, vlan(0x2064, 0x0800, v4Tcp(""))); // priority 1, VLAN 100
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, frame));
        assertEquals(100, p.vlanId);
        assertTrue(p.crossed(Encapsulation.VLAN));
        assertFalse(p.crossed(Encapsulation.QINQ));
        assertEquals(6881, p.dstPort);
    }

    @Test
    void qinqKeepsTheOuterVlan() {
        for (int outerType : new int[] {0x88A8, 0x9100, 0x8100}) {
            byte[] frame = ethernet(outerType, vlan(300, 0x8100, vlan(7, 0x0800, v4Tcp(""))));
            assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, frame), Integer.toHexString(outerType));
            assertEquals(300, p.vlanId, "the outer (service) tag");
            assertTrue(p.crossed(Encapsulation.QINQ));
            assertEquals(6881, p.dstPort);
        }
    }

    static byte[] tagged(int tags, byte[] ipPacket) {
        byte[] frame = ipPacket;
        int type = 0x0800;
        for (int i = 0; i < tags; i++) {
            frame = vlan(i + 1, type, frame);
            type = 0x8100;
        }
        return ethernet(0x8100, frame);
    }

    @Test
    void vlanStacksUpToTheDepthLimit() {
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, tagged(8, v4Tcp(""))));
        assertEquals(8, p.vlanId, "the outermost of eight");
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, tagged(9, v4Tcp(""))));
        assertEquals(1, counters.get(Reason.TOO_MANY_ENCAPSULATIONS));
    }

    @Test
    void cutVlanTagIsTruncated() {
        assertEquals(DecodeStatus.TRUNCATED, decode(LinkType.ETHERNET, ethernet(0x8100, bytes(0, 5))));
        assertEquals(1, counters.get(Reason.TRUNCATED_L2));
    }

    @Test
    void mplsLabelStackThenIp() {
        byte[] labels = concat(mplsLabel(100, false), mplsLabel(200, false), mplsLabel(300, true));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8847, concat(labels, innerIpv4Udp()))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.MPLS));
        byte[] v6 = ipv6(SRC6, DST6, 17, udp(1000, 53, payload("inner")));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8848, concat(mplsLabel(16, true), v6)))); // multicast
        assertEquals(6, p.ipVersion);
        assertEquals(53, p.dstPort);
    }

    @Test
    void mplsPseudowireWithControlWordThenEthernet() {
        byte[] pw = concat(mplsLabel(300, true), u32(0), ethernet(0x8100, vlan(9, 0x0800, innerIpv4Udp())));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8847, pw)));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.MPLS));
        assertEquals(9, p.vlanId);
    }

    @Test
    void mplsWithoutBottomOfStackWithinTheFrameIsTruncated() {
        assertEquals(DecodeStatus.TRUNCATED, decode(LinkType.ETHERNET,
                ethernet(0x8847, concat(mplsLabel(1, false), mplsLabel(2, false)))));
        assertEquals(1, counters.get(Reason.TRUNCATED_L2));
    }

    @Test
    void mplsLabelStackIsBounded() {
        byte[] labels = new byte[0];
        for (int i = 0; i < 20; i++) {
            labels = concat(labels, mplsLabel(i + 16, false));
        }
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x8847, concat(labels, mplsLabel(99, true),
                innerIpv4Udp()))));
        assertEquals(1, counters.get(Reason.TOO_MANY_ENCAPSULATIONS));
    }

    @Test
    void mplsPayloadThatIsNeitherIpNorPseudowire() {
        byte[] ach = concat(mplsLabel(13, true), bytes(0x10, 0, 0, 0x07), new byte[20]); // RFC 5586 G-ACh (BFD)
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ethernet(0x8847, ach)));
        byte[] unknown = concat(mplsLabel(13, true), bytes(0x90), new byte[20]);
        assertEquals(DecodeStatus.UNSUPPORTED, decode(LinkType.ETHERNET, ethernet(0x8847, unknown)));
    }

    @Test
    void pppoeSessionCarriesIpv4AndIpv6() {
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8864, pppoe(0x0021, innerIpv4Udp()))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.PPPOE));
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8864, pppoe(0x0057,
                ipv6(SRC6, DST6, 6, tcp(1, 2, 0x02, new byte[0]))))));
        assertEquals(6, p.ipVersion);
        assertEquals(2, p.dstPort);
    }

    @Test
    void pppoeControlAndBadHeaders() {
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ethernet(0x8864, pppoe(0xc021, new byte[4])))); // LCP
        byte[] badVersion = pppoe(0x0021, innerIpv4Udp());
        badVersion[0] = 0x21;
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.ETHERNET, ethernet(0x8864, badVersion)));
        assertEquals(1, counters.get(Reason.MALFORMED_TUNNEL));
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ethernet(0x8863, new byte[30]))); // discovery
    }

    @Test
    void framesWithoutIp() {
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ethernet(0x0806, new byte[28]))); // ARP
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ethernet(0x88CC, new byte[30]))); // LLDP
        assertEquals(DecodeStatus.UNSUPPORTED, decode(LinkType.ETHERNET, ethernet(0x1234, new byte[28])));
        assertEquals(2, counters.get(Reason.NOT_IP));
        assertEquals(1, counters.get(Reason.UNSUPPORTED_ETHERTYPE));
        assertEquals(0, p.ipVersion);
    }

    @Test
    void truncatedEthernetHeader() {
        byte[] frame = ethernet(0x0800, v4Tcp(""));
        for (int captured = 0; captured < 14; captured++) {
            assertEquals(DecodeStatus.TRUNCATED, decoder.decode(LinkType.ETHERNET, frame, 0, captured, frame.length, 0, p));
        }
        assertEquals(14, counters.get(Reason.TRUNCATED_L2));
    }

    @Test
    void linuxCookedV1AndV2() {
        assertEquals(DecodeStatus.OK, decode(LinkType.LINUX_SLL, sll(0x0800, innerIpv4Udp())));
        assertInnerUdp();
        assertEquals(DecodeStatus.OK, decode(LinkType.LINUX_SLL2, sll2(0x86DD, ipv6(SRC6, DST6, 17,
                udp(1000, 53, payload("inner"))))));
        assertEquals(6, p.ipVersion);
        assertEquals(0x20010db800000000L, p.srcHi);
        assertEquals(1, p.srcLo);
        assertEquals(0x20010db800000000L, p.dstHi);
        assertEquals(2, p.dstLo);
        assertEquals(53, p.dstPort);
        assertEquals(DecodeStatus.OK, decode(LinkType.LINUX_SLL, sll(0x8100, vlan(12, 0x0800, innerIpv4Udp()))));
        assertEquals(12, p.vlanId);
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.LINUX_SLL2, sll2(0x0806, new byte[28])));
        assertEquals(DecodeStatus.TRUNCATED, decode(LinkType.LINUX_SLL, cut(sll(0x0800, innerIpv4Udp()), 15)));
        assertEquals(DecodeStatus.TRUNCATED, decode(LinkType.LINUX_SLL2, cut(sll2(0x0800, innerIpv4Udp()), 19)));
        assertEquals(2, counters.get(Reason.TRUNCATED_L2));
    }

    @Test
    void rawIpLinkTypesGoByTheVersionNibble() {
        byte[] v4 = innerIpv4Udp();
        byte[] v6 = ipv6(SRC6, DST6, 6, tcp(1, 2, 0x02, new byte[0]));
        for (int linkType : new int[] {LinkType.RAW, LinkType.RAW_DLT_12, LinkType.RAW_DLT_14}) {
            assertEquals(DecodeStatus.OK, decode(linkType, v4), "link type " + linkType);
            assertInnerUdp();
            assertEquals(DecodeStatus.OK, decode(linkType, v6), "link type " + linkType);
            assertEquals(6, p.ipVersion);
            assertEquals(DecodeStatus.NOT_IP, decode(linkType, bytes(0x50, 0, 0, 0)), "link type " + linkType);
        }
        assertEquals(DecodeStatus.OK, decode(LinkType.IPV4, v4));
        assertInnerUdp();
        assertEquals(DecodeStatus.OK, decode(LinkType.IPV6, v6));
        assertEquals(2, p.dstPort);
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.IPV6, v4), "DLT_IPV6 holds IPv6 only");
        assertEquals(DecodeStatus.MALFORMED, decode(LinkType.IPV4, v6), "DLT_IPV4 holds IPv4 only");
        assertEquals(DecodeStatus.TRUNCATED, decode(LinkType.RAW, new byte[0]));
    }

    @Test
    void bsdLoopbackInEitherByteOrder() {
        byte[] v4 = innerIpv4Udp();
        byte[] v6 = ipv6(SRC6, DST6, 6, tcp(1, 2, 0x02, new byte[0]));
        assertEquals(DecodeStatus.OK, decode(LinkType.NULL, concat(bytes(2, 0, 0, 0), v4))); // little-endian host
        assertInnerUdp();
        assertEquals(DecodeStatus.OK, decode(LinkType.NULL, concat(u32(2), v4))); // big-endian host
        assertInnerUdp();
        for (int af6 : new int[] {24, 28, 30}) { // NetBSD and OpenBSD, FreeBSD, macOS
            assertEquals(DecodeStatus.OK, decode(LinkType.NULL, concat(bytes(af6, 0, 0, 0), v6)), "AF " + af6);
            assertEquals(6, p.ipVersion);
            assertEquals(DecodeStatus.OK, decode(LinkType.NULL, concat(u32(af6), v6)), "AF " + af6);
            assertEquals(6, p.ipVersion);
        }
        assertEquals(DecodeStatus.OK, decode(LinkType.LOOP, concat(u32(2), v4)));
        assertInnerUdp();
        assertEquals(DecodeStatus.OK, decode(LinkType.LOOP, concat(u32(24), v6)));
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.LOOP, concat(bytes(2, 0, 0, 0), v4)), "LOOP is network order only");
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.NULL, concat(u32(7), v4)));
        assertEquals(DecodeStatus.TRUNCATED, decode(LinkType.NULL, bytes(2, 0, 0)));
    }

    @Test
    void unsupportedLinkTypesAreCounted() {
        assertEquals(DecodeStatus.UNSUPPORTED, decode(127, innerIpv4Udp())); // radiotap
        assertEquals(DecodeStatus.UNSUPPORTED, decode(-1, innerIpv4Udp()));
        assertEquals(2, counters.get(Reason.UNSUPPORTED_LINK_TYPE));
    }

    @Test
    void theReusedPacketIsResetByEveryCall() {
        assertEquals(DecodeStatus.OK, decode(LinkType.ETHERNET, ethernet(0x8100, vlan(5, 0x0800, v4Tcp("data")))));
        assertEquals(DecodeStatus.NOT_IP, decode(LinkType.ETHERNET, ethernet(0x0806, new byte[28])));
        assertEquals(0, p.ipVersion);
        assertEquals(0, p.srcLo);
        assertEquals(0, p.dstPort);
        assertEquals(0, p.tcpFlags);
        assertEquals(-1, p.vlanId);
        assertEquals(0, p.encapsulations);
        assertEquals(0, p.payloadLength);
    }
}
