package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.dissect.bittorrent.PeerWireStreamTest.concat;
import static org.swarmwatch.probe.dissect.bittorrent.PeerWireStreamTest.handshake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The message parsers, on messages built from the specifications: BEP 52 hash request / hashes /
 * hash reject ({@link HashMessage}), BEP 9 ut_metadata ({@link MetadataMessage}), and the version
 * of an info dictionary read as it streams ({@link InfoDictionary}, BEP 3 and BEP 52). Malformed,
 * truncated and oversized input gives null (or UNKNOWN), never an exception.
 */
class PeerWireMessagesTest {
    static final byte[] ROOT = new byte[32];

    static {
        Arrays.fill(ROOT, (byte) 0x5a);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A whole peer-wire message: length, id, pieces root, base layer, index, length, proof layers, then {@code hashes} hashes. */
    static byte[] hashMessage(int id, int base, int index, int length, int proof, int hashes) {
        ByteBuffer m = ByteBuffer.allocate(4 + 1 + 48 + 32 * hashes).putInt(1 + 48 + 32 * hashes).put((byte) id).put(ROOT)
                .putInt(base).putInt(index).putInt(length).putInt(proof);
        for (int i = 0; i < hashes; i++) {
            byte[] h = new byte[32];
            Arrays.fill(h, (byte) i);
            m.put(h);
        }
        return m.array();
    }

    static byte[] hashRequest(int id, int base, int index, int length, int proof) {
        return hashMessage(id, base, index, length, proof, 0);
    }

    static HashMessage parse(byte[] message) {
        long length = ByteBuffer.wrap(message).getInt() & 0xFFFFFFFFL;
        return HashMessage.parse(message[4] & 0xff, length, message, 5);
    }

    // --- BEP 52

    @Test
    void hashRequestHashesAndRejectAsTheSpecificationDefinesThem() {
        HashMessage request = parse(hashRequest(HashMessage.REQUEST, 0, 512, 512, 3));
        assertNotNull(request);
        assertArrayEquals(ROOT, request.piecesRoot());
        assertEquals(0, request.baseLayer());
        assertEquals(512, request.index());
        assertEquals(512, request.length());
        assertEquals(3, request.proofLayers());
        // hashes: the base layer's 4 hashes, then one uncle per proof layer not covered by them (BEP 52)
        HashMessage hashes = parse(hashMessage(HashMessage.HASHES, 1, 8, 4, 3, 5));
        assertNotNull(hashes);
        assertEquals(5, hashes.hashCount());
        assertNotNull(parse(hashRequest(HashMessage.REJECT, 1, 8, 4, 3)));
        assertNotNull(parse(hashRequest(HashMessage.REQUEST, 2, 6, 3, 0)), "a length truncated by the layer's end need not be a power of two");
    }

    @Test
    void theHashMessagesLibtorrentSendsAreWellFormed() {
        // ../shared/bt-captures f3 (libtorrent 2.0.8 to qBittorrent 4.5.2, a v2 torrent of 32 pieces of
        // 32 KiB): the piece layer (layer 1 above the 16 KiB blocks) asked for whole, with 4 proof
        // layers, and answered with its 32 hashes (no uncle: the request covers the whole layer)
        assertNotNull(parse(hashRequest(HashMessage.REQUEST, 1, 0, 32, 4)));
        HashMessage answer = parse(hashMessage(HashMessage.HASHES, 1, 0, 32, 4, 32));
        assertNotNull(answer);
        assertEquals(32, answer.hashCount());
    }

    @Test
    void hashMessagesThatBreakTheSpecificationAreNone() {
        assertNull(parse(hashRequest(HashMessage.REQUEST, 0, 3, 2, 0)), "index not a multiple of length");
        assertNull(parse(hashRequest(HashMessage.REQUEST, 0, 0, 0, 0)), "no hashes");
        assertNull(parse(hashRequest(HashMessage.REQUEST, 0, 0, 1 << 20, 0)), "absurd length");
        assertNull(parse(hashRequest(HashMessage.REQUEST, 64, 0, 2, 0)), "no tree has 64 layers");
        assertNull(parse(hashRequest(HashMessage.REQUEST, 0, 0, 2, 99)), "nor 99 proof layers");
        assertNull(parse(hashMessage(HashMessage.HASHES, 0, 0, 4, 0, 3)), "fewer hashes than asked for");
        assertNull(parse(hashMessage(HashMessage.HASHES, 0, 0, 4, 1, 6)), "more than one uncle per proof layer");
        assertNull(parse(hashMessage(HashMessage.REQUEST, 0, 0, 2, 0, 1)), "a request with hashes: wrong size");
        assertFalse(HashMessage.lengthFits(HashMessage.HASHES, 49 + 31));
        assertFalse(HashMessage.lengthFits(HashMessage.HASHES, 49), "hashes without a hash");
        assertFalse(HashMessage.lengthFits(7, 49), "not a BEP 52 id");
    }

    @Test
    void onlyWellFormedHashMessagesCountAndAWrongSizeIsNotPeerWire() {
        PeerWireStream good = new PeerWireStream();
        byte[] stream = concat(handshake(0), hashRequest(HashMessage.REQUEST, 0, 0, 2, 3), hashMessage(HashMessage.HASHES, 0, 0, 2, 3, 4),
                hashRequest(HashMessage.REQUEST, 0, 1, 2, 0) /* odd index: not counted */, hashRequest(HashMessage.REJECT, 0, 2, 2, 0));
        good.feedSegment(0, stream, 0, stream.length);
        assertEquals(3, good.hashMessages());
        assertFalse(good.lost());

        PeerWireStream odd = new PeerWireStream();
        byte[] wrongSize = concat(handshake(0), PeerWireStreamTest.message(HashMessage.REQUEST, 48 + 7));
        odd.feedSegment(0, wrongSize, 0, wrongSize.length);
        assertTrue(odd.lost());
        assertEquals(0, odd.hashMessages());
    }

    // --- BEP 9

    @Test
    void metadataRequestDataAndRejectAsBep9ShowsThem() {
        byte[] request = b("d8:msg_typei0e5:piecei0ee");
        MetadataMessage r = MetadataMessage.parse(request, 0, request.length);
        assertEquals(new MetadataMessage(MetadataMessage.REQUEST, 0, -1, request.length), r);
        byte[] reject = b("d8:msg_typei2e5:piecei3ee");
        assertEquals(MetadataMessage.REJECT, MetadataMessage.parse(reject, 0, reject.length).type());
        // data: the last piece of 34256 bytes is piece 2, of 34256 - 2 * 16384 = 1488 bytes
        byte[] dict = b("d8:msg_typei1e5:piecei2e10:total_sizei34256ee");
        byte[] data = concat(new byte[3], dict, new byte[1488]);
        MetadataMessage d = MetadataMessage.parse(data, 3, data.length - 3);
        assertEquals(new MetadataMessage(MetadataMessage.DATA, 2, 34256, 3 + dict.length), d);
    }

    @Test
    void metadataMessagesThatAreNone() {
        for (byte[] m : new byte[][] {
                b("d8:msg_typei1e5:piecei0e10:total_sizei34256ee"), // data without its 16 KiB
                concat(b("d8:msg_typei1e5:piecei0e10:total_sizei34256ee"), new byte[100]), // a short middle piece
                concat(b("d8:msg_typei1e5:piecei3e10:total_sizei34256ee"), new byte[10]), // a piece past the end
                concat(b("d8:msg_typei1e5:piecei0e10:total_sizei0ee"), new byte[1]),
                concat(b("d8:msg_typei1e5:piecei0ee"), new byte[100]), // data without total_size
                b("d8:msg_typei9e5:piecei0ee"), // unknown type
                b("d8:msg_typei0e5:piecei-1ee"),
                b("d8:msg_typei0e5:piecei99999999ee"), // beyond any info dictionary
                b("d8:msg_typei0e5:piecei0eexyz"), // a request followed by bytes
                b("d5:added6:\u007f\u0000\u0000\u0001\u001a\u00e1e"), // ut_pex
                b("d8:msg_typei0e5:piecei0e"), // truncated
                new byte[0], b("\u0000\u0001\u0002")}) {
            assertNull(MetadataMessage.parse(m, 0, m.length), new String(m, StandardCharsets.ISO_8859_1));
        }
    }

    // --- info dictionaries

    static final String V1 = "d6:lengthi1048576e4:name5:a.bin12:piece lengthi32768e6:pieces40:" + "x".repeat(40) + "e";
    static final String V2 = "d9:file treed5:a.bind0:d6:lengthi1048576e11:pieces root32:" + "r".repeat(32) + "eee"
            + "12:meta versioni2e4:name5:a.bin12:piece lengthi32768ee";
    static final String HYBRID = "d9:file treed5:a.bind0:d6:lengthi1048576e11:pieces root32:" + "r".repeat(32) + "eee"
            + "6:lengthi1048576e12:meta versioni2e4:name5:a.bin12:piece lengthi32768e6:pieces40:" + "x".repeat(40) + "e";

    static InfoDictionary.Kind kind(String dictionary, int chunk) {
        byte[] d = b(dictionary);
        InfoDictionary info = new InfoDictionary();
        for (int at = 0; at < d.length; at += chunk) {
            info.feed(d, at, Math.min(chunk, d.length - at));
        }
        return info.kind();
    }

    @Test
    void theVersionOfAnInfoDictionaryWhateverTheChunks() {
        for (int chunk : new int[] {1, 2, 3, 7, 16384}) {
            assertEquals(InfoDictionary.Kind.V1, kind(V1, chunk), "chunk " + chunk);
            assertEquals(InfoDictionary.Kind.V2, kind(V2, chunk), "chunk " + chunk);
            assertEquals(InfoDictionary.Kind.HYBRID, kind(HYBRID, chunk), "chunk " + chunk);
        }
        // keys deeper down do not count: a file named "pieces", a "meta version" inside the file tree
        String nested = "d9:file treed6:piecesd0:d6:lengthi1e11:pieces root32:" + "r".repeat(32) + "eee12:meta versioni2e4:name1:ae";
        assertEquals(InfoDictionary.Kind.V2, kind(nested, 5));
        String deepVersion = "d4:infod12:meta versioni2ee6:pieces20:" + "x".repeat(20) + "e";
        assertEquals(InfoDictionary.Kind.V1, kind(deepVersion, 5));
    }

    @Test
    void brokenTruncatedOrOddDictionariesAreUnknown() {
        for (String bad : new String[] {
                V1.substring(0, V1.length() - 1), // truncated
                V1 + "x", // bytes after the end
                "l" + V1.substring(1), // a list
                "d6:piecesi5ee", // pieces not a string
                "d6:pieces7:abcdefge", // not whole SHA-1s
                "d12:meta versioni3ee", // an unknown version
                "d4:namee", // a key without value
                "di5e3:abce", // an integer key
                "d4:name3:abc", "", "e", "x", "d4:name-3:abce", "d1:ai12345678901234567890ee",
                "d1:a" + "l".repeat(70) + "e".repeat(70) + "6:pieces20:" + "x".repeat(20) + "e", // nesting beyond the bound
                "d4:name5:a.bine"}) { // well-formed but neither version
            for (int chunk : new int[] {1, 4, 1000}) {
                assertEquals(InfoDictionary.Kind.UNKNOWN, kind(bad, chunk), bad + " in chunks of " + chunk);
            }
        }
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random r = new Random(11);
        byte[][] seeds = {b(V1), b(V2), b(HYBRID), b("d8:msg_typei1e5:piecei0e10:total_sizei100ee"), hashMessage(22, 0, 0, 2, 1, 3)};
        for (int i = 0; i < 30_000; i++) {
            byte[] m = seeds[r.nextInt(seeds.length)].clone();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            }
            int len = r.nextInt(m.length + 1);
            InfoDictionary info = new InfoDictionary();
            info.feed(m, 0, len);
            info.kind();
            MetadataMessage.parse(m, 0, len);
            if (len >= 53) {
                HashMessage.parse(22, len - 4, m, 5);
            }
        }
    }
}
