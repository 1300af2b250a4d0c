package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Peer-wire framing (BEP 3) read from TCP segments: handshake, messages, retransmissions, gaps, garbage. */
class PeerWireStreamTest {
    static final byte[] HASH = new byte[20];
    static final byte[] PEER = PeerIdsTest.id("-TR3000-");

    static {
        for (int i = 0; i < 20; i++) {
            HASH[i] = (byte) (0xa0 + i);
        }
    }

    static byte[] handshake(long reserved) {
        return ByteBuffer.allocate(68).put(PeerWireHandshake.HEADER).putLong(reserved).put(HASH).put(PEER).array();
    }

    static byte[] message(int id, int bodyLength) {
        return ByteBuffer.allocate(5 + bodyLength).putInt(1 + bodyLength).put((byte) id).array();
    }

    static byte[] piece(int blockLength) {
        return message(7, 8 + blockLength);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void handshakeThenMessagesInOneGo() {
        PeerWireStream s = new PeerWireStream();
        byte[] stream = concat(handshake(0x0000_0000_0010_0005L), message(5, 10), new byte[4], message(2, 0), piece(16384), piece(100));
        s.feedSegment(1000, stream, 0, stream.length);
        PeerWireHandshake h = s.handshake();
        assertNotNull(h);
        assertArrayEquals(HASH, h.infoHash());
        assertArrayEquals(PEER, h.peerId());
        assertTrue(h.extensionProtocol());
        assertTrue(h.dht());
        assertTrue(h.fastExtension());
        assertFalse(h.v2());
        assertEquals(5, s.messages()); // bitfield, keep-alive, interested, two pieces
        assertEquals(2, s.pieces());
        assertEquals(16484, s.pieceBytes());
        assertFalse(s.lost());
    }

    @Test
    void everySplitOfTheStreamGivesTheSameCounts() {
        byte[] stream = concat(handshake(0), piece(300), PeerWireMessagesTest.hashRequest(21, 0, 4, 2, 3), piece(50), message(0, 0));
        for (int cut = 1; cut < stream.length; cut++) {
            PeerWireStream s = new PeerWireStream();
            s.feedSegment(0xFFFFFF00L, stream, 0, cut); // sequence numbers wrap around 2^32 here
            s.feedSegment((0xFFFFFF00L + cut) & 0xFFFFFFFFL, stream, cut, stream.length - cut);
            assertEquals(2, s.pieces(), "cut at " + cut);
            assertEquals(350, s.pieceBytes(), "cut at " + cut);
            assertEquals(1, s.hashMessages(), "cut at " + cut);
            assertFalse(s.lost(), "cut at " + cut);
        }
    }

    @Test
    void retransmissionsAreSkippedAndAGapStopsCounting() {
        byte[] stream = concat(handshake(0), piece(10), piece(10), piece(10));
        PeerWireStream s = new PeerWireStream();
        s.feedSegment(0, stream, 0, 80);
        s.feedSegment(0, stream, 0, 80);          // retransmission
        s.feedSegment(40, stream, 40, 60);        // partly new
        s.feedSegment(100, stream, 100, stream.length - 100);
        assertEquals(3, s.pieces());
        PeerWireStream gap = new PeerWireStream();
        gap.feedSegment(0, stream, 0, 80);
        gap.feedSegment(90, stream, 90, stream.length - 90);
        assertTrue(gap.lost());
        assertEquals(1, gap.pieces(), "the piece whose header came before the gap, nothing after it");
    }

    @Test
    void notAPeerWireStream() {
        PeerWireStream http = new PeerWireStream();
        byte[] get = "GET /announce?info_hash=x HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        http.feedSegment(1, get, 0, get.length);
        assertTrue(http.lost());
        assertEquals(PeerWireHandshake.Match.NO, http.handshakeMatch());
        assertNull(http.handshake());

        PeerWireStream absurd = new PeerWireStream();
        byte[] huge = concat(handshake(0), ByteBuffer.allocate(5).putInt(PeerWireStream.MAX_MESSAGE + 1).put((byte) 7).array());
        absurd.feedSegment(0, huge, 0, huge.length);
        assertTrue(absurd.lost());

        PeerWireStream unknownId = new PeerWireStream();
        byte[] odd = concat(handshake(0), message(99, 3));
        unknownId.feedSegment(0, odd, 0, odd.length);
        assertTrue(unknownId.lost());
    }

    static byte[] extended(int extendedId, String bencoded) {
        byte[] body = bencoded.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return concat(ByteBuffer.allocate(6).putInt(2 + body.length).put((byte) 20).put((byte) extendedId).array(), body);
    }

    @Test
    void theExtensionHandshakeNamesTheClient() {
        byte[] stream = concat(handshake(0x0000_0000_0010_0000L), extended(3, "d8:msg_typei0e5:piecei0ee"),
                extended(0, "d1:md11:ut_metadatai2ee13:metadata_sizei19009e1:v16:BitTorrent 7.9.5e"), piece(10));
        PeerWireStream s = new PeerWireStream();
        for (int i = 0; i < stream.length; i += 7) { // in small segments
            s.feedSegment(i, stream, i, Math.min(7, stream.length - i));
        }
        assertEquals("BitTorrent 7.9.5", s.extensionClient());
        assertEquals(19009, s.metadataSize());
        assertEquals(1, s.pieces());
        assertFalse(s.lost());
    }

    @Test
    void aNonAsciiClientNameIsKept() {
        // µTorrent names itself with a micro sign (two bytes in UTF-8)
        byte[] stream = concat(handshake(0x0000_0000_0010_0000L), extended(0, "d1:v15:\u00b5Torrent 3.5.5e"));
        PeerWireStream s = new PeerWireStream();
        s.feedSegment(0, stream, 0, stream.length);
        assertEquals("\u00b5Torrent 3.5.5", s.extensionClient());
    }

    @Test
    void aBrokenOrOddExtensionHandshakeNamesNoOne() {
        for (String bad : new String[] {"not bencode", "d1:v3:\u0001\u0002\u0003e",
                // C1 control (found by fuzzing) and a right-to-left override, both invisible on a page
                "d1:v4:li\u0083e", "d1:v8:uTor\u202ebe", "li1ee", "d1:vi5ee"}) {
            PeerWireStream s = new PeerWireStream();
            byte[] stream = concat(handshake(0), extended(0, bad), piece(4));
            s.feedSegment(0, stream, 0, stream.length);
            assertNull(s.extensionClient(), bad);
            assertEquals(1, s.pieces(), "the framing goes on: " + bad);
        }
    }

    @Test
    void partialHandshakesArePartial() {
        PeerWireStream s = new PeerWireStream();
        assertEquals(PeerWireHandshake.Match.PARTIAL, s.handshakeMatch());
        byte[] h = handshake(0);
        s.feedSegment(5, h, 0, 10);
        assertEquals(PeerWireHandshake.Match.PARTIAL, s.handshakeMatch());
        s.feedSegment(15, h, 10, 30);
        assertEquals(PeerWireHandshake.Match.HEADER, s.handshakeMatch());
        assertNull(s.handshake(), "no peer id yet");
    }

    @Test
    void randomBytesNeverThrowAndMemoryStaysFixed() {
        Random r = new Random(3);
        byte[] good = concat(handshake(0), piece(100), message(20, 30), piece(7));
        for (int i = 0; i < 50_000; i++) {
            byte[] b = r.nextInt(3) == 0 ? new byte[r.nextInt(300)] : good.clone();
            if (b != good) {
                for (int k = 0; k < 1 + r.nextInt(6) && b.length > 0; k++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            PeerWireStream s = new PeerWireStream();
            int at = 0;
            long seq = r.nextInt();
            while (at < b.length) {
                int n = 1 + r.nextInt(Math.max(1, b.length - at));
                s.feedSegment(seq & 0xFFFFFFFFL, b, at, Math.min(n, b.length - at));
                seq += n;
                at += n;
            }
            assertTrue(s.pieces() >= 0 && s.pieceBytes() >= 0);
        }
    }
}
