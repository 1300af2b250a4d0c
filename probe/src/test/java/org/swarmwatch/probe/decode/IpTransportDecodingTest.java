package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.swarmwatch.probe.decode.Frames.DST4;
import static org.swarmwatch.probe.decode.Frames.DST6;
import static org.swarmwatch.probe.decode.Frames.SRC4;
import static org.swarmwatch.probe.decode.Frames.SRC6;
import static org.swarmwatch.probe.decode.Frames.ah;
import static org.swarmwatch.probe.decode.Frames.bytes;
import static org.swarmwatch.probe.decode.Frames.concat;
import static org.swarmwatch.probe.decode.Frames.ethernet;
import static org.swarmwatch.probe.decode.Frames.ext8;
import static org.swarmwatch.probe.decode.Frames.fragmentHeader;
import static org.swarmwatch.probe.decode.Frames.ipv4;
import static org.swarmwatch.probe.decode.Frames.ipv6;
import static org.swarmwatch.probe.decode.Frames.overIpv4;
import static org.swarmwatch.probe.decode.Frames.payload;
import static org.swarmwatch.probe.decode.Frames.tcp;
import static org.swarmwatch.probe.decode.Frames.tcpWithOptions;
import static org.swarmwatch.probe.decode.Frames.u16;
import static org.swarmwatch.probe.decode.Frames.u32;
import static org.swarmwatch.probe.decode.Frames.udp;

import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;

/** IPv4, IPv6 and its extension headers, TCP, UDP and other protocols; bad lengths and cut frames. */
class IpTransportDecodingTest extends EthernetDecoderFixture {
    static byte[] v6(int next, byte[] payload) {
        return ethernet(0x86DD, ipv6(SRC6, DST6, next, payload));
    }

    String payloadText() {
        return new String(p.payload, p.payloadOffset, p.payloadLength);
    }

    // ------------------------------------------------------------------ IPv4

    @Test
    void ipv4OptionsAreSkipped() {
        byte[] ip = concat(bytes(0x46, 0), u16(24 + 12), u16(1), u16(0), bytes(64, 17, 0, 0), u32(SRC4), u32(DST4),
                bytes(1, 1, 1, 0), udp(7, 9, payload("opts")));
        assertEquals(DecodeStatus.OK, decode(ethernet(0x0800, ip)));
        assertEquals(9, p.dstPort);
        assertEquals("opts", payloadText());
        assertEquals(36, p.ipLength);
    }

    @Test
    void absurdIpv4HeaderAndTotalLengths() {
        byte[] ok = ipv4(SRC4, DST4, 6, tcp(1, 2, 0x02, new byte[0]));
        byte[] shortTotal = ok.clone();
        shortTotal[2] = 0;
        shortTotal[3] = 12; // total length below the header length
        assertEquals(DecodeStatus.MALFORMED, decode(ethernet(0x0800, shortTotal)));
        byte[] zeroTotal = ok.clone();
        zeroTotal[2] = 0;
        zeroTotal[3] = 0;
        assertEquals(DecodeStatus.MALFORMED, decode(ethernet(0x0800, zeroTotal)));
        byte[] smallIhl = ok.clone();
        smallIhl[0] = 0x44;
        assertEquals(DecodeStatus.MALFORMED, decode(ethernet(0x0800, smallIhl)));
        byte[] hugeIhl = ok.clone();
        hugeIhl[0] = 0x4f; // a 60-byte header in a datagram whose total length says 40
        assertEquals(DecodeStatus.MALFORMED, decode(ethernet(0x0800, hugeIhl)));
        byte[] notV4 = ok.clone();
        notV4[0] = 0x65;
        assertEquals(DecodeStatus.MALFORMED, decode(ethernet(0x0800, notV4)));
        // 1500 bytes claimed in a frame that was not cut: the header contradicts the frame
        assertEquals(DecodeStatus.MALFORMED, decode(ethernet(0x0800, ipv4(SRC4, DST4, 6, 1, 0, tcp(1, 2, 0x18,
                payload("abc")), 1500))));
        assertEquals(6, counters.get(Reason.MALFORMED_IPV4));
        assertEquals(0, p.ipVersion);
    }

    @Test
    void ipv4TotalLengthBeyondTheCapturedBytesIsACutPayload() {
        byte[] whole = overIpv4(6, tcp(1, 2, 0x18, new byte[1000]));
        assertEquals(DecodeStatus.OK, decodeCut(whole, 14 + 20 + 20 + 3));
        assertEquals(3, p.payloadLength);
        assertEquals(1000, p.payloadWireLength);
        assertEquals(1040, p.ipLength);
        // but not beyond what the frame had on the wire
        byte[] lying = ethernet(0x0800, ipv4(SRC4, DST4, 6, 1, 0, tcp(1, 2, 0x18, new byte[100]), 1500));
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, lying, 0, 100, 200, 0, p));
    }

    @Test
    void ipv4HeaderCut() {
        byte[] frame = overIpv4(17, udp(1, 2, new byte[10]));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 19));
        byte[] withOptions = ethernet(0x0800, concat(bytes(0x48, 0), u16(32 + 8), u16(1), u16(0), bytes(64, 17, 0, 0),
                u32(SRC4), u32(DST4), new byte[12], udp(1, 2, new byte[0])));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(withOptions, 14 + 25), "cut inside the options");
        assertEquals(2, counters.get(Reason.TRUNCATED_IP));
    }

    // ------------------------------------------------------------------ IPv6

    @Test
    void ipv6ExtensionHeadersAreFollowed() {
        // hop-by-hop -> routing -> AH -> destination options -> TCP (each header names the next)
        byte[] chain = concat(ext8(43), ext8(51), ah(60), ext8(6), tcp(1, 443, 0x02, payload("x")));
        assertEquals(DecodeStatus.OK, decode(v6(0, chain)));
        assertEquals(6, p.ipVersion);
        assertEquals(6, p.protocol);
        assertEquals(443, p.dstPort);
        assertEquals("x", payloadText());
        assertEquals(40 + chain.length, p.ipLength);
    }

    @Test
    void espAndNoNextHeaderEndTheChain() {
        byte[] esp = concat(u32(0x1000), u32(1), new byte[16]);
        assertEquals(DecodeStatus.OK, decode(v6(60, concat(ext8(50), esp))));
        assertEquals(50, p.protocol);
        assertEquals(0, p.srcPort);
        assertEquals(0, p.dstPort);
        assertEquals(esp.length, p.payloadLength);
        assertEquals(DecodeStatus.OK, decode(v6(59, new byte[0])));
        assertEquals(59, p.protocol);
        assertEquals(0, p.payloadLength);
    }

    @Test
    void atomicFragmentIsAnOrdinaryPacket() {
        assertEquals(DecodeStatus.OK, decode(v6(44, concat(fragmentHeader(17, 0, false, 77), udp(5, 6, payload("a"))))));
        assertEquals(6, p.dstPort);
        assertFalse(p.reassembled);
        assertEquals(0, decoder.fragmentsInProgress());
    }

    @Test
    void tooManyIpv6ExtensionHeaders() {
        byte[] chain = concat(ext8(6), tcp(1, 2, 0x02, new byte[0]));
        for (int i = 0; i < 7; i++) {
            chain = concat(ext8(60), chain);
        }
        assertEquals(DecodeStatus.OK, decode(v6(60, chain)), "eight are allowed");
        assertEquals(DecodeStatus.MALFORMED, decode(v6(60, concat(ext8(60), chain))));
        assertEquals(1, counters.get(Reason.TOO_MANY_EXTENSION_HEADERS));
    }

    @Test
    void ipv6PayloadLengthBeyondTheFrame() {
        byte[] frame = v6(17, udp(1, 2, new byte[200]));
        assertEquals(DecodeStatus.OK, decodeCut(frame, frame.length - 150), "cut by the snapshot length");
        assertEquals(50, p.payloadLength);
        assertEquals(200, p.payloadWireLength);
        assertEquals(248, p.ipLength);
        byte[] lying = frame.clone();
        lying[14 + 4] = 0x10; // payload length 4096 + 208 in a frame that was not cut
        assertEquals(DecodeStatus.MALFORMED, decode(lying));
        assertEquals(1, counters.get(Reason.MALFORMED_IPV6));
    }

    @Test
    void ipv6ExtensionHeaderLongerThanThePayloadOrCut() {
        byte[] longExt = bytes(6, 5, 0, 0, 0, 0, 0, 0); // says 48 bytes
        assertEquals(DecodeStatus.MALFORMED, decode(v6(0, concat(longExt, new byte[8]))));
        assertEquals(1, counters.get(Reason.MALFORMED_IPV6));
        byte[] frame = v6(0, concat(ext8(60), ext8(6), tcp(1, 2, 0x02, new byte[0])));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 40 + 12));
        assertEquals(1, counters.get(Reason.TRUNCATED_IP));
    }

    @Test
    void ipv6HeaderCutOrNotIpv6() {
        byte[] frame = v6(17, udp(1, 2, new byte[0]));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 39));
        byte[] v4InV6 = frame.clone();
        v4InV6[14] = 0x45;
        assertEquals(DecodeStatus.MALFORMED, decode(v4InV6));
    }

    // ------------------------------------------------------------------ TCP

    @Test
    void tcpOptionsAreNotPayload() {
        assertEquals(DecodeStatus.OK, decode(overIpv4(6, tcpWithOptions(80, 40000, 3, payload("GET /")))));
        assertEquals(80, p.srcPort);
        assertEquals(40000, p.dstPort);
        assertEquals(0x10, p.tcpFlags);
        assertEquals("GET /", payloadText());
    }

    @Test
    void tcpDataOffsetBelowFiveOrBeyondTheSegment() {
        byte[] seg = tcp(1, 2, 0x02, new byte[0]);
        seg[12] = 0x40; // 16 bytes: below the minimum
        assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(6, seg)));
        seg[12] = (byte) 0xf0; // 60 bytes in a 20-byte segment
        assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(6, seg)));
        assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(6, new byte[12])), "an IP payload too short for TCP");
        assertEquals(3, counters.get(Reason.MALFORMED_TCP));
    }

    @Test
    void tcpHeaderOrOptionsCut() {
        byte[] frame = overIpv4(6, tcpWithOptions(1, 2, 3, payload("data")));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 20 + 19));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 20 + 25), "options cut");
        assertEquals(DecodeStatus.OK, decodeCut(frame, 14 + 20 + 32), "only the payload cut");
        assertEquals(0, p.payloadLength);
        assertEquals(4, p.payloadWireLength);
        assertEquals(2, counters.get(Reason.TRUNCATED_L4));
    }

    // ------------------------------------------------------------------ UDP

    @Test
    void udpPayloadFollowsTheUdpLength() {
        byte[] d = udp(6881, 6881, payload("d1:ad2:id20:"));
        assertEquals(DecodeStatus.OK, decode(overIpv4(17, d)));
        assertEquals("d1:ad2:id20:", payloadText());
        byte[] shorter = d.clone();
        shorter[5] = 8 + 4; // the UDP length covers less than the IP payload
        assertEquals(DecodeStatus.OK, decode(overIpv4(17, shorter)));
        assertEquals("d1:a", payloadText());
        assertEquals(4, p.payloadWireLength);
    }

    @Test
    void udpLengthBelowEightOrBeyondTheIpPayload() {
        byte[] d = udp(1, 2, payload("x"));
        d[4] = 0;
        d[5] = 4;
        assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(17, d)));
        d[5] = 100; // longer than the IP payload
        assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(17, d)));
        assertEquals(DecodeStatus.MALFORMED, decode(overIpv4(17, new byte[5])), "an IP payload too short for UDP");
        assertEquals(3, counters.get(Reason.MALFORMED_UDP));
    }

    @Test
    void udpCutByTheSnapshotLength() {
        byte[] frame = v6(17, udp(1, 2, new byte[100]));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 40 + 7));
        assertEquals(1, counters.get(Reason.TRUNCATED_L4));
        assertEquals(DecodeStatus.OK, decodeCut(frame, 14 + 40 + 8 + 30));
        assertEquals(30, p.payloadLength);
        assertEquals(100, p.payloadWireLength);
    }

    // ------------------------------------------------------------------ others

    @Test
    void otherProtocolsHaveNoPortsAndThePayloadAfterTheIpHeader() {
        byte[] icmp = concat(bytes(8, 0, 0, 0), u32(0x00010001), payload("ping"));
        assertEquals(DecodeStatus.OK, decode(overIpv4(1, icmp)));
        assertEquals(1, p.protocol);
        assertEquals(0, p.srcPort);
        assertEquals(0, p.dstPort);
        assertEquals(icmp.length, p.payloadLength);
        assertEquals(icmp.length, p.payloadWireLength);
        assertEquals(DecodeStatus.OK, decode(v6(132, new byte[28]))); // SCTP
        assertEquals(132, p.protocol);
        assertEquals(0, p.dstPort);
        assertEquals(2, counters.get(Reason.OK));
    }

    @Test
    void truncatedAtEachLayerIsCountedByLayer() {
        byte[] frame = overIpv4(6, tcp(1, 2, 0x18, payload("payload")));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 10));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 12));
        assertEquals(DecodeStatus.TRUNCATED, decodeCut(frame, 14 + 20 + 10));
        assertEquals(DecodeStatus.OK, decodeCut(frame, 14 + 20 + 20 + 3));
        assertEquals(3, p.payloadLength);
        assertEquals(7, p.payloadWireLength);
        assertEquals(1, counters.get(Reason.TRUNCATED_L2));
        assertEquals(1, counters.get(Reason.TRUNCATED_IP));
        assertEquals(1, counters.get(Reason.TRUNCATED_L4));
        assertEquals(1, counters.get(Reason.OK));
    }
}
