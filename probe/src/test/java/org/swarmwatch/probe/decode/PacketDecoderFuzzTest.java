package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;
import org.swarmwatch.probe.fuzz.CaptureSeeds;

/**
 * The packet decoder on frame sequences the fuzzer makes, seeded with the first frames of every
 * capture in ../shared and with {@link DecoderRobustnessTest#seeds() a frame of every kind the
 * decoder knows}, on every link type it supports (and one it does not), under the default limits and
 * under tight ones. The contract ({@link PacketDecoder}):
 *
 * <ul>
 *   <li>it never throws, and each frame has exactly one outcome: one per-frame counter moves, by
 *       one, and it is the status returned;</li>
 *   <li>a decoded packet is consistent ({@link DecoderRobustnessTest#checkConsistent}), its payload
 *       lies within the frame's captured bytes (or in a reassembled datagram), and nothing after the
 *       captured bytes is read: the same frames followed by other bytes decode the same;</li>
 *   <li>reassembly memory is bounded: datagrams in progress and bytes held within the limits (the
 *       documented 64 KiB of fragment list over the byte bound only while one datagram is alone),
 *       no bytes held when no datagram is, and nothing held longer than the fragment timeout.</li>
 * </ul>
 *
 * Input: a link-type byte, a limits byte, then frames, each a 2-byte captured length, a byte for
 * how much longer the frame was on the wire (n: n squared bytes), a byte for the capture time since
 * the frame before (n: n squared milliseconds, up to 65 s), and the captured bytes.
 */
class PacketDecoderFuzzTest {
    static final int[] LINK_TYPES = {LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.RAW,
        LinkType.RAW_DLT_12, LinkType.RAW_DLT_14, LinkType.IPV4, LinkType.IPV6, LinkType.NULL, LinkType.LOOP, 147};
    /** The defaults; tight bounds as a flood would meet them; the smallest the limits allow. */
    static final DecoderLimits[] LIMITS = {DecoderLimits.defaults(),
        new DecoderLimits(3, 2, 4, 70_000, 65535, Duration.ofSeconds(2)),
        new DecoderLimits(1, 1, 1, 1280, 1280, Duration.ofSeconds(1))};
    static final int MAX_FRAMES = 64;
    /** Fragment lists may pass the byte bound by this much while their datagram is alone (FragmentReassembler). */
    static final long FRAGMENT_LIST_SLACK = 65536;
    private static final long SWEEP_MICROS = 1_000_000;

    static Stream<Arguments> seeds() {
        Stream<Arguments> captures = CaptureSeeds.all().stream().map(c -> Arguments.of(Named.of(c.name() + " frames",
                input(c.linkType(), 0, c.frames()))));
        List<Object[]> kinds = DecoderRobustnessTest.seeds();
        Stream<Arguments> crafted = IntStream.range(0, kinds.size()).mapToObj(i -> {
            byte[] frame = (byte[]) kinds.get(i)[1];
            return Arguments.of(Named.of("frame kind " + i, input((int) kinds.get(i)[0], 1,
                    List.of(new CaptureSeeds.Frame(frame, frame.length, 0)))));
        });
        return Stream.concat(captures, crafted);
    }

    /** Encodes frames as an input of this test. */
    static byte[] input(int linkType, int limits, List<CaptureSeeds.Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int selector = IntStream.range(0, LINK_TYPES.length).filter(i -> LINK_TYPES[i] == linkType).findFirst()
                .orElse(LINK_TYPES.length - 1);
        out.write(selector);
        out.write(limits);
        long time = frames.isEmpty() ? 0 : frames.get(0).timestampMicros();
        for (CaptureSeeds.Frame f : frames) {
            int length = Math.min(f.bytes().length, 0xffff);
            out.write(length >> 8);
            out.write(length);
            out.write((int) Math.min(255, Math.ceil(Math.sqrt(Math.max(0, f.wireLength() - length)))));
            out.write((int) Math.min(255, Math.round(Math.sqrt(Math.max(0, f.timestampMicros() - time) / 1000.0))));
            out.write(f.bytes(), 0, length);
            time = f.timestampMicros();
        }
        return out.toByteArray();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void decoderNeverThrowsCountsEachFrameOnceAndStaysBounded(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int linkType = LINK_TYPES[(data[0] & 0xff) % LINK_TYPES.length];
        DecoderLimits limits = LIMITS[(data[1] & 0xff) % LIMITS.length];
        DecodeCounters counters = new DecodeCounters(), padCounters = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(limits, counters);
        PacketDecoder padDecoder = new PacketDecoder(limits, padCounters);
        DecodedPacket p = new DecodedPacket(), q = new DecodedPacket();
        long timeout = limits.fragmentTimeout().toNanos() / 1000;
        long time = 1_700_000_000_000_000L, lastHeld = Long.MIN_VALUE / 2;
        int at = 2;
        for (int frame = 0; frame < MAX_FRAMES && at + 4 <= data.length; frame++) {
            int captured = Math.min((data[at] & 0xff) << 8 | (data[at + 1] & 0xff), data.length - at - 4);
            int cut = data[at + 2] & 0xff;
            int wire = captured + cut * cut;
            int step = data[at + 3] & 0xff;
            time += step * step * 1000L;
            int offset = at + 4;
            String where = "frame " + frame;

            long[] before = snapshot(counters);
            DecodeStatus status = decoder.decode(linkType, data, offset, captured, wire, time, p);
            assertNotNull(status, where);
            assertOneOutcome(before, counters, status, where);
            DecoderRobustnessTest.checkConsistent(status, p, where);
            if (status == DecodeStatus.OK) {
                if (p.reassembled) {
                    assertTrue(p.payloadLength <= limits.maxDatagramBytes(), where);
                } else {
                    assertSame(data, p.payload, where + ": the payload is in the frame");
                    assertTrue(p.payloadOffset >= offset && p.payloadOffset + p.payloadLength <= offset + captured,
                            where + ": the payload within the captured bytes");
                }
            }

            // the same frame alone in an array, followed by other bytes than in the input
            byte[] alone = Arrays.copyOfRange(data, offset, offset + captured + 64);
            Arrays.fill(alone, captured, alone.length, (byte) 0xa5);
            DecodeStatus padStatus = padDecoder.decode(linkType, alone, 0, captured, wire, time, q);
            assertSame(status, padStatus, where + ": the bytes after the captured ones changed the outcome");
            assertSameDecoding(p, offset, q, where);

            if (status == DecodeStatus.FRAGMENT_HELD) {
                lastHeld = time;
            }
            int inProgress = decoder.fragmentsInProgress();
            long held = decoder.fragmentBytesHeld();
            assertTrue(inProgress <= limits.maxFragmentDatagrams(), where + ": " + inProgress + " datagrams in progress");
            assertTrue(held >= 0 && (held <= limits.maxFragmentBytes()
                    || inProgress == 1 && held <= limits.maxFragmentBytes() + FRAGMENT_LIST_SLACK),
                    where + ": " + held + " bytes held for " + inProgress + " datagrams");
            assertTrue(inProgress > 0 || held == 0, where + ": " + held + " bytes held for no datagram");
            if (time - lastHeld >= timeout + SWEEP_MICROS) {
                assertEquals(0, inProgress, where + ": datagrams kept past the fragment timeout");
            }
            at = offset + captured;
        }
    }

    private static long[] snapshot(DecodeCounters counters) {
        long[] c = new long[Reason.values().length];
        for (Reason r : Reason.values()) {
            c[r.ordinal()] = counters.get(r);
        }
        return c;
    }

    /** Exactly one per-frame counter moved, by one, and it is the returned status. */
    private static void assertOneOutcome(long[] before, DecodeCounters counters, DecodeStatus status, String where) {
        int moved = 0;
        for (Reason r : Reason.values()) {
            long delta = counters.get(r) - before[r.ordinal()];
            if (r.status() != null && delta != 0) {
                assertEquals(1, delta, where + ": " + r);
                assertSame(status, r.status(), where + ": counted as " + r + ", returned " + status);
                moved++;
            }
        }
        assertEquals(1, moved, where + ": outcomes counted " + counters.snapshot());
    }

    /** Two decodings of the same frame at different places agree on everything they found. */
    private static void assertSameDecoding(DecodedPacket p, int offset, DecodedPacket q, String where) {
        String w = where + ": the bytes after the captured ones changed the decoding";
        assertEquals(p.ipVersion, q.ipVersion, w);
        assertEquals(List.of(p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.tcpSeq), List.of(q.srcHi, q.srcLo, q.dstHi, q.dstLo, q.tcpSeq), w);
        assertEquals(List.of(p.ipLength, p.protocol, p.srcPort, p.dstPort, p.tcpFlags, p.payloadLength, p.payloadWireLength,
                p.vlanId, p.encapsulations), List.of(q.ipLength, q.protocol, q.srcPort, q.dstPort, q.tcpFlags, q.payloadLength,
                q.payloadWireLength, q.vlanId, q.encapsulations), w);
        assertEquals(p.reassembled, q.reassembled, w);
        if (p.payload != null && q.payload != null) {
            if (!p.reassembled) {
                assertEquals(p.payloadOffset - offset, q.payloadOffset, w);
            }
            assertArrayEquals(Arrays.copyOfRange(p.payload, p.payloadOffset, p.payloadOffset + p.payloadLength),
                    Arrays.copyOfRange(q.payload, q.payloadOffset, q.payloadOffset + q.payloadLength), w);
        } else {
            assertEquals(p.payload == null, q.payload == null, w);
        }
    }
}
