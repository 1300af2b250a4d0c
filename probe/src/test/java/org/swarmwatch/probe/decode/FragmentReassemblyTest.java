package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.decode.Frames.DST4;
import static org.swarmwatch.probe.decode.Frames.DST6;
import static org.swarmwatch.probe.decode.Frames.SRC4;
import static org.swarmwatch.probe.decode.Frames.SRC6;
import static org.swarmwatch.probe.decode.Frames.concat;
import static org.swarmwatch.probe.decode.Frames.ethernet;
import static org.swarmwatch.probe.decode.Frames.ipv4;
import static org.swarmwatch.probe.decode.Frames.ipv6;
import static org.swarmwatch.probe.decode.Frames.u16;
import static org.swarmwatch.probe.decode.Frames.u32;
import static org.swarmwatch.probe.decode.Frames.udp;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;

/** IPv4 and IPv6 fragment reassembly, including the bounds in memory and time. */
class FragmentReassemblyTest {
    final DecodeCounters counters = new DecodeCounters();
    final DecodedPacket p = new DecodedPacket();
    PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), counters);

    /** A 1008-byte UDP datagram (8 header + 1000 payload), cut into IPv4 fragments of {@code size} bytes. */
    static byte[][] v4Fragments(int id, int size) {
        byte[] payload = new byte[1000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        byte[] datagram = udp(5000, 6881, payload);
        int n = (datagram.length + size - 1) / size;
        byte[][] frames = new byte[n][];
        for (int i = 0; i < n; i++) {
            int off = i * size;
            byte[] part = Arrays.copyOfRange(datagram, off, Math.min(datagram.length, off + size));
            int word = (i < n - 1 ? 0x2000 : 0) | (off / 8);
            frames[i] = ethernet(0x0800, ipv4(SRC4, DST4, 17, id, word, part, 20 + part.length));
        }
        return frames;
    }

    DecodeStatus feed(byte[] frame, long micros) {
        return decoder.decode(LinkType.ETHERNET, frame, 0, frame.length, frame.length, micros, p);
    }

    void assertWholeDatagram() {
        assertTrue(p.reassembled);
        assertEquals(17, p.protocol);
        assertEquals(5000, p.srcPort);
        assertEquals(6881, p.dstPort);
        assertEquals(1000, p.payloadLength);
        assertEquals((p.ipVersion == 4 ? 20 : 40) + 1008, p.ipLength);
        for (int i = 0; i < 1000; i++) {
            assertEquals((byte) i, p.payload[p.payloadOffset + i]);
        }
    }

    @Test
    void inOrder() {
        byte[][] f = v4Fragments(1, 400);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f[0], 0));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f[1], 1));
        assertEquals(DecodeStatus.OK, feed(f[2], 2));
        assertWholeDatagram();
        assertEquals(1, counters.get(Reason.FRAGMENTS_REASSEMBLED));
        assertEquals(0, decoder.fragmentsInProgress());
    }

    @Test
    void outOfOrderAndDuplicated() {
        byte[][] f = v4Fragments(2, 256);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f[3], 0));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f[1], 1));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f[1], 2)); // duplicate: ignored
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f[2], 3));
        assertEquals(DecodeStatus.OK, feed(f[0], 4));
        assertWholeDatagram();
    }

    @Test
    void overlappingFragmentsDropTheDatagram() {
        byte[][] f = v4Fragments(3, 400);
        feed(f[0], 0);
        // a fragment at offset 392 overlapping the first one's last 8 bytes
        byte[] overlap = ethernet(0x0800, ipv4(SRC4, DST4, 17, 3, 0x2000 | 49, new byte[400], 420));
        assertEquals(DecodeStatus.MALFORMED, feed(overlap, 1));
        assertEquals(1, counters.get(Reason.FRAGMENTS_OVERLAPPING));
        assertEquals(1, counters.get(Reason.MALFORMED_FRAGMENT));
        assertEquals(0, decoder.fragmentsInProgress());
        feed(f[1], 2);
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f[2], 3), "the datagram is gone: never completes");
    }

    @Test
    void incompleteDatagramsExpireByCaptureTime() {
        byte[][] f = v4Fragments(4, 400);
        feed(f[0], 0);
        feed(f[1], 1);
        byte[] other = v4Fragments(5, 400)[0];
        feed(other, 31_000_000); // 31 s later: the sweep drops datagram 4
        assertEquals(1, counters.get(Reason.FRAGMENTS_EXPIRED));
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(f[2], 31_000_001), "the last fragment of an expired datagram starts a new one");
    }

    @Test
    void memoryBoundEvictsTheOldestDatagram() {
        decoder = new PacketDecoder(new DecoderLimits(8, 8, 3, 65535, 65535, Duration.ofSeconds(30)), counters);
        for (int id = 10; id < 15; id++) {
            feed(v4Fragments(id, 400)[0], id);
        }
        assertEquals(3, decoder.fragmentsInProgress());
        assertEquals(2, counters.get(Reason.FRAGMENTS_EVICTED));
        // datagram 14 is still there and completes
        byte[][] f = v4Fragments(14, 400);
        feed(f[1], 20);
        assertEquals(DecodeStatus.OK, feed(f[2], 21));
        assertWholeDatagram();
    }

    @Test
    void byteBoundEvictsToo() {
        decoder = new PacketDecoder(new DecoderLimits(8, 8, 4096, 65535, 65535, Duration.ofSeconds(30)), counters);
        byte[] big = new byte[1480];
        for (int id = 0; id < 50; id++) {
            feed(ethernet(0x0800, ipv4(SRC4, DST4, 17, id, 0x2000, big, 1500)), id);
        }
        assertTrue(counters.get(Reason.FRAGMENTS_EVICTED) >= 5, "held at most 64 KiB: " + counters.snapshot());
    }

    @Test
    void fragmentsBeyondTheLargestDatagramAreMalformed() {
        byte[] beyond = ethernet(0x0800, ipv4(SRC4, DST4, 17, 9, 0x1fff, new byte[100], 120)); // offset 65528 + 100
        feed(beyond, 0);
        assertEquals(1, counters.get(Reason.MALFORMED_FRAGMENT));
    }

    @Test
    void ipv6Fragments() {
        byte[] datagram = udp(5000, 6881, new byte[1000]);
        for (int i = 0; i < 1000; i++) {
            datagram[8 + i] = (byte) i;
        }
        byte[] first = Arrays.copyOfRange(datagram, 0, 512);
        byte[] second = Arrays.copyOfRange(datagram, 512, datagram.length);
        byte[] h1 = concat(new byte[] {17, 0}, u16(0 | 1), u32(0xcafe)); // offset 0, M
        byte[] h2 = concat(new byte[] {17, 0}, u16(512), u32(0xcafe));   // offset 512, last
        assertEquals(DecodeStatus.FRAGMENT_HELD, feed(ethernet(0x86DD, ipv6(SRC6, DST6, 44, concat(h2, second))), 0));
        assertEquals(DecodeStatus.OK, feed(ethernet(0x86DD, ipv6(SRC6, DST6, 44, concat(h1, first))), 1));
        assertEquals(6, p.ipVersion);
        assertWholeDatagram();
    }
}
