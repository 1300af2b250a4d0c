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
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.swarmwatch.peer.wire.Message.Bitfield;
import org.swarmwatch.peer.wire.Message.Cancel;
import org.swarmwatch.peer.wire.Message.Extended;
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
}
