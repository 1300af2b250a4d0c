package org.swarmwatch.peer.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.peer.wire.Message.Bitfield;
import org.swarmwatch.peer.wire.Message.Cancel;
import org.swarmwatch.peer.wire.Message.Extended;
import org.swarmwatch.peer.wire.Message.HashReject;
import org.swarmwatch.peer.wire.Message.HashRequest;
import org.swarmwatch.peer.wire.Message.Hashes;
import org.swarmwatch.peer.wire.Message.Have;
import org.swarmwatch.peer.wire.Message.Interested;
import org.swarmwatch.peer.wire.Message.KeepAlive;
import org.swarmwatch.peer.wire.Message.Piece;
import org.swarmwatch.peer.wire.Message.Request;
import org.swarmwatch.peer.wire.Message.Unknown;

class MessageCodecTest {
    final MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_LENGTH);

    Message read(byte[] wire) throws IOException {
        return codec.read(new DataInputStream(new ByteArrayInputStream(wire)));
    }

    @Test
    void messagesGoAndComeBack() throws IOException {
        for (Message m : List.of(new KeepAlive(), new Interested(), new Have(7), new Request(1, 16384, 16384),
                new Cancel(1, 0, 100), new Bitfield(new byte[] {(byte) 0xf0}))) {
            assertEquals(m.getClass(), read(MessageCodec.encode(m)).getClass());
        }
        Piece p = (Piece) read(MessageCodec.encode(new Piece(3, 32, new byte[] {1, 2, 3})));
        assertEquals(3, p.piece());
        assertEquals(32, p.begin());
        assertArrayEquals(new byte[] {1, 2, 3}, p.block());
        Extended e = (Extended) read(MessageCodec.encode(new Extended(0, new byte[] {'d', 'e'})));
        assertEquals(0, e.id());
    }

    @Test
    void anUnknownIdIsSkippedNotKept() throws IOException {
        Unknown u = (Unknown) read(HexFormat.of().parseHex("000000040e010203"));
        assertEquals(14, u.id());
    }

    @Test
    void oversizedAndMisSizedMessagesAreProtocolErrors() {
        ProtocolException big = assertThrows(ProtocolException.class, () -> read(HexFormat.of().parseHex("7fffffff07")));
        assertTrue(big.getMessage().contains("above the limit"), big.getMessage());
        assertThrows(ProtocolException.class, () -> read(HexFormat.of().parseHex("ffffffff")));
        assertThrows(ProtocolException.class, () -> read(HexFormat.of().parseHex("000000020100")));   // unchoke with a body
        assertThrows(ProtocolException.class, () -> read(HexFormat.of().parseHex("000000040400000001"))); // short have
        assertThrows(ProtocolException.class, () -> read(HexFormat.of().parseHex("000000050700000001"))); // piece w/o header
        assertThrows(ProtocolException.class, () -> read(HexFormat.of().parseHex("0000000114")));     // extended w/o id
    }

    @Test
    void aHandshakeIsSixtyEightBytesAndAnythingElseIsRefusedEarly() throws IOException {
        byte[] hash = new byte[20], id = new byte[20];
        hash[0] = 1;
        Handshake h = new Handshake(Handshake.extensionReserved(), hash, id);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.writeTo(out);
        assertEquals(68, out.size());
        Handshake back = Handshake.readFrom(new DataInputStream(new ByteArrayInputStream(out.toByteArray())));
        assertTrue(back.supportsExtensions());
        assertArrayEquals(hash, back.infoHash());
        byte[] mse = new byte[96]; // an MSE/PE opening: a Diffie-Hellman key, not "19 BitTorrent protocol"
        mse[0] = (byte) 0x9c;
        assertThrows(ProtocolException.class, () -> Handshake.readFrom(new DataInputStream(new ByteArrayInputStream(mse))));
    }

    @Test
    void extensionHandshakesAndMetadataMessagesAreReadAndBrokenOnesRefused() throws IOException {
        Extensions.Handshake h = Extensions.readHandshake(Extensions.handshake(40000, 256));
        assertEquals(Extensions.UT_METADATA, h.utMetadata());
        assertEquals(40000, h.metadataSize());
        byte[] data = Extensions.encode(new Extensions.Metadata(Extensions.Metadata.DATA, 2, 40000, new byte[] {'d', 'e'}));
        Extensions.Metadata m = Extensions.readMetadata(data);
        assertEquals(2, m.piece());
        assertEquals(40000, m.totalSize());
        assertArrayEquals(new byte[] {'d', 'e'}, m.data(), "the bytes after the dictionary");
        assertThrows(ProtocolException.class, () -> Extensions.readHandshake("li1ee".getBytes()));
        assertThrows(ProtocolException.class, () -> Extensions.readMetadata("d8:msg_typei9e5:piecei0ee".getBytes()));
        assertThrows(ProtocolException.class, () -> Extensions.readMetadata("d8:msg_type".getBytes()));
    }

    static final byte[] ROOT = HexFormat.of().parseHex("8a30".repeat(16));

    @Test
    void bep52HashMessagesGoAndComeBack() throws IOException {
        HashRequest r = (HashRequest) read(MessageCodec.encode(new HashRequest(ROOT, 2, 512, 512, 11)));
        assertArrayEquals(ROOT, r.piecesRoot());
        assertEquals(List.of(2, 512, 512, 11), List.of(r.base(), r.index(), r.length(), r.proofLayers()));
        assertEquals(4 + 49, MessageCodec.encode(r).length);
        HashReject j = (HashReject) read(MessageCodec.encode(new HashReject(ROOT, 0, 6, 2, 3)));
        assertEquals(List.of(0, 6, 2, 3), List.of(j.base(), j.index(), j.length(), j.proofLayers()));
        byte[] hashes = new byte[(4 + 2) * 32]; // 4 base hashes (2 layers high) and proof layers 3: 2 uncles
        hashes[100] = 7;
        Hashes h = (Hashes) read(MessageCodec.encode(new Hashes(ROOT, 1, 8, 4, 3, hashes)));
        assertArrayEquals(hashes, h.hashes());
        assertEquals(List.of(1, 8, 4, 3), List.of(h.base(), h.index(), h.length(), h.proofLayers()));
        assertEquals(2, MessageCodec.uncles(4, 3), "the siblings of the subtree's root and of its parent");
        assertEquals(0, MessageCodec.uncles(512, 8), "proof layers within the base subtree need no uncle");
        assertEquals(1, MessageCodec.uncles(512, 9));
    }

    @Test
    void malformedHashMessagesAreProtocolErrorsNamingTheField() {
        assertRefused("length 3 is not a power of two", new HashRequest(ROOT, 0, 0, 3, 0));
        assertRefused("length 1 is not a power of two", new HashRequest(ROOT, 0, 0, 1, 0));
        assertRefused("length 16384 is not a power of two", new HashRequest(ROOT, 0, 0, 16384, 0));
        assertRefused("index 6 is not a multiple of the length 4", new HashRequest(ROOT, 0, 6, 4, 0));
        assertRefused("base layer 64 outside", new HashReject(ROOT, 64, 0, 2, 0));
        assertRefused("base layer 4294967295 outside", new HashRequest(ROOT, -1, 0, 2, 0));
        assertRefused("proof layers 99 outside", new HashRequest(ROOT, 0, 0, 2, 99));
        assertRefused("index 4294967294 is not a multiple", new HashRequest(ROOT, 0, -2, 2, 0));
        // a hashes message whose hash count does not match its header: 2 base hashes and 1 uncle expected, 2 sent
        assertRefused("expected 3 hashes of 32 bytes (2 base, 1 uncles)", new Hashes(ROOT, 0, 0, 2, 1, new byte[64]));
        assertRefused("expected 2 hashes", new Hashes(ROOT, 0, 0, 2, 0, new byte[65]));
        // a hash request with a body of the wrong size, and a hashes message too short for its header
        byte[] longer = Arrays.copyOf(MessageCodec.encode(new HashRequest(ROOT, 0, 0, 2, 0)), 4 + 50);
        longer[3] = 50;
        assertRefused("message id 21 of length 50, expected 49", longer);
        assertRefused("no room for its header", HexFormat.of().parseHex("0000000516" + "00000000"));
    }

    private void assertRefused(String expected, Message m) {
        assertRefused(expected, MessageCodec.encode(m));
    }

    private void assertRefused(String expected, byte[] wire) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> read(wire));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
