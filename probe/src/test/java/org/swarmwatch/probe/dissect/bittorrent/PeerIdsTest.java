package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PeerIdsTest {
    static byte[] id(String prefix) {
        byte[] id = Arrays.copyOf(prefix.getBytes(StandardCharsets.ISO_8859_1), 20);
        for (int i = prefix.length(); i < 20; i++) {
            id[i] = (byte) ('a' + i); // the random part
        }
        return id;
    }

    @Test
    void azureusStyle() {
        assertEquals("Transmission 3.00", PeerIds.client(id("-TR3000-")));
        assertEquals("libtorrent 2.0.8", PeerIds.client(id("-LT2080-")));
        assertEquals("qBittorrent 4.5.2", PeerIds.client(id("-qB4520-")));
        assertEquals("libTorrent (rakshasa) 0.13.8", PeerIds.client(id("-lt0D80-")));
        assertEquals("uTorrent 3.5.5", PeerIds.client(id("-UT355S-")), "a letter in the last place is a build tag, not a number");
        assertEquals("Deluge 2.1.1.1", PeerIds.client(id("-DE2111-")));
    }

    @Test
    void mainlineAria2AndShadowStyles() {
        assertEquals("aria2 1.36.0", PeerIds.client(id("A2-1-36-0-")));
        assertEquals("BitTorrent (mainline) 7.2.3", PeerIds.client(id("M7-2-3--")));
        assertEquals("BitTornado 0.3.18", PeerIds.client(id("T03I-----")));
    }

    @Test
    void unknownOrMalformedIdsGiveNoName() {
        assertNull(PeerIds.client(id("-ZZ1234-")));
        assertNull(PeerIds.client(id("abcdefghijklmnopqrst")));
        assertNull(PeerIds.client(new byte[20]));
        assertNull(PeerIds.client(new byte[5]));
        assertNull(PeerIds.client(null));
    }
}
