package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.swarmwatch.probe.decode.Frames.DST4;
import static org.swarmwatch.probe.decode.Frames.DST6;
import static org.swarmwatch.probe.decode.Frames.SRC4;
import static org.swarmwatch.probe.decode.Frames.SRC6;
import static org.swarmwatch.probe.decode.Frames.ah;
import static org.swarmwatch.probe.decode.Frames.bytes;
import static org.swarmwatch.probe.decode.Frames.concat;
import static org.swarmwatch.probe.decode.Frames.erspan2;
import static org.swarmwatch.probe.decode.Frames.erspan3;
import static org.swarmwatch.probe.decode.Frames.ethernet;
import static org.swarmwatch.probe.decode.Frames.ext8;
import static org.swarmwatch.probe.decode.Frames.fragmentHeader;
import static org.swarmwatch.probe.decode.Frames.gre;
import static org.swarmwatch.probe.decode.Frames.gtpUWithExtensions;
import static org.swarmwatch.probe.decode.Frames.ieee8023;
import static org.swarmwatch.probe.decode.Frames.innerIpv4Udp;
import static org.swarmwatch.probe.decode.Frames.ipv4;
import static org.swarmwatch.probe.decode.Frames.ipv4Fragment;
import static org.swarmwatch.probe.decode.Frames.ipv6;
import static org.swarmwatch.probe.decode.Frames.mplsLabel;
import static org.swarmwatch.probe.decode.Frames.pduSessionContainer;
import static org.swarmwatch.probe.decode.Frames.pppoe;
import static org.swarmwatch.probe.decode.Frames.snap;
import static org.swarmwatch.probe.decode.Frames.tcp;
import static org.swarmwatch.probe.decode.Frames.tcpWithOptions;
import static org.swarmwatch.probe.decode.Frames.u32;
import static org.swarmwatch.probe.decode.Frames.udp;
import static org.swarmwatch.probe.decode.Frames.vlan;
import static org.swarmwatch.probe.decode.Frames.vxlan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;

/**
 * Untrusted bytes never break the decoder: random frames, and bit-flipped, byte-smashed, cut and
 * length-mangled versions of valid frames of every kind, on every link type, always give a status,
 * are counted exactly once, and leave a decoded packet whose fields are consistent. Fixed seeds, so
 * a failure reproduces; the failing seed, iteration and frame are in the message.
 */
class DecoderRobustnessTest {
    static final int[] LINK_TYPES = {LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.RAW,
        LinkType.RAW_DLT_12, LinkType.RAW_DLT_14, LinkType.IPV4, LinkType.IPV6, LinkType.NULL, LinkType.LOOP, 147};

    /** Valid frames of every kind the decoder knows, each with its link type. */
    static List<Object[]> seeds() {
        byte[] inner = innerIpv4Udp();
        byte[] v6Tcp = ipv6(SRC6, DST6, 0, concat(ext8(60), ext8(51), ah(6), tcpWithOptions(1, 2, 2, new byte[30])));
        List<Object[]> s = new ArrayList<>();
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 6, tcp(1, 2, 0x18, new byte[40])))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x86DD, v6Tcp)});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x88A8, vlan(5, 0x8100, vlan(6, 0x86DD, ipv6(SRC6, DST6, 44,
                concat(fragmentHeader(17, 8, true, 9), new byte[16])))))});
        s.add(new Object[] {LinkType.ETHERNET, ieee8023(snap(0x0800, inner))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x8847, concat(mplsLabel(1, false), mplsLabel(2, true), inner))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x8847, concat(mplsLabel(1, true), u32(0), ethernet(0x0800, inner)))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x8864, pppoe(0x0021, inner))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47, gre(0xB000, 0x6558, new byte[12],
                ethernet(0x0800, inner))))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47, gre(0x1000, 0x88BE, u32(1),
                erspan2(ethernet(0x0800, inner)))))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 47, gre(0x1000, 0x22EB, u32(1),
                erspan3(true, ethernet(0x0800, inner)))))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(1, 4789, vxlan(ethernet(0x0800,
                inner)))))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(2152, 2152,
                gtpUWithExtensions(0x85, pduSessionContainer(), inner))))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x86DD, ipv6(SRC6, DST6, 41, ipv6(SRC6, DST6, 4, inner)))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x0800, ipv4Fragment(7, 17, 0, true, new byte[64]))});
        s.add(new Object[] {LinkType.ETHERNET, ethernet(0x0800, ipv4Fragment(7, 17, 64, false, new byte[20]))});
        s.add(new Object[] {LinkType.LINUX_SLL, Frames.sll(0x0800, inner)});
        s.add(new Object[] {LinkType.LINUX_SLL2, Frames.sll2(0x86DD, v6Tcp)});
        s.add(new Object[] {LinkType.RAW, inner});
        s.add(new Object[] {LinkType.IPV6, v6Tcp});
        s.add(new Object[] {LinkType.NULL, concat(bytes(2, 0, 0, 0), inner)});
        s.add(new Object[] {LinkType.LOOP, concat(u32(30), v6Tcp)});
        return s;
    }

    @Test
    void randomAndMutatedFramesNeverThrow() {
        for (long seed : new long[] {20261123L, 7L, 0xC0FFEEL, 42L}) {
            fuzz(seed, 50_000, DecoderLimits.defaults());
        }
    }

    @Test
    void mutatedFragmentsAgainstTightReassemblyBounds() {
        fuzz(99L, 30_000, new DecoderLimits(4, 3, 16, 70_000, 65535, Duration.ofSeconds(2)));
    }

    /** Runs {@code frames} random or mutated frames and checks every outcome. */
    static void fuzz(long seed, int frames, DecoderLimits limits) {
        DecodeCounters counters = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(limits, counters);
        DecodedPacket p = new DecodedPacket();
        Random r = new Random(seed);
        List<Object[]> seeds = seeds();
        for (int i = 0; i < frames; i++) {
            int linkType;
            byte[] frame;
            int mode = r.nextInt(5);
            if (mode == 0) {
                frame = new byte[r.nextInt(300)];
                r.nextBytes(frame);
                linkType = LINK_TYPES[r.nextInt(LINK_TYPES.length)];
            } else {
                Object[] s = seeds.get(r.nextInt(seeds.size()));
                linkType = r.nextInt(10) == 0 ? LINK_TYPES[r.nextInt(LINK_TYPES.length)] : (int) s[0];
                frame = ((byte[]) s[1]).clone();
                int changes = 1 + r.nextInt(mode == 1 ? 3 : 12);
                for (int k = 0; k < changes && frame.length > 0; k++) {
                    int at = r.nextInt(frame.length);
                    switch (mode) {
                        case 1, 2 -> frame[at] ^= (byte) (1 << r.nextInt(8));
                        case 3 -> frame[at] = (byte) (r.nextBoolean() ? 0xff : 0);
                        default -> frame[at] = (byte) r.nextInt(256);
                    }
                }
            }
            int captured = frame.length == 0 || r.nextInt(4) != 0 ? frame.length : r.nextInt(frame.length + 1);
            int wire = r.nextInt(8) == 0 ? captured + r.nextInt(3000) : frame.length;
            long time = i * 100_000L;
            DecodeStatus status;
            try {
                status = decoder.decode(linkType, frame, 0, captured, wire, time, p);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " frame " + i + " link type " + linkType + " captured " + captured
                        + ": " + hex(frame), e);
            }
            String where = "seed " + seed + " frame " + i;
            if (status == null) {
                fail(where + ": no status");
            }
            checkConsistent(status, p, where);
            assertTrue(decoder.fragmentsInProgress() <= limits.maxFragmentDatagrams(), where);
            assertTrue(decoder.fragmentBytesHeld() >= 0, where);
            assertTrue(decoder.fragmentBytesHeld() <= limits.maxFragmentBytes() + 65536L, where);
        }
        long counted = 0;
        for (Reason reason : Reason.values()) {
            if (reason.status() != null) {
                counted += counters.get(reason);
            }
        }
        assertEquals(frames, counted, "every frame counted once: " + counters.snapshot());
        assertTrue(counters.get(Reason.OK) > frames / 20, "the mutations leave many decodable frames: " + counters.snapshot());
    }

    static void checkConsistent(DecodeStatus status, DecodedPacket p, String where) {
        if (status != DecodeStatus.OK) {
            assertEquals(0, p.ipVersion, where);
            return;
        }
        assertTrue(p.ipVersion == 4 || p.ipVersion == 6, where);
        assertTrue(p.protocol >= 0 && p.protocol <= 255, where);
        assertTrue(p.srcPort >= 0 && p.srcPort <= 65535 && p.dstPort >= 0 && p.dstPort <= 65535, where);
        assertTrue(p.payload != null, where);
        assertTrue(p.payloadOffset >= 0 && p.payloadLength >= 0, where);
        assertTrue(p.payloadOffset + p.payloadLength <= p.payload.length, where);
        assertTrue(p.payloadLength <= p.payloadWireLength, where + ": captured payload within the stated one");
        assertTrue(p.ipLength >= (p.ipVersion == 4 ? 20 : 40) && p.ipLength <= 65535 + 40, where);
    }

    @Test
    void everyCutOfEveryValidFrameIsHandled() {
        DecodeCounters counters = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);
        DecodedPacket p = new DecodedPacket();
        for (Object[] s : seeds()) {
            byte[] frame = (byte[]) s[1];
            for (int captured = 0; captured <= frame.length; captured++) {
                for (int wire : new int[] {frame.length, captured}) {
                    DecodeStatus status = decoder.decode((int) s[0], frame, 0, captured, wire, 0, p);
                    checkConsistent(status, p, "cut at " + captured + " of " + hex(frame));
                    if (wire > captured) {
                        assertTrue(status != DecodeStatus.MALFORMED, "a snapshot-length cut is not malformed: "
                                + captured + " of " + hex(frame));
                    }
                }
            }
        }
    }

    @Test
    void offsetsOutsideTheArrayAreMalformedNotAnException() {
        DecodeCounters counters = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);
        DecodedPacket p = new DecodedPacket();
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, new byte[10], 5, 10, 10, 0, p));
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, new byte[10], -1, 5, 5, 0, p));
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, new byte[10], 0, -1, 5, 0, p));
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, new byte[10], Integer.MAX_VALUE, 1, 5, 0, p));
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, null, 0, 0, 0, 0, p));
        assertEquals(5, counters.get(Reason.MALFORMED_FRAME));
        byte[] frame = ethernet(0x0800, innerIpv4Udp());
        assertEquals(DecodeStatus.OK, decoder.decode(LinkType.ETHERNET, frame, 0, frame.length, Integer.MAX_VALUE, 0, p),
                "an absurd wire length is only an upper bound");
        assertEquals(DecodeStatus.OK, decoder.decode(LinkType.ETHERNET, frame, 0, frame.length, -5, 0, p));
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
