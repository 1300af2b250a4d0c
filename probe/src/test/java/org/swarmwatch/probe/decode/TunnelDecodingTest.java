package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.decode.Frames.DST4;
import static org.swarmwatch.probe.decode.Frames.DST6;
import static org.swarmwatch.probe.decode.Frames.INNER_DST4;
import static org.swarmwatch.probe.decode.Frames.INNER_SRC4;
import static org.swarmwatch.probe.decode.Frames.SRC4;
import static org.swarmwatch.probe.decode.Frames.SRC6;
import static org.swarmwatch.probe.decode.Frames.bytes;
import static org.swarmwatch.probe.decode.Frames.concat;
import static org.swarmwatch.probe.decode.Frames.erspan2;
import static org.swarmwatch.probe.decode.Frames.erspan3;
import static org.swarmwatch.probe.decode.Frames.ethernet;
import static org.swarmwatch.probe.decode.Frames.gre;
import static org.swarmwatch.probe.decode.Frames.gtpU;
import static org.swarmwatch.probe.decode.Frames.gtpUWithExtensions;
import static org.swarmwatch.probe.decode.Frames.innerIpv4Udp;
import static org.swarmwatch.probe.decode.Frames.ipv4;
import static org.swarmwatch.probe.decode.Frames.ipv6;
import static org.swarmwatch.probe.decode.Frames.overIpv4;
import static org.swarmwatch.probe.decode.Frames.mplsLabel;
import static org.swarmwatch.probe.decode.Frames.payload;
import static org.swarmwatch.probe.decode.Frames.pduSessionContainer;
import static org.swarmwatch.probe.decode.Frames.tcp;
import static org.swarmwatch.probe.decode.Frames.u16;
import static org.swarmwatch.probe.decode.Frames.u32;
import static org.swarmwatch.probe.decode.Frames.udp;
import static org.swarmwatch.probe.decode.Frames.vlan;
import static org.swarmwatch.probe.decode.Frames.vxlan;

import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;

/**
 * Tunnels: GRE (and ERSPAN I, II, III), VXLAN, GTP-U, IP-in-IP. The innermost IP packet is what
 * the decoded packet describes; a UDP tunnel header that fails its checks leaves ordinary UDP.
 */
class TunnelDecodingTest extends EthernetDecoderFixture {
    static byte[] overUdp(int sport, int dport, byte[] payload) {
        return overIpv4(17, udp(sport, dport, payload));
    }

    /** Offset of the outer UDP payload in {@link #overUdp} frames. */
    static final int UDP_PAYLOAD = 14 + 20 + 8;

    void assertInnerUdp() {
        assertEquals(4, p.ipVersion);
        assertEquals(INNER_SRC4, p.srcLo);
        assertEquals(INNER_DST4, p.dstLo);
        assertEquals(17, p.protocol);
        assertEquals(1000, p.srcPort);
        assertEquals(53, p.dstPort);
        assertEquals("inner", new String(p.payload, p.payloadOffset, p.payloadLength));
        assertEquals(5, p.payloadWireLength);
    }

    void assertOuterUdp(int dport) {
        assertEquals(4, p.ipVersion);
        assertEquals(SRC4 & 0xffffffffL, p.srcLo);
        assertEquals(17, p.protocol);
        assertEquals(dport, p.dstPort);
        assertEquals(0, p.encapsulations);
    }

    // ------------------------------------------------------------------ GRE

    @Test
    void greCarriesIpv4AndIpv6() {
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0, 0x0800, new byte[0], innerIpv4Udp()))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.GRE));
        byte[] v6 = ipv6(SRC6, DST6, 6, tcp(1, 2, 0x02, new byte[0]));
        assertEquals(DecodeStatus.OK, decode(ethernet(0x86DD, ipv6(DST6, SRC6, 47, gre(0, 0x86DD, new byte[0], v6)))));
        assertEquals(6, p.ipVersion);
        assertEquals(1, p.srcLo);
        assertEquals(2, p.dstPort);
    }

    @Test
    void greOptionalChecksumKeyAndSequence() {
        byte[] options = concat(u32(0xffff0000), u32(42), u32(7)); // C, K and S: 12 bytes
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0xB000, 0x0800, options, innerIpv4Udp()))));
        assertInnerUdp();
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0x2000, 0x6558, u32(0x00123400), // NVGRE: K with the VSID
                ethernet(0x0800, innerIpv4Udp())))));
        assertInnerUdp();
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0x0100, 0x0800, new byte[0], innerIpv4Udp()))),
                "RFC 2784 bits 6 to 12 are ignored on receipt");
    }

    @Test
    void greCarriesMpls() {
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0, 0x8847, new byte[0], concat(mplsLabel(100, true),
                innerIpv4Udp())))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.GRE));
        assertTrue(p.crossed(Encapsulation.MPLS));
    }

    @Test
    void erspanTypesOneTwoAndThree() {
        byte[] mirrored = ethernet(0x8100, vlan(55, 0x0800, innerIpv4Udp()));
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0, 0x88BE, new byte[0], mirrored))), "type I");
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.ERSPAN));
        assertEquals(55, p.vlanId);
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0x1000, 0x88BE, u32(1), erspan2(mirrored)))), "type II");
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.GRE));
        assertTrue(p.crossed(Encapsulation.ERSPAN));
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0x1000, 0x22EB, u32(1), erspan3(false, mirrored)))), "type III");
        assertInnerUdp();
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0x1000, 0x22EB, u32(1), erspan3(true, mirrored)))),
                "type III with the platform-specific subheader");
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.ERSPAN));
    }

    @Test
    void erspanHeaderWithTheWrongVersionOrCut() {
        byte[] type2 = erspan2(ethernet(0x0800, innerIpv4Udp()));
        type2[0] = 0x20;
        assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(47, gre(0x1000, 0x88BE, u32(1), type2))));
        assertEquals(1, counters.get(Reason.MALFORMED_TUNNEL));
        byte[] frame = overIpv4(47, gre(0x1000, 0x22EB, u32(1), erspan3(true, ethernet(0x0800, innerIpv4Udp()))));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 20 + 8 + 15), "inside the type III subheader");
        assertEquals(1, counters.get(Reason.TRUNCATED_TUNNEL));
    }

    @Test
    void greWithUnknownVersionOrReservedBitsIsMalformed() {
        for (int version = 2; version < 8; version++) {
            assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(47, gre(version, 0x0800, new byte[0], innerIpv4Udp()))));
        }
        for (int bit : new int[] {0x4000, 0x0800, 0x0400}) { // routing present, strict source route, recursion
            assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(47, gre(bit, 0x0800, new byte[4], innerIpv4Udp()))));
        }
        assertEquals(9, counters.get(Reason.MALFORMED_TUNNEL));
    }

    @Test
    void greHeaderLongerThanThePacketOrCut() {
        assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(47, gre(0xB000, 0x0800, new byte[4], new byte[0]))));
        assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(47, bytes(0, 0))));
        assertEquals(2, counters.get(Reason.MALFORMED_TUNNEL));
        byte[] frame = overIpv4(47, gre(0x2000, 0x0800, u32(9), innerIpv4Udp()));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 20 + 2));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 20 + 6), "inside the key");
        assertEquals(2, counters.get(Reason.TRUNCATED_TUNNEL));
    }

    @Test
    void enhancedGreAndUnknownPayloadsStayGreFlows() {
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0x3081, 0x880B, concat(u32(0x00080001), u32(1)),
                new byte[8])))); // PPTP: K, S, A, version 1
        assertEquals(47, p.protocol);
        assertEquals(SRC4 & 0xffffffffL, p.srcLo);
        assertEquals(20, p.payloadLength, "from the GRE header on");
        assertFalse(p.crossed(Encapsulation.GRE));
        assertEquals(DecodeStatus.OK, decode(overIpv4(47, gre(0, 0x883E, new byte[0], new byte[20])))); // WCCP
        assertEquals(47, p.protocol);
        assertEquals(0, p.encapsulations);
    }

    // ------------------------------------------------------------------ VXLAN

    @Test
    void vxlanOnBothPorts() {
        for (int port : new int[] {4789, 8472}) {
            assertEquals(DecodeStatus.OK, decode(overUdp(54321, port, vxlan(ethernet(0x0800, innerIpv4Udp())))));
            assertInnerUdp();
            assertTrue(p.crossed(Encapsulation.VXLAN));
        }
        assertEquals(DecodeStatus.OK, decode(overUdp(54321, 4789, vxlan(ethernet(0x8100, vlan(77, 0x0800, innerIpv4Udp()))))));
        assertInnerUdp();
        assertEquals(77, p.vlanId, "the first VLAN seen, here the inner frame's");
    }

    @Test
    void vxlanWithoutTheIFlagIsOrdinaryUdp() {
        byte[] noI = vxlan(ethernet(0x0800, innerIpv4Udp()));
        noI[0] = 0;
        assertEquals(DecodeStatus.OK, decode(overUdp(54321, 4789, noI)));
        assertOuterUdp(4789);
        assertEquals(noI.length, p.payloadLength);
        assertEquals(DecodeStatus.OK, decode(overUdp(54321, 4789, bytes(8, 0, 0, 0, 0))), "too short to be VXLAN");
        assertOuterUdp(4789);
        assertEquals(DecodeStatus.OK, decode(overUdp(4789, 5000, vxlan(ethernet(0x0800, innerIpv4Udp())))),
                "the destination port says VXLAN, not the source");
        assertOuterUdp(5000);
    }

    @Test
    void vxlanCutOrCarryingSomethingElse() {
        byte[] frame = overUdp(54321, 4789, vxlan(ethernet(0x0800, innerIpv4Udp())));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, UDP_PAYLOAD + 4));
        assertEquals(1, counters.get(Reason.TRUNCATED_TUNNEL));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, UDP_PAYLOAD + 8 + 10));
        assertEquals(1, counters.get(Reason.TRUNCATED_L2));
        assertEquals(DecodeStatus.NOT_IP, decode(overUdp(54321, 4789, vxlan(ethernet(0x0806, new byte[28])))));
    }

    @Test
    void innerLengthsMayNotRunPastTheTunnel() {
        byte[] inner = innerIpv4Udp();
        inner[3] += 40; // the inner IPv4 total length reaches past the UDP datagram
        assertEquals(DecodeStatus.MALFORMED, decode(overUdp(54321, 4789, vxlan(ethernet(0x0800, inner)))));
        assertEquals(1, counters.get(Reason.MALFORMED_IPV4));
    }

    // ------------------------------------------------------------------ GTP-U

    @Test
    void gtpUGpdu() {
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, gtpU(innerIpv4Udp()))));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.GTP_U));
        assertEquals(DecodeStatus.OK, decode(overUdp(40000, 2152, gtpU(ipv6(SRC6, DST6, 17, udp(1, 2, new byte[3]))))));
        assertEquals(6, p.ipVersion);
        assertEquals(2, p.dstPort);
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 40000, gtpU(innerIpv4Udp()))), "either port");
        assertInnerUdp();
    }

    @Test
    void gtpUOptionalFieldsAndExtensionHeaders() {
        byte[] withSequence = concat(bytes(0x32, 0xFF), u16(4 + 33), u32(7), u16(99), bytes(0, 0), innerIpv4Udp());
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, withSequence)));
        assertInnerUdp();
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, gtpUWithExtensions(0x85, pduSessionContainer(),
                innerIpv4Udp()))));
        assertInnerUdp();
        byte[] two = concat(bytes(1, 0, 0, 0x85), pduSessionContainer()); // a UDP port extension, then the container
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, gtpUWithExtensions(0x40, two, innerIpv4Udp()))));
        assertInnerUdp();
    }

    @Test
    void gtpOtherThanAGpduIsOrdinaryUdp() {
        byte[] echo = concat(bytes(0x32, 1), u16(4), u32(0), u16(1), bytes(0, 0));
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, echo)));
        assertOuterUdp(2152);
        byte[] gtpPrime = gtpU(innerIpv4Udp());
        gtpPrime[0] = 0x20; // PT 0
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, gtpPrime)));
        assertOuterUdp(2152);
        byte[] v2 = gtpU(innerIpv4Udp());
        v2[0] = 0x50;
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, v2)));
        assertOuterUdp(2152);
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, gtpU(ethernet(0x0800, innerIpv4Udp())))), "not IP inside");
        assertOuterUdp(2152);
        assertEquals(4, counters.get(Reason.OK));
    }

    @Test
    void gtpHeadersThatContradictTheDatagramAreOrdinaryUdp() {
        byte[] tooLong = gtpU(innerIpv4Udp());
        tooLong[3] += 1; // the GTP length reaches past the UDP datagram
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, tooLong)));
        assertOuterUdp(2152);
        byte[] zeroExtension = gtpUWithExtensions(0x85, bytes(0, 0x10, 0x09, 0), innerIpv4Udp());
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, zeroExtension)));
        assertOuterUdp(2152);
        byte[] longExtension = gtpUWithExtensions(0x85, bytes(200, 0x10, 0x09, 0), innerIpv4Udp());
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, longExtension)));
        assertOuterUdp(2152);
    }

    @Test
    void gtpExtensionChainIsBounded() {
        byte[] eight = new byte[0];
        for (int i = 0; i < 8; i++) {
            eight = concat(eight, bytes(1, 0, 0, i < 7 ? 0x85 : 0));
        }
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, gtpUWithExtensions(0x85, eight, innerIpv4Udp()))));
        assertInnerUdp();
        byte[] nine = concat(bytes(1, 0, 0, 0x85), eight);
        assertEquals(DecodeStatus.OK, decode(overUdp(2152, 2152, gtpUWithExtensions(0x85, nine, innerIpv4Udp()))));
        assertOuterUdp(2152);
    }

    @Test
    void gtpCutByTheSnapshotLength() {
        byte[] frame = overUdp(2152, 2152, gtpUWithExtensions(0x85, pduSessionContainer(), innerIpv4Udp()));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, UDP_PAYLOAD + 5));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, UDP_PAYLOAD + 10));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, UDP_PAYLOAD + 14), "inside the extension header");
        assertEquals(3, counters.get(Reason.TRUNCATED_TUNNEL));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, UDP_PAYLOAD + 16 + 10), "inside the inner IP header");
        assertEquals(1, counters.get(Reason.TRUNCATED_IP));
    }

    // ------------------------------------------------------------------ IP in IP, nesting

    @Test
    void ipInIp() {
        assertEquals(DecodeStatus.OK, decode(overIpv4(4, innerIpv4Udp())));
        assertInnerUdp();
        assertTrue(p.crossed(Encapsulation.IP_IN_IP));
        assertEquals(DecodeStatus.OK, decode(ethernet(0x86DD, ipv6(SRC6, DST6, 4, innerIpv4Udp()))));
        assertInnerUdp();
        byte[] v6 = ipv6(SRC6, DST6, 17, udp(1000, 53, payload("inner")));
        assertEquals(DecodeStatus.OK, decode(overIpv4(41, v6))); // 6in4
        assertEquals(6, p.ipVersion);
        assertEquals(53, p.dstPort);
        assertEquals(DecodeStatus.OK, decode(ethernet(0x86DD, ipv6(DST6, SRC6, 41, v6))));
        assertEquals(6, p.ipVersion);
        assertEquals(1, p.srcLo);
    }

    static byte[] greNested(int layers) {
        byte[] packet = innerIpv4Udp();
        for (int i = 0; i < layers; i++) {
            packet = ipv4(SRC4, DST4, 47, gre(0, 0x0800, new byte[0], packet));
        }
        return ethernet(0x0800, packet);
    }

    @Test
    void tunnelNestingIsBounded() {
        assertEquals(DecodeStatus.OK, decode(greNested(8)));
        assertInnerUdp();
        assertEquals(DecodeStatus.MALFORMED, decode(greNested(9)));
        assertEquals(1, counters.get(Reason.TOO_MANY_ENCAPSULATIONS));
        byte[] ipInIp = innerIpv4Udp();
        for (int i = 0; i < 40; i++) {
            ipInIp = ipv4(SRC4, DST4, 4, ipInIp);
        }
        assertEquals(DecodeStatus.MALFORMED, decode(ethernet(0x0800, ipInIp)));
        assertEquals(2, counters.get(Reason.TOO_MANY_ENCAPSULATIONS));
    }

    @Test
    void everyLayerCrossedIsRecorded() {
        byte[] gtp = overUdp(2152, 2152, gtpU(innerIpv4Udp()));
        byte[] vxlanInGre = ipv4(SRC4, DST4, 47, gre(0, 0x6558, new byte[0], ethernet(0x0800, ipv4(SRC4, DST4, 17,
                udp(1, 4789, vxlan(concat(bytes(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2), u16(0x8100), vlan(3, 0x0800,
                        ipv4(SRC4, DST4, 4, ipv4(SRC4, DST4, 17, udp(1, 2152, gtpU(innerIpv4Udp()))))))))))));
        byte[] frame = ethernet(0x8100, vlan(10, 0x8847, concat(mplsLabel(5, true), vxlanInGre)));
        assertEquals(DecodeStatus.OK, decode(frame));
        assertInnerUdp();
        assertEquals(10, p.vlanId);
        for (Encapsulation e : new Encapsulation[] {Encapsulation.VLAN, Encapsulation.QINQ, Encapsulation.MPLS,
            Encapsulation.GRE, Encapsulation.VXLAN, Encapsulation.IP_IN_IP, Encapsulation.GTP_U}) {
            assertTrue(p.crossed(e), e.name());
        }
        assertFalse(p.crossed(Encapsulation.PPPOE));
        assertEquals(DecodeStatus.OK, decode(gtp));
        assertEquals(1 << Encapsulation.GTP_U.ordinal(), p.encapsulations);
    }
}
