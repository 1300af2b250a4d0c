package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrackerAnnounceTest {
    static final String HASH_ENCODED = "%aa7i%c4S%0d%de%06%24%18s%da%d4%3a%b5%cc%ec%2c%e6%22"; // bt-http.pcapng
    static final byte[] HASH = HexFormat.of().parseHex("aa3769c4530dde06241873dad43ab5ccec2ce622");

    static TrackerAnnounce.Result parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return TrackerAnnounce.parse(b, 0, b.length);
    }

    @Test
    void announceWithEverything() {
        TrackerAnnounce.Result r = parse("GET /announce?info_hash=" + HASH_ENCODED + "&peer_id=-TR2940-chho92c56pul&port=51413"
                + "&uploaded=0&downloaded=0&left=282050560&event=started&compact=1 HTTP/1.1\r\nHost: t\r\n\r\n");
        assertEquals(TrackerAnnounce.Status.TRACKER, r.status());
        TrackerAnnounce a = r.announce();
        assertFalse(a.scrape());
        assertArrayEquals(HASH, a.infoHashes().get(0));
        assertEquals("Transmission 2.94", PeerIds.client(a.peerId()));
        assertEquals(282050560, a.left());
        assertEquals(0, a.uploaded());
        assertEquals("started", a.event());
    }

    @Test
    void seedingAnnounceAndPasskeyPaths() {
        TrackerAnnounce a = parse("GET /d41d8cd98f00b204/announce.php?peer_id=A2-1-36-0-abcdefghij&info_hash=" + HASH_ENCODED
                + "&left=0&uploaded=1048576 HTTP/1.0\r\n").announce();
        assertEquals(0, a.left());
        assertEquals(1048576, a.uploaded());
        assertNull(a.event());
    }

    @Test
    void scrapeOfSeveralHashes() {
        TrackerAnnounce a = parse("GET /scrape?info_hash=" + HASH_ENCODED + "&info_hash=" + "%00".repeat(20) + " HTTP/1.1\r\n").announce();
        assertTrue(a.scrape());
        assertEquals(2, a.infoHashes().size());
        assertNull(a.peerId());
    }

    @Test
    void incompleteRequestLineAsksForMore() {
        assertEquals(TrackerAnnounce.Status.INCOMPLETE, parse("GET /announce?info_hash=%aa7").status());
        assertEquals(TrackerAnnounce.Status.INCOMPLETE, parse("GE").status());
    }

    @Test
    void ordinaryHttpAndBrokenRequestsAreNotTrackers() {
        for (String s : new String[] {
            "GET / HTTP/1.1\r\n",
            "GET /index.html?q=1 HTTP/1.1\r\n",
            "POST /announce?info_hash=" + HASH_ENCODED + "&peer_id=-TR2940-chho92c56pul HTTP/1.1\r\n",
            "GET /announce?info_hash=%aa%bb&peer_id=-TR2940-chho92c56pul HTTP/1.1\r\n",           // 2-byte hash
            "GET /announce?info_hash=" + HASH_ENCODED + " HTTP/1.1\r\n",                           // announce without peer id
            "GET /announce?info_hash=%zz" + HASH_ENCODED + "&peer_id=-TR2940-chho92c56pul HTTP/1.1\r\n", // broken escape
            "GET /announce?info_hash=" + HASH_ENCODED + "&peer_id=-TR2940-chho92c56pul\r\n",       // no HTTP version
            "\u0013BitTorrent protocol"}) {
            assertEquals(TrackerAnnounce.Status.NOT_TRACKER, parse(s).status(), s);
        }
        assertEquals(TrackerAnnounce.Status.NOT_TRACKER, parse("GET /" + "a".repeat(5000)).status(), "an endless request line");
    }

    @Test
    void randomBytesNeverThrow() {
        Random r = new Random(11);
        byte[] good = ("GET /announce?info_hash=" + HASH_ENCODED + "&peer_id=-TR2940-chho92c56pul&left=0 HTTP/1.1\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 1 + r.nextInt(5); k++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            TrackerAnnounce.parse(b, 0, r.nextInt(b.length + 1));
        }
    }
}
