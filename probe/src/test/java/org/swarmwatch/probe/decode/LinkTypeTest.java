package org.swarmwatch.probe.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinkTypeTest {
    @Test
    void theSupportedLinkTypesByTheirLibpcapNumbers() {
        for (int dlt : new int[] {0, 1, 12, 14, 101, 108, 113, 228, 229, 276}) {
            assertTrue(LinkType.isSupported(dlt), "DLT " + dlt);
        }
        for (int dlt : new int[] {-1, 2, 105, 127, 147, 189, 220, 277}) {
            assertFalse(LinkType.isSupported(dlt), "DLT " + dlt);
        }
    }

    @Test
    void namesForMessages() {
        assertEquals("ETHERNET", LinkType.name(LinkType.ETHERNET));
        assertEquals("LINUX_SLL2", LinkType.name(276));
        assertEquals("RAW", LinkType.name(12));
        assertEquals("IEEE802_11_RADIOTAP", LinkType.name(127));
        assertEquals("unknown", LinkType.name(4242));
    }
}
