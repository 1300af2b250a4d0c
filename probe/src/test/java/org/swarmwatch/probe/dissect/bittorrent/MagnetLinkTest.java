package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.dissect.FlowDissection;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.dissect.RecordingSink;
import org.swarmwatch.probe.dissect.TestFlow;

/**
 * Magnet links (BEP 9 {@code urn:btih:}, BEP 52 {@code urn:btmh:}) in plaintext HTTP: what the
 * subscriber's request carries is {@code looking_up}; a page listing magnets is not read; the
 * flow is never claimed as BitTorrent.
 */
class MagnetLinkTest {
    static final String HEX = "0e1042f9e37849c0e5823403ff493f915758f880";
    final RecordingSink sink = new RecordingSink();

    static PacketPayload tcp(String text, boolean fromInitiator, long seq) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        PacketPayload p = new PacketPayload();
        p.set(b, 0, b.length, b.length, fromInitiator, 0x18, seq, 0);
        return p;
    }

    FlowDissection exchange(String request, String response) {
        DissectorRegistry registry = DissectorRegistry.standard();
        TestFlow flow = TestFlow.tcp(50123, 80);
        FlowDissection d = registry.offer(flow, null, tcp(request, true, 1), sink);
        d = registry.offer(flow, d, tcp(response, false, 1), sink);
        registry.end(d, sink);
        return d;
    }

    @Test
    void aMagnetInTheRequestLineOrRefererIsALookup() {
        FlowDissection d = exchange("GET /open?link=magnet:?xt=urn:btih:" + HEX.toUpperCase() + "&dn=film HTTP/1.1\r\nHost: nas\r\n\r\n",
                "HTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(List.of("initiator magnet btih_v1 looking_up 0e1042 null"), sink.observations);
        assertNotEquals("bittorrent", d.protocol(), "the flow is web traffic, not a transfer");

        RecordingSink referer = new RecordingSink();
        DissectorRegistry registry = DissectorRegistry.standard();
        registry.offer(TestFlow.tcp(50124, 80), null, tcp("GET /style.css HTTP/1.1\r\nHost: site\r\nReferer: http://site/add?m="
                + "magnet%3A%3Fxt%3Durn%3Abtih%3A" + HEX + "\r\n\r\n", true, 1), referer);
        assertEquals(List.of("initiator magnet btih_v1 looking_up 0e1042 null"), referer.observations);
    }

    @Test
    void aPageListingMagnetsIsNotEvidence() {
        String page = "<html><body><a href=\"magnet:?xt=urn:btih:" + HEX + "\">one</a>"
                + "<a href=\"magnet:?xt=urn:btmh:1220" + HEX + "45f14067883068a1db2aa923\">two</a></body></html>";
        FlowDissection d = exchange("GET /search?q=film HTTP/1.1\r\nHost: site\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + page.length() + "\r\n\r\n" + page);
        assertEquals(List.of(), sink.observations, "what a site offers is not what the subscriber chose");
        assertNotEquals("bittorrent", d.protocol());
    }

    @Test
    void malformedUrnsAreIgnoredAndLinksAreBounded() {
        assertNull(MagnetLinkDissector.urn("urn:btmh:1114" + HEX)); // a SHA-1 multihash is not a v2 infohash
        assertNull(MagnetLinkDissector.urn("urn:btmh:1220" + HEX)); // too short for SHA-256
        assertNull(MagnetLinkDissector.urn("urn:btih:" + HEX + "00")); // 42 digits
        assertNull(MagnetLinkDissector.urn("urn:btih:" + "Z".repeat(31) + "1")); // not base32
        assertNull(MagnetLinkDissector.urn("urn:sha1:" + HEX));
        StringBuilder many = new StringBuilder("POST /add HTTP/1.1\r\nHost: nas\r\n\r\n");
        for (int i = 0; i < 10; i++) {
            many.append("magnet:?xt=urn:btih:").append(HEX, 0, 38).append(String.format("%02x", i)).append('\n');
        }
        exchange(many.toString(), "HTTP/1.1 200 OK\r\n\r\n");
        assertEquals(MagnetLinkDissector.MAX_LINKS, sink.observations.size());
    }
}
