package org.swarmwatch.probe.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.swarmwatch.probe.decode.DecodeCounters;
import org.swarmwatch.probe.decode.DecodeCounters.Reason;
import org.swarmwatch.probe.decode.DecodeStatus;
import org.swarmwatch.probe.decode.DecodedPacket;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.decode.LinkType;
import org.swarmwatch.probe.decode.PacketDecoder;

/**
 * The packet decoders on frames the fuzzer makes (seeded with frames of ../shared's captures):
 * never throw, count every frame exactly once, and hold no more reassembly memory than the limits
 * allow. Input: a link-type selector byte, then frames, each a 2-byte length and its bytes (several
 * frames per input, so fragments can meet).
 */
class PacketDecoderFuzzTest {
    static final int[] LINK_TYPES = {LinkType.ETHERNET, LinkType.RAW, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL,
        LinkType.LOOP, LinkType.IPV4, LinkType.IPV6, LinkType.RAW_DLT_12, LinkType.RAW_DLT_14};

    @FuzzTest(maxDuration = "30s")
    void decoderNeverThrowsAndCountsEveryFrameOnce(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int linkType = LINK_TYPES[(data[0] & 0xff) % LINK_TYPES.length];
        DecoderLimits limits = DecoderLimits.defaults();
        DecodeCounters counters = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(limits, counters);
        DecodedPacket packet = new DecodedPacket();
        int at = 1, frames = 0;
        long time = 1_700_000_000_000_000L;
        while (at + 2 <= data.length && frames < 64) {
            int length = Math.min((data[at] & 0xff) << 8 | (data[at + 1] & 0xff), data.length - at - 2);
            DecodeStatus status = decoder.decode(linkType, data, at + 2, length, length + (frames % 3 == 0 ? 0 : 100), time += 1000,
                    packet);
            assertNotNull(status);
            if (status == DecodeStatus.OK) {
                assertTrue(packet.payloadOffset >= 0 && packet.payloadLength >= 0
                        && packet.payloadOffset + packet.payloadLength <= packet.payload.length, "payload inside its array");
            }
            assertTrue(decoder.fragmentsInProgress() <= limits.maxFragmentDatagrams());
            assertTrue(decoder.fragmentBytesHeld() >= 0 && decoder.fragmentBytesHeld() <= limits.maxFragmentBytes() + 65536L);
            frames++;
            at += 2 + length;
        }
        long counted = 0;
        for (Reason reason : Reason.values()) {
            if (reason.status() != null) {
                counted += counters.get(reason);
            }
        }
        assertEquals(frames, counted, "every frame counted once: " + counters.snapshot());
    }
}
