package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** HTTP tracker announce responses (BEP 3, BEP 7, BEP 23): the peer lists in each shape, and bad input. */
class TrackerResponseTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        return PeerWireStreamTest.concat(parts);
    }

    static TrackerResponse.Result parse(byte[] b) {
        return TrackerResponse.parse(b, 0, b.length);
    }

    static byte[] ok(byte[] body) {
        return concat(b("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"), body);
    }

    @Test
    void compactIpv4AndIpv6Peers() {
        byte[] peers = {10, 77, 0, 11, 0x1a, (byte) 0xe1};
        byte[] peers6 = new byte[18];
        peers6[0] = 0x20;
        peers6[1] = 0x01;
        peers6[15] = 1;
        peers6[17] = 80;
        TrackerResponse.Result r = parse(ok(concat(b("d8:intervali1800e5:peers6:"), peers, b("6:peers618:"), peers6, b("e"))));
        assertEquals(TrackerResponse.Status.RESPONSE, r.status());
        assertArrayEquals(peers, r.response().peers());
        assertArrayEquals(peers6, r.response().peers6());
    }

    @Test
    void dictionaryPeersInIpv4AndIpv6AndNamesSkipped() {
        TrackerResponse.Result r = parse(ok(b("d8:intervali1800e5:peersl"
                + "d2:ip8:10.0.0.17:peer id20:abcdefghijklmnopqrst4:porti6881ee"
                + "d2:ip11:2001:db8::24:porti51413ee"
                + "d2:ip13:[2001:db8::3]4:porti80ee"
                + "d2:ip15:tracker.example4:porti6881ee"
                + "d2:ip3:abc4:porti6881ee"
                + "d2:ip8:10.0.0.54:porti0ee"
                + "d2:ip9:300.0.0.14:porti1ee"
                + "d2:ip4:::ff4:porti2ee"
                + "ee")));
        assertEquals(TrackerResponse.Status.RESPONSE, r.status());
        assertArrayEquals(new byte[] {10, 0, 0, 1, 0x1a, (byte) 0xe1}, r.response().peers(),
                "the dotted quad; port 0 and a 300 are not peers");
        byte[] v6 = r.response().peers6();
        assertEquals(3 * 18, v6.length, "2001:db8::2, [2001:db8::3] and ::ff; names are never resolved");
        assertArrayEquals(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8}, Arrays.copyOfRange(v6, 0, 4));
        assertEquals(2, v6[15]);
        assertEquals(51413, (v6[16] & 0xff) << 8 | (v6[17] & 0xff));
        assertEquals(3, v6[18 + 15]);
        assertEquals((byte) 0xff, v6[36 + 15]);
    }

    @Test
    void addressLiteralsNeverResolveNames() {
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, TrackerResponse.ipv4("192.0.2.1"));
        assertNull(TrackerResponse.ipv4("192.0.2"));
        assertNull(TrackerResponse.ipv4("192.0.2.256"));
        assertNull(TrackerResponse.ipv4("1.2.3.4.5"));
        assertNull(TrackerResponse.ipv6("localhost"));
        assertNull(TrackerResponse.ipv6("deadbeef"), "hex digits alone could be a host name: no colon, no literal");
        assertNull(TrackerResponse.ipv6("fe80::1%eth0"), "no scope ids (they would consult the interfaces)");
        assertNull(TrackerResponse.ipv6(":::"));
        assertNull(TrackerResponse.ipv6("::ffff:10.0.0.1"), "IPv4-mapped: not an IPv6 peer");
        assertEquals(16, TrackerResponse.ipv6("2001:db8::10.0.0.1").length);
    }

    @Test
    void malformedListsGiveNoPeers() {
        TrackerResponse.Result r = parse(ok(b("d5:peers7:abcdefg6:peers65:abcdee")));
        assertEquals(TrackerResponse.Status.RESPONSE, r.status());
        assertEquals(0, r.response().peers().length, "7 bytes is not a compact list");
        assertEquals(0, r.response().peers6().length);
        r = parse(ok(b("d5:peersli1ei2eee")));
        assertEquals(0, r.response().peers().length, "a list of numbers is not a list of peers");
        r = parse(ok(b("d5:peersld2:ipi1e4:porti1eeee")));
        assertEquals(0, r.response().peers().length);
    }

    static byte[] chunked(String sizeLine, byte[] body) {
        return concat(b("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + sizeLine + "\r\n"), body, b("\r\n0\r\n\r\n"));
    }

    @Test
    void chunkedBodiesAndBrokenChunkSizes() {
        byte[] body = b("d5:peers6:\n\u004d\0\u000b\u001a\u00e1e");
        for (String good : new String[] {Integer.toHexString(body.length), "0" + Integer.toHexString(body.length).toUpperCase(),
                Integer.toHexString(body.length) + ";name=value"}) {
            TrackerResponse.Result r = parse(chunked(good, body));
            assertEquals(TrackerResponse.Status.RESPONSE, r.status(), good);
            assertArrayEquals(new byte[] {10, 77, 0, 11, 0x1a, (byte) 0xe1}, r.response().peers(), good);
        }
        // a sign (Long.parseLong takes one: -b threw, found by fuzzing), sizes past 4 GiB, no digits, spaces
        for (String bad : new String[] {"-b", "+" + Integer.toHexString(body.length), "ffffffffffffffff", "100000000", "", ";x", " 1a"}) {
            TrackerResponse.Result r = parse(chunked(bad, body));
            assertTrue(r.status() != TrackerResponse.Status.RESPONSE, bad);
        }
    }

    @Test
    void truncatedAndForeignResponses() {
        byte[] full = ok(b("d8:intervali1800e5:peers6:abcdefe"));
        for (int n = 1; n < full.length; n++) {
            TrackerResponse.Result r = TrackerResponse.parse(full, 0, n);
            assertTrue(r.status() != TrackerResponse.Status.RESPONSE || r.response().peers().length == 0, "at " + n);
        }
        assertEquals(TrackerResponse.Status.RESPONSE, parse(full).status());
        assertEquals(TrackerResponse.Status.NOT_RESPONSE, parse(b("HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\n")).status());
        assertEquals(TrackerResponse.Status.NOT_RESPONSE, parse(b("SSH-2.0-OpenSSH_9.2\r\n")).status());
    }

    @Test
    void randomAndHugeInputNeverThrowsAndIsBounded() {
        Random random = new Random(3);
        byte[] head = b("HTTP/1.1 200 OK\r\n\r\n");
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[random.nextInt(300)];
            random.nextBytes(body);
            if (body.length > 0 && random.nextBoolean()) {
                body[0] = 'd';
            }
            byte[] msg = random.nextInt(4) == 0 ? body : concat(head, body);
            TrackerResponse.parse(msg, 0, msg.length);
        }
        // a body of thousands of dictionary peers is cut at the reader's bounds
        StringBuilder many = new StringBuilder("d5:peersl");
        for (int i = 0; i < 5000; i++) {
            many.append("d2:ip8:10.0.0.14:porti6881ee");
        }
        byte[] big = ok(b(many.append("ee").toString()));
        TrackerResponse.Result r = parse(big);
        assertTrue(r.status() != TrackerResponse.Status.RESPONSE || r.response().peers().length <= 6 * 2048, r.status().toString());
    }
}
