package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecoderLimitsTest {
    @Test
    void defaults() {
        DecoderLimits d = DecoderLimits.defaults();
        assertEquals(8, d.maxEncapsulationDepth());
        assertEquals(8, d.maxExtensionHeaders());
        assertEquals(4096, d.maxFragmentDatagrams());
        assertEquals(8 << 20, d.maxFragmentBytes());
        assertEquals(65535, d.maxDatagramBytes());
        assertEquals(Duration.ofSeconds(30), d.fragmentTimeout());
    }

    static void assertRejected(String messagePart, Runnable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void nonsenseIsRejectedWithAClearMessage() {
        Duration t = Duration.ofSeconds(30);
        assertRejected("encapsulation depth", () -> new DecoderLimits(0, 8, 4096, 8 << 20, 65535, t));
        assertRejected("encapsulation depth", () -> new DecoderLimits(33, 8, 4096, 8 << 20, 65535, t));
        assertRejected("extension headers", () -> new DecoderLimits(8, 0, 4096, 8 << 20, 65535, t));
        assertRejected("fragment datagrams", () -> new DecoderLimits(8, 8, 0, 8 << 20, 65535, t));
        assertRejected("datagram bytes", () -> new DecoderLimits(8, 8, 4096, 8 << 20, 1000, t));
        assertRejected("datagram bytes", () -> new DecoderLimits(8, 8, 4096, 8 << 20, 70000, t));
        assertRejected("must hold one datagram", () -> new DecoderLimits(8, 8, 4096, 60000, 65535, t));
        assertRejected("timeout", () -> new DecoderLimits(8, 8, 4096, 8 << 20, 65535, Duration.ZERO));
        assertRejected("timeout", () -> new DecoderLimits(8, 8, 4096, 8 << 20, 65535, Duration.ofSeconds(-1)));
        assertRejected("timeout", () -> new DecoderLimits(8, 8, 4096, 8 << 20, 65535, null));
    }

    @Test
    void aHugeTimeoutIsAcceptedAndDoesNotOverflow() {
        DecoderLimits forever = new DecoderLimits(8, 8, 4096, 8 << 20, 65535, Duration.ofSeconds(Long.MAX_VALUE));
        PacketDecoder decoder = new PacketDecoder(forever, new DecodeCounters());
        byte[] frame = Frames.ethernet(0x0800, Frames.ipv4Fragment(1, 17, 0, true, new byte[8]));
        decoder.decode(LinkType.ETHERNET, frame, 0, frame.length, frame.length, 0, new DecodedPacket());
        decoder.decode(LinkType.ETHERNET, frame, 0, 10, 10, 1L << 62, new DecodedPacket()); // 146,000 years on
        assertEquals(1, decoder.fragmentsInProgress());
    }
}
