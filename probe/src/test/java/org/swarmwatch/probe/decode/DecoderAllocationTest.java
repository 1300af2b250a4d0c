package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ordinary packets cost no allocation (the probe's throughput depends on it). Measured with the
 * JVM's per-thread allocation counter, not with time, so it holds on any machine.
 */
class DecoderAllocationTest {
    @Test
    void decodingOrdinaryFramesAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        PacketDecoder probe = new PacketDecoder(DecoderLimits.defaults(), new DecodeCounters());
        DecodedPacket q = new DecodedPacket();
        List<Object[]> frames = DecoderRobustnessTest.seeds().stream() // fragments aside: reassembly may allocate
                .filter(s -> probe.decode((int) s[0], (byte[]) s[1], 0, ((byte[]) s[1]).length, ((byte[]) s[1]).length, 0, q)
                        == DecodeStatus.OK && !q.reassembled)
                .toList();
        assertTrue(frames.size() >= 15, "ordinary frames of every kind: " + frames.size());
        PacketDecoder decoder = new PacketDecoder(DecoderLimits.defaults(), new DecodeCounters());
        DecodedPacket p = new DecodedPacket();
        run(decoder, p, frames, 20_000); // warm up: class loading, first-call allocations
        long before = threads.getCurrentThreadAllocatedBytes();
        run(decoder, p, frames, 200_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4096, allocated + " bytes allocated for 200,000 frames");
    }

    private static void run(PacketDecoder decoder, DecodedPacket p, List<Object[]> frames, int count) {
        int n = frames.size();
        for (int i = 0; i < count; i++) {
            Object[] s = frames.get(i % n);
            byte[] f = (byte[]) s[1];
            decoder.decode((int) s[0], f, 0, f.length, f.length, i, p);
        }
    }
}
