package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.decode.Frames.DST4;
import static org.swarmwatch.probe.decode.Frames.DST6;
import static org.swarmwatch.probe.decode.Frames.INNER_DST4;
import static org.swarmwatch.probe.decode.Frames.INNER_SRC4;
import static org.swarmwatch.probe.decode.Frames.SRC4;
import static org.swarmwatch.probe.decode.Frames.SRC6;
import static org.swarmwatch.probe.decode.Frames.concat;
import static org.swarmwatch.probe.decode.Frames.cut;
import static org.swarmwatch.probe.decode.Frames.ethernet;
import static org.swarmwatch.probe.decode.Frames.ext8;
import static org.swarmwatch.probe.decode.Frames.fragmentHeader;
import static org.swarmwatch.probe.decode.Frames.gre;
import static org.swarmwatch.probe.decode.Frames.ipv4;
import static org.swarmwatch.probe.decode.Frames.ipv4Fragment;
import static org.swarmwatch.probe.decode.Frames.ipv6;
import static org.swarmwatch.probe.decode.Frames.payload;
import static org.swarmwatch.probe.decode.Frames.tcp;
import static org.swarmwatch.probe.decode.Frames.udp;
import static org.swarmwatch.probe.decode.Frames.v6;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;

/** IPv4 and IPv6 fragment reassembly: order, duplicates, overlaps, and its bounds in memory and time. */
class FragmentReassemblyTest {
    final DecodeCounters counters = new DecodeCounters();
    final DecodedPacket p = new DecodedPacket();
    PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);

    /** A UDP datagram 5000 -> 6881 with 1000 payload bytes 0, 1, 2, ... (1008 bytes with its header). */
    static byte[] udpDatagram() {
        byte[] payload = new byte[1000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        return udp(5000, 6881, payload);
    }

    /** IPv4 fragments of {@code datagram} in Ethernet frames, {@code size} bytes each (a multiple of 8). */
    static List<byte[]> v4Fragments(int id, int protocol, byte[] datagram, int size) {
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < datagram.length; off += size) {
            byte[] part = Arrays.copyOfRange(datagram, off, Math.min(datagram.length, off + size));
            frames.add(ethernet(0x0800, ipv4Fragment(id, protocol, off, off + size < datagram.length, part)));
        }
        return frames;
    }

    static List<byte[]> v4Fragments(int id, int size) {
        return v4Fragments(id, 17, udpDatagram(), size);
    }

    /** IPv6 fragments, with a destination-options header before the fragment header when {@code withOptions}. */
    static List<byte[]> v6Fragments(byte[] src, int id, byte[] datagram, int size, boolean withOptions) {
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < datagram.length; off += size) {
            byte[] part = Arrays.copyOfRange(datagram, off, Math.min(datagram.length, off + size));
            byte[] fragment = concat(fragmentHeader(17, off, off + size < datagram.length, id), part);
            byte[] packet = withOptions ? ipv6(src, DST6, 60, concat(ext8(44), fragment)) : ipv6(src, DST6, 44, fragment);
            frames.add(ethernet(0x86DD, packet));
        }
        return frames;
    }

    DecodeStatus feed(byte[] frame, long micros) {
        return decoder.decode(LinkType.ETHERNET, frame, 0, frame.length, frame.length, micros, p);
    }

    void assertWholeUdpDatagram() {
        assertTrue(p.reassembled);
        assertEquals(17, p.protocol);
        assertEquals(5000, p.srcPort);
        assertEquals(6881, p.dstPort);
        assertEquals(1000, p.payloadLength);
        assertEquals(1000, p.payloadWireLength);
        for (int i = 0; i < 1000; i++) {
            assertEquals((byte) i, p.payload[p.payloadOffset + i]);
        }
    }

    // ------------------------------------------------------------------ order and duplicates

    @Test
    void inOrder() {
        List<byte[]> f = v4Fragments(1, 400);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(0), 0));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(1), 1));
        assertEquals(1, decoder.fragmentsInProgress());
        assertEquals(DecodeStatus.OK, feed(f.get(2), 2));
        assertWholeUdpDatagram();
        assertEquals(4, p.ipVersion);
        assertEquals(SRC4 & 0xffffffffL, p.srcLo);
        assertEquals(20 + 1008, p.ipLength);
        assertNotSame(f.get(2), p.payload, "the payload is in the reassembly buffer");
        assertEquals(1, counters.get(Reason.FRAGMENTS_REASSEMBLED));
        assertEquals(2, counters.get(Reason.FRAGMENT_HELD));
        assertEquals(1, counters.get(Reason.OK));
        assertEquals(0, decoder.fragmentsInProgress());
        assertEquals(0, decoder.fragmentBytesHeld());
    }

    @Test
    void outOfOrder() {
        List<byte[]> f = v4Fragments(2, 256);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(3), 0), "the last one first");
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(1), 1));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(2), 2));
        assertEquals(DecodeStatus.OK, feed(f.get(0), 3));
        assertWholeUdpDatagram();
    }

    @Test
    void shuffledTinyFragments() {
        List<byte[]> f = v4Fragments(3, 8);
        assertEquals(126, f.size());
        Collections.shuffle(f, new Random(7));
        for (int i = 0; i < f.size() - 1; i++) {
            assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(i), i));
        }
        assertEquals(DecodeStatus.OK, feed(f.get(f.size() - 1), 200));
        assertWholeUdpDatagram();
    }

    @Test
    void theLargestDatagramInEightByteFragments() {
        byte[] datagram = udp(5000, 6881, new byte[65515 - 8]); // 20 + 65515 = 65535
        datagram[datagram.length - 1] = 42;
        List<byte[]> f = v4Fragments(4, 17, datagram, 8);
        assertEquals(8190, f.size());
        for (int i = f.size() - 1; i > 0; i--) { // backwards: every insertion goes to the front
            assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(i), 0));
        }
        assertEquals(DecodeStatus.OK, feed(f.get(0), 0));
        assertEquals(65535, p.ipLength);
        assertEquals(65507, p.payloadLength);
        assertEquals(42, p.payload[p.payloadOffset + p.payloadLength - 1]);
    }

    @Test
    void exactDuplicatesAreIgnored() {
        List<byte[]> f = v4Fragments(5, 400);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(1), 0));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(1), 1));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(2), 2));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(2), 3));
        assertEquals(DecodeStatus.OK, feed(f.get(0), 4));
        assertWholeUdpDatagram();
        assertEquals(0, counters.get(Reason.FRAGMENTS_OVERLAPPING));
    }

    // ------------------------------------------------------------------ overlaps and bad fragments

    @Test
    void overlappingFragmentsDropTheDatagram() {
        List<byte[]> f = v4Fragments(6, 400);
        feed(f.get(0), 0);
        // 400 bytes at offset 392: overlaps the first fragment's last 8 bytes
        assertEquals(DecodeStatus.MALFORMED, feed(ethernet(0x0800, ipv4Fragment(6, 17, 392, true, new byte[400])), 1));
        assertEquals(1, counters.get(Reason.FRAGMENTS_OVERLAPPING));
        assertEquals(1, counters.get(Reason.MALFORMED_FRAGMENT));
        assertEquals(0, decoder.fragmentsInProgress());
        assertEquals(0, decoder.fragmentBytesHeld());
        feed(f.get(1), 2);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(2), 3), "the datagram is gone: it never completes");
    }

    @Test
    void sameOffsetWithOtherBytesIsAnOverlap() {
        List<byte[]> f = v4Fragments(7, 400);
        feed(f.get(1), 0);
        byte[] forged = f.get(1).clone();
        forged[forged.length - 1] ^= 1; // same place, other content: the classic evasion
        assertEquals(DecodeStatus.MALFORMED, feed(forged, 1));
        assertEquals(1, counters.get(Reason.FRAGMENTS_OVERLAPPING));
        feed(f.get(0), 2);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(2), 3));
    }

    @Test
    void lastFragmentsThatDisagreeAboutTheEnd() {
        List<byte[]> f = v4Fragments(8, 400);
        feed(f.get(2), 0); // ends at 1008
        assertEquals(DecodeStatus.MALFORMED, feed(ethernet(0x0800, ipv4Fragment(8, 17, 1200, false, new byte[16])), 1));
        feed(f.get(1), 2); // data up to 800
        assertEquals(DecodeStatus.MALFORMED, feed(ethernet(0x0800, ipv4Fragment(8, 17, 16, false, new byte[16])), 3),
                "an end before data already held");
        feed(f.get(2), 4);
        assertEquals(DecodeStatus.MALFORMED, feed(ethernet(0x0800, ipv4Fragment(8, 17, 1008, true, new byte[16])), 5),
                "data after the end");
        assertEquals(3, counters.get(Reason.FRAGMENTS_OVERLAPPING));
    }

    @Test
    void fragmentSizesAndTheLargestDatagram() {
        assertEquals(DecodeStatus.MALFORMED, feed(ethernet(0x0800, ipv4Fragment(9, 17, 0, true, new byte[100])), 0),
                "a fragment with more to come is a multiple of 8 bytes");
        assertEquals(DecodeStatus.MALFORMED, feed(ethernet(0x0800, ipv4(SRC4, DST4, 17, 9, 0x1fff, new byte[100], 120)), 0),
                "offset 65528 + 100: beyond 65535 (ping of death)");
        assertEquals(2, counters.get(Reason.MALFORMED_FRAGMENT));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(ethernet(0x0800, ipv4Fragment(9, 17, 65512, false, new byte[3])), 0),
                "ends at 65515: the 65535-byte datagram");
        assertEquals(0, counters.get(Reason.FRAGMENTS_OVERLAPPING));
    }

    @Test
    void aCutFragmentIsTruncatedAndNotHeld() {
        byte[] first = v4Fragments(10, 400).get(0);
        assertEquals(DecodeStatus.TRUNCATED, decoder.decode(LinkType.ETHERNET, first, 0, 100, first.length, 0, p));
        assertEquals(1, counters.get(Reason.TRUNCATED_IP));
        assertEquals(0, decoder.fragmentsInProgress());
        assertEquals(DecodeStatus.MALFORMED, decoder.decode(LinkType.ETHERNET, cut(first, 100), 0, 100, 100, 0, p),
                "not cut by a snapshot length: a frame shorter than its IP header says");
        assertEquals(0, decoder.fragmentsInProgress());
    }

    @Test
    void onlyTheFirstFragmentHasPortsAndNoneIsDecodedAlone() {
        List<byte[]> f = v4Fragments(11, 400);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(1), 0));
        assertEquals(0, p.srcPort);
        assertEquals(0, p.dstPort);
        assertEquals(0, p.ipVersion, "only OK describes a packet");
        assertFalse(p.reassembled);
    }

    @Test
    void theIdentityIncludesTheProtocol() {
        byte[] tcpDatagram = tcp(1, 2, 0x18, new byte[800]);
        feed(v4Fragments(12, 6, tcpDatagram, 400).get(0), 0);
        feed(v4Fragments(12, 17, udpDatagram(), 400).get(1), 1);
        feed(v4Fragments(12, 17, udpDatagram(), 400).get(2), 2);
        assertEquals(2, decoder.fragmentsInProgress(), "same id, other protocol: another datagram");
        assertEquals(DecodeStatus.OK, feed(v4Fragments(12, 17, udpDatagram(), 400).get(0), 3));
        assertWholeUdpDatagram();
    }

    @Test
    void fragmentedTcpSegment() {
        byte[] segment = tcp(51413, 6881, 0x18, payload("x".repeat(1000)));
        List<byte[]> f = v4Fragments(13, 6, segment, 512);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(1), 0));
        assertEquals(DecodeStatus.OK, feed(f.get(0), 1));
        assertTrue(p.reassembled);
        assertEquals(6881, p.dstPort);
        assertEquals(1000, p.tcpSeq);
        assertEquals(0x18, p.tcpFlags);
        assertEquals(1000, p.payloadLength);
    }

    // ------------------------------------------------------------------ tunnels

    @Test
    void aFragmentedTunnelIsDecapsulatedAfterReassembly() {
        byte[] inner = ipv4(INNER_SRC4, INNER_DST4, 17, udp(1000, 53, payload("y".repeat(600))));
        List<byte[]> f = v4Fragments(14, 47, gre(0, 0x0800, new byte[0], inner), 256);
        assertEquals(3, f.size());
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(0), 0));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(2), 0));
        assertEquals(DecodeStatus.OK, feed(f.get(1), 0));
        assertTrue(p.reassembled);
        assertTrue(p.crossed(Encapsulation.GRE));
        assertEquals(INNER_SRC4, p.srcLo);
        assertEquals(53, p.dstPort);
        assertEquals(600, p.payloadLength);
    }

    @Test
    void fragmentsInsideATunnelAreKeyedByTheInnerAddresses() {
        byte[] datagram = udpDatagram();
        byte[] first = ipv4(INNER_SRC4, INNER_DST4, 17, 15, 0x2000, Arrays.copyOf(datagram, 504), 524);
        byte[] second = ipv4(INNER_SRC4, INNER_DST4, 17, 15, 504 / 8, Arrays.copyOfRange(datagram, 504, 1008), 524);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(ethernet(0x0800, ipv4(SRC4, DST4, 47, gre(0, 0x0800, new byte[0],
                second))), 0));
        assertEquals(DecodeStatus.OK, feed(ethernet(0x0800, ipv4(0x01020304, DST4, 47, gre(0, 0x0800, new byte[0], first))), 1),
                "another outer source, the same inner datagram");
        assertWholeUdpDatagram();
        assertEquals(INNER_SRC4, p.srcLo);
        assertTrue(p.crossed(Encapsulation.GRE));
    }

    // ------------------------------------------------------------------ IPv6

    @Test
    void ipv6Fragments() {
        List<byte[]> f = v6Fragments(SRC6, 0xcafe, udpDatagram(), 512, false);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(1), 0));
        assertEquals(DecodeStatus.OK, feed(f.get(0), 1));
        assertEquals(6, p.ipVersion);
        assertEquals(1, p.srcLo);
        assertEquals(40 + 1008, p.ipLength, "the fragment header is gone from the reassembled packet");
        assertWholeUdpDatagram();
        assertEquals(0, decoder.fragmentsInProgress());
    }

    @Test
    void ipv6FragmentsAfterAnExtensionHeaderOutOfOrder() {
        List<byte[]> f = v6Fragments(SRC6, 1, udpDatagram(), 256, true);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(2), 0));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(0), 1));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(3), 2));
        assertEquals(DecodeStatus.OK, feed(f.get(1), 3));
        assertEquals(40 + 8 + 1008, p.ipLength);
        assertWholeUdpDatagram();
    }

    @Test
    void ipv6IdentityIncludesTheAddresses() {
        List<byte[]> a = v6Fragments(SRC6, 99, udpDatagram(), 512, false);
        List<byte[]> b = v6Fragments(v6(0x20010db8_00000000L, 77), 99, udpDatagram(), 512, false);
        feed(a.get(0), 0);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(b.get(1), 1));
        assertEquals(2, decoder.fragmentsInProgress());
    }

    @Test
    void ipv6OverlapsAndBadSizes() {
        List<byte[]> f = v6Fragments(SRC6, 5, udpDatagram(), 512, false);
        feed(f.get(0), 0);
        byte[] overlap = ethernet(0x86DD, ipv6(SRC6, DST6, 44, concat(fragmentHeader(17, 504, false, 5), new byte[504])));
        assertEquals(DecodeStatus.MALFORMED, feed(overlap, 1));
        assertEquals(1, counters.get(Reason.FRAGMENTS_OVERLAPPING));
        byte[] odd = ethernet(0x86DD, ipv6(SRC6, DST6, 44, concat(fragmentHeader(17, 0, true, 6), new byte[100])));
        assertEquals(DecodeStatus.MALFORMED, feed(odd, 2));
        assertEquals(2, counters.get(Reason.MALFORMED_FRAGMENT));
        assertEquals(0, decoder.fragmentsInProgress());
    }

    // ------------------------------------------------------------------ time

    @Test
    void incompleteDatagramsExpireByCaptureTimeEvenWithoutFurtherFragments() {
        List<byte[]> f = v4Fragments(20, 400);
        feed(f.get(0), 0);
        feed(f.get(1), 1);
        byte[] ordinary = ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(1, 2, new byte[0])));
        feed(ordinary, 29_000_000);
        assertEquals(1, decoder.fragmentsInProgress(), "29 s: still waiting");
        feed(ordinary, 30_000_001);
        assertEquals(0, decoder.fragmentsInProgress());
        assertEquals(0, decoder.fragmentBytesHeld());
        assertEquals(1, counters.get(Reason.FRAGMENTS_EXPIRED));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f.get(2), 30_000_002), "the rest starts a new datagram");
    }

    @Test
    void expiryIsCheckedAtMostOncePerSecondOfCaptureTime() {
        feed(v4Fragments(21, 400).get(0), 0);
        feed(v4Fragments(22, 400).get(0), 500_000);
        byte[] ordinary = ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(1, 2, new byte[0])));
        feed(ordinary, 30_200_000);
        assertEquals(1, counters.get(Reason.FRAGMENTS_EXPIRED));
        feed(ordinary, 30_600_000); // datagram 22 is 30.1 s old, but the last sweep was 0.4 s ago
        assertEquals(1, decoder.fragmentsInProgress());
        feed(ordinary, 31_300_000);
        assertEquals(0, decoder.fragmentsInProgress());
        assertEquals(2, counters.get(Reason.FRAGMENTS_EXPIRED));
    }

    @Test
    void aConfiguredTimeoutApplies() {
        decoder = new PacketDecoder(new DecoderLimits(8, 8, 4096, 8 << 20, 65535, Duration.ofSeconds(5)), counters);
        feed(v4Fragments(23, 400).get(0), 0);
        feed(ethernet(0x0800, ipv4(SRC4, DST4, 17, udp(1, 2, new byte[0]))), 5_000_000);
        assertEquals(1, counters.get(Reason.FRAGMENTS_EXPIRED));
    }

    // ------------------------------------------------------------------ memory

    @Test
    void theDatagramBoundEvictsTheOldest() {
        decoder = new PacketDecoder(new DecoderLimits(8, 8, 3, 8 << 20, 65535, Duration.ofSeconds(30)), counters);
        for (int id = 30; id < 35; id++) {
            feed(v4Fragments(id, 400).get(0), id);
        }
        assertEquals(3, decoder.fragmentsInProgress());
        assertEquals(2, counters.get(Reason.FRAGMENTS_EVICTED));
        List<byte[]> newest = v4Fragments(34, 400);
        feed(newest.get(1), 40);
        assertEquals(DecodeStatus.OK, feed(newest.get(2), 41), "the newest is still there and completes");
        assertWholeUdpDatagram();
        List<byte[]> oldest = v4Fragments(30, 400);
        feed(oldest.get(1), 42);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(oldest.get(2), 43), "the oldest was evicted");
    }

    @Test
    void theByteBoundEvictsTheOldest() {
        DecoderLimits limits = new DecoderLimits(8, 8, 4096, 65535, 65535, Duration.ofSeconds(30));
        decoder = new PacketDecoder(limits, counters);
        for (int id = 0; id < 50; id++) {
            feed(ethernet(0x0800, ipv4Fragment(id, 17, 0, true, new byte[1480])), id);
            assertTrue(decoder.fragmentBytesHeld() <= limits.maxFragmentBytes(), "held " + decoder.fragmentBytesHeld());
        }
        assertTrue(counters.get(Reason.FRAGMENTS_EVICTED) >= 15, counters.snapshot().toString());
        assertEquals(50 - counters.get(Reason.FRAGMENTS_EVICTED), decoder.fragmentsInProgress());
    }

    @Test
    void theWorkedExampleOfTheDesignNote() {
        for (int id = 0; id < 4040; id++) {
            feed(ethernet(0x0800, ipv4Fragment(id, 17, 0, true, new byte[1480])), id);
            assertEquals(id < 4032 ? 0 : id - 4031, counters.get(Reason.FRAGMENTS_EVICTED), "datagram " + id);
        }
        assertEquals(4032, decoder.fragmentsInProgress());
        assertEquals(4032 * 2080, decoder.fragmentBytesHeld());
    }

    @Test
    void aFragmentFarIntoTheDatagramCostsTheBufferItNeeds() {
        DecoderLimits limits = new DecoderLimits(8, 8, 4096, 256 << 10, 65535, Duration.ofSeconds(30));
        decoder = new PacketDecoder(limits, counters);
        for (int id = 0; id < 10; id++) {
            feed(ethernet(0x0800, ipv4Fragment(id, 17, 64000, true, new byte[8])), id);
            assertTrue(decoder.fragmentBytesHeld() <= limits.maxFragmentBytes(), "held " + decoder.fragmentBytesHeld());
        }
        assertTrue(decoder.fragmentsInProgress() <= 4, "8 bytes each, but a 64 KiB buffer each");
        assertEquals(10 - decoder.fragmentsInProgress(), counters.get(Reason.FRAGMENTS_EVICTED));
    }

    @Test
    void theDatagramBeingAddedToIsNotEvictedForItself() {
        DecoderLimits limits = new DecoderLimits(8, 8, 4096, 65535, 65535, Duration.ofSeconds(30));
        decoder = new PacketDecoder(limits, counters);
        byte[] datagram = udp(5000, 6881, new byte[40000]); // its buffer grows to 64 KiB on the way
        List<byte[]> big = v4Fragments(40, 17, datagram, 1480);
        feed(big.get(0), 0); // the oldest
        feed(ethernet(0x0800, ipv4Fragment(41, 17, 0, true, new byte[1480])), 1);
        for (int i = 1; i < big.size() - 1; i++) {
            assertEquals(DecodeStatus.FRAGMENT_HELD, feed(big.get(i), 2 + i));
        }
        assertEquals(DecodeStatus.OK, feed(big.get(big.size() - 1), 100));
        assertEquals(40000, p.payloadLength);
        assertEquals(1, counters.get(Reason.FRAGMENTS_EVICTED), "the other, newer datagram made room");
    }
}
