package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.probe.dissect.bittorrent.PeerWireStreamTest.concat;
import static org.swarmwatch.probe.dissect.bittorrent.SwarmEvidenceTest.digest;
import static org.swarmwatch.probe.dissect.bittorrent.SwarmEvidenceTest.metadataPiece;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.probe.dissect.RecordingSink;

/**
 * What a handshaken connection proves about its hash from the info dictionary it exchanges (BEP 9)
 * and from the BEP 52 upgrade of a hybrid torrent: v1, v2 and hybrid dictionaries built as the
 * specifications describe them.
 */
class MetadataEvidenceTest {
    final RecordingSink sink = new RecordingSink();

    /** An info dictionary of at least {@code size} bytes: a single file, a name padded to the size. */
    static byte[] dictionary(String kind, int size) {
        String pieces = "6:pieces40:" + "p".repeat(40);
        String tree = "9:file treed5:a.bind0:d6:lengthi1048576e11:pieces root32:" + "r".repeat(32) + "eee";
        String head = switch (kind) {
            case "v1" -> "d6:lengthi1048576e";
            case "v2" -> "d" + tree;
            case "hybrid" -> "d" + tree + "6:lengthi1048576e";
            default -> throw new IllegalArgumentException(kind);
        };
        String version = kind.equals("v1") ? "" : "12:meta versioni2e";
        String rest = "12:piece lengthi32768e" + (kind.equals("v2") ? "" : pieces) + "e";
        int nameLength = Math.max(1, size - head.length() - version.length() - rest.length() - 12);
        String name = "4:name" + nameLength + ":" + "n".repeat(nameLength);
        return (head + version + name + rest).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The ut_metadata data messages (extended id 3) that carry {@code info}, in order. */
    static byte[] metadataMessages(byte[] info) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int piece = 0; piece * 16384 < info.length; piece++) {
            out.writeBytes(metadataPiece(piece, info.length, Arrays.copyOfRange(info, piece * 16384, Math.min(info.length, (piece + 1) * 16384))));
        }
        return out.toByteArray();
    }

    static String hex(byte[] h) {
        return HexFormat.of().formatHex(h, 0, 3);
    }

    /** A connection where the responder (a libtorrent seeder) sends the info dictionary after its handshake on {@code hash}. */
    PeerWireConnection exchange(byte[] hash, byte[] info) {
        PeerWireConnection c = new PeerWireConnection(6881);
        c.stream(true).feed(SwarmEvidenceTest.handshake(hash, "-qB4520-"), 0, 68);
        byte[] responder = concat(SwarmEvidenceTest.handshake(hash, "-LT2080-"), metadataMessages(info));
        for (int at = 0; at < responder.length; at += 1448) {
            c.stream(false).feedSegment(7 + at, responder, at, Math.min(1448, responder.length - at));
        }
        c.report(sink);
        return c;
    }

    @Test
    void aHybridDictionaryUnderItsTruncatedV2HashGivesBothInfohashes() throws Exception {
        byte[] info = dictionary("hybrid", 40000);
        byte[] sha1 = digest("SHA-1", info), sha256 = digest("SHA-256", info);
        exchange(Arrays.copyOf(sha256, 20), info);
        assertTrue(sink.observations.containsAll(List.of(
                "responder handshake btih_v2_truncated announcing " + hex(sha256) + " libtorrent 2.0.8",
                "responder metadata btih_v2 announcing " + hex(sha256) + " libtorrent 2.0.8",
                "responder metadata btih_v1 announcing " + hex(sha1) + " libtorrent 2.0.8",
                "initiator metadata btih_v1 announcing " + hex(sha1) + " qBittorrent 4.5.2")), sink.observations.toString());
        assertTrue(sink.facts.containsAll(List.of("kind " + hex(sha256) + " btih_v2_truncated", "kind " + hex(sha1) + " btih_v1")));
        assertEquals(64, sink.hashes.stream().filter(h -> h.kind().wireName().equals("btih_v2")).findFirst().orElseThrow().hex().length());
    }

    @Test
    void aHybridDictionaryUnderItsSha1GivesTheFullV2Hash() throws Exception {
        byte[] info = dictionary("hybrid", 3000);
        byte[] sha1 = digest("SHA-1", info), sha256 = digest("SHA-256", info);
        exchange(sha1, info);
        assertTrue(sink.observations.containsAll(List.of(
                "responder handshake btih_v1 announcing " + hex(sha1) + " libtorrent 2.0.8",
                "responder metadata btih_v2 announcing " + hex(sha256) + " libtorrent 2.0.8")), sink.observations.toString());
        assertEquals(4, sink.observations.size(), "a handshake and the v2 hash per side: " + sink.observations);
        assertTrue(sink.facts.contains("kind " + hex(sha256) + " btih_v2_truncated"), "the v2 twin's kind, for its tracker announces");
    }

    @Test
    void aV1DictionaryProvesV1AndAddsNothing() throws Exception {
        byte[] info = dictionary("v1", 20000);
        byte[] sha1 = digest("SHA-1", info);
        PeerWireConnection c = exchange(sha1, info);
        assertEquals(InfoDictionary.Kind.V1, c.fromResponder.metadataKind());
        assertEquals(List.of("initiator handshake btih_v1 announcing " + hex(sha1) + " qBittorrent 4.5.2",
                "responder handshake btih_v1 announcing " + hex(sha1) + " libtorrent 2.0.8"), sink.observations);
    }

    @Test
    void aV2DictionaryGivesItsFullHash() throws Exception {
        byte[] info = dictionary("v2", 500);
        byte[] sha256 = digest("SHA-256", info);
        PeerWireConnection c = exchange(Arrays.copyOf(sha256, 20), info);
        assertEquals(InfoDictionary.Kind.V2, c.fromResponder.metadataKind());
        assertTrue(sink.observations.contains("responder metadata btih_v2 announcing " + hex(sha256) + " libtorrent 2.0.8"));
        assertTrue(sink.observations.stream().noneMatch(o -> o.contains("btih_v1")), sink.observations.toString());
    }

    @Test
    void metadataOfAnotherHashIsNotBelieved() throws Exception {
        byte[] info = dictionary("hybrid", 3000);
        byte[] other = new byte[20];
        Arrays.fill(other, (byte) 0x42);
        PeerWireConnection c = exchange(other, info);
        assertEquals("btih", c.kind(other).wireName(), "the dictionary hashes to neither form of the handshake's hash");
        assertTrue(sink.observations.stream().noneMatch(o -> o.contains("metadata")), sink.observations.toString());
    }

    @Test
    void anOversizedDictionaryIsNotHashed() {
        PeerWireStream s = new PeerWireStream();
        long tooBig = PeerWireStream.MAX_METADATA + 1;
        byte[] stream = concat(SwarmEvidenceTest.handshake(new byte[20], "-LT2080-"), metadataPiece(0, (int) tooBig, new byte[16384]));
        s.feed(stream, 0, stream.length);
        assertNull(s.metadataSha1());
        assertEquals(InfoDictionary.Kind.UNKNOWN, s.metadataKind());
    }

    @Test
    void theBep52UpgradeOfAHybridConnectionTellsBothKinds() {
        byte[] v1 = new byte[20], v2 = new byte[20];
        Arrays.fill(v1, (byte) 0x11);
        Arrays.fill(v2, (byte) 0x22);
        long v2Bit = 0x0000_0000_0010_0015L; // extension protocol, fast, DHT and "supports v2" (BEP 52)
        PeerWireConnection c = new PeerWireConnection(6881);
        c.stream(true).feed(ByteBuffer.allocate(68).put(PeerWireHandshake.HEADER).putLong(v2Bit).put(v1)
                .put(PeerIdsTest.id("-qB4520-")).array(), 0, 68);
        c.stream(false).feed(SwarmEvidenceTest.handshake(v2, "-LT2080-"), 0, 68);
        c.report(sink);
        assertEquals(List.of("initiator handshake btih_v1 announcing 111111 qBittorrent 4.5.2",
                "responder handshake btih_v2_truncated announcing 222222 libtorrent 2.0.8"), sink.observations);

        RecordingSink without = new RecordingSink();
        PeerWireConnection plain = new PeerWireConnection(6881);
        plain.stream(true).feed(SwarmEvidenceTest.handshake(v1, "-qB4520-"), 0, 68);
        plain.stream(false).feed(SwarmEvidenceTest.handshake(v2, "-LT2080-"), 0, 68);
        plain.report(without);
        assertEquals(List.of("initiator handshake btih announcing 111111 qBittorrent 4.5.2",
                "responder handshake btih announcing 222222 libtorrent 2.0.8"), without.observations, "without the v2 bit, no upgrade");
    }
}
