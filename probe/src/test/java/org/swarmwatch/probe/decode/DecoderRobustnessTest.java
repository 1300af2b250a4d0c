package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import static org.swarmwatch.probe.decode.Frames.tcp;
import static org.swarmwatch.probe.decode.Frames.u16;
import static org.swarmwatch.probe.decode.Frames.u32;
import static org.swarmwatch.probe.decode.Frames.udp;
import static org.swarmwatch.probe.decode.Frames.vlan;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Untrusted bytes never break the decoder: random frames and bit-flipped, cut and length-mangled
 * versions of valid frames of every kind, on every link type, always give a status and are
 * counted once, with no exception (fixed seeds, so a failure reproduces).
 */
class DecoderRobustnessTest {
    static final int[] LINK_TYPES = {LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.RAW, LinkType.IPV4,
        LinkType.IPV6, LinkType.NULL, LinkType.LOOP, 147};

    static List<byte[]> seeds() {
        byte[] gtp = concat(new byte[] {0x34, (byte) 0xFF}, u16(40), u32(1), u16(0), new byte[] {0, (byte) 0x85},
                new byte[] {1, 0x10, 0x01, 0}, innerIpv4Udp());
        return List.of(
                ethernet(0x0800, ipv4(SRC4, DST4, 6, tcp(1, 2, 0x18, new byte[40]))),
                ethernet(0x8100, vlan(5, 0x86DD, ipv6(SRC6, DST6, 0, concat(ext8(44), concat(new byte[] {17, 0, 0, 1}, u32(9)),
                        udp(1, 2, new byte[16]))))),
                ethernet(0x0800, ipv4(SRC4, DST4, 47, gre(0x3000, 0x6558, new byte[8], ethernet(0x0800, innerIpv4Udp())))),
                ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(1, 4789, concat(new byte[] {8, 0, 0, 0, 0, 0, 1, 0},
                        ethernet(0x0800, innerIpv4Udp()))))),
                ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(2152, 2152, gtp))),
                ethernet(0x8847, concat(u32(1 << 12 | 0x100), innerIpv4Udp())),
                ethernet(0x0800, ipv4(SRC4, DST4, 17, 7, 0x2000, new byte[64], 84)),
                ethernet(0x8864, concat(new byte[] {0x11, 0}, u16(1), u16(30), u16(0x0021), innerIpv4Udp())));
    }

    @Test
    void randomAndMutatedFramesNeverThrow() {
        DecodeCounters counters = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);
        DecodedPacket p = new DecodedPacket();
        Random r = new Random(20261123);
        List<byte[]> seeds = seeds();
        long frames = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] frame;
            int mode = r.nextInt(4);
            if (mode == 0) {
                frame = new byte[r.nextInt(200)];
                r.nextBytes(frame);
            } else {
                frame = seeds.get(r.nextInt(seeds.size())).clone();
                int flips = 1 + r.nextInt(mode == 1 ? 3 : 12);
                for (int k = 0; k < flips && frame.length > 0; k++) {
                    int at = r.nextInt(frame.length);
                    frame[at] = mode == 3 ? (byte) (r.nextBoolean() ? 0xff : 0) : (byte) (frame[at] ^ (1 << r.nextInt(8)));
                }
            }
            int captured = frame.length == 0 || r.nextInt(4) != 0 ? frame.length : r.nextInt(frame.length);
            int linkType = LINK_TYPES[r.nextInt(LINK_TYPES.length)];
            DecodeStatus s = decoder.decode(linkType, frame, 0, captured, frame.length, i * 1000L, p);
            assertNotNull(s);
            frames++;
        }
        long counted = 0;
        for (DecodeCounters.Reason reason : DecodeCounters.Reason.values()) {
            if (reason.status() != null) {
                counted += counters.get(reason);
            }
        }
        assertEquals(frames, counted, "every frame counted once: " + counters.snapshot());
    }

    @Test
    void offsetsOutsideTheArrayAreMalformedNotAnException() {
        DecodeCounters counters = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);
        DecodedPacket p = new DecodedPacket();
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, new byte[10], 5, 10, 10, 0, p));
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, new byte[10], -1, 5, 5, 0, p));
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, null, 0, 0, 0, 0, p));
    }
}
