package org.swarmwatch.peer.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.swarmwatch.peer.dht.KrpcMessage.AnnouncePeer;
import org.swarmwatch.peer.dht.KrpcMessage.FindNode;
import org.swarmwatch.peer.dht.KrpcMessage.GetPeers;
import org.swarmwatch.peer.dht.KrpcMessage.Ping;
import org.swarmwatch.peer.dht.KrpcMessage.Response;

/** KRPC messages to bytes and back, BEP 5's own examples, and what malformed datagrams become. */
class KrpcTest {
    static final NodeId A = NodeId.of("abcdefghij0123456789".getBytes(StandardCharsets.US_ASCII));
    static final NodeId B = NodeId.of("mnopqrstuvwxyz123456".getBytes(StandardCharsets.US_ASCII));

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void bep5ExampleQueriesAreReadAsWritten() throws Exception {
        var ping = assertInstanceOf(Ping.class, Krpc.decode(ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")));
        assertEquals(A, ping.nodeId());
        assertEquals("aa", text(ping.transaction()));

        var find = assertInstanceOf(FindNode.class,
                Krpc.decode(ascii("d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe")));
        assertEquals(B, find.target());

        var get = assertInstanceOf(GetPeers.class,
                Krpc.decode(ascii("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe")));
        assertEquals(B, get.infoHash());

        var announce = assertInstanceOf(AnnouncePeer.class, Krpc.decode(ascii("d1:ad2:id20:abcdefghij012345678912:implied_porti1e"
                + "9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe")));
        assertEquals(6881, announce.port());
        assertTrue(announce.impliedPort());
        assertEquals("aoeusnth", text(announce.token()));
    }

    @Test
    void bep5ExampleResponseAndErrorAreReadAsWritten() throws Exception {
        var values = assertInstanceOf(Response.class,
                Krpc.decode(ascii("d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re")));
        assertEquals(A, values.nodeId());
        assertEquals(2, values.values().size());
        assertEquals(new InetSocketAddress(InetAddress.getByAddress(ascii("axje")), ('.' << 8) | 'u'), values.values().get(0));
        assertEquals("aoeusnth", text(values.token()));

        var error = assertInstanceOf(KrpcMessage.Error.class, Krpc.decode(ascii("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")));
        assertEquals(201, error.code());
        assertEquals("A Generic Error Ocurred", error.message());
    }

    @Test
    void everyMessageSurvivesARoundTrip() throws Exception {
        byte[] t = {0, 1, 2, 3};
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 6881);
        Contact node = new Contact(B, new InetSocketAddress("127.0.0.2", 51413));
        var a = (AnnouncePeer) Krpc.decode(Krpc.encode(new AnnouncePeer(t, A, false, B, 51413, false, new byte[] {9, 9})));
        assertEquals(51413, a.port());
        assertFalse(a.impliedPort());
        assertArrayEquals(new byte[] {9, 9}, a.token());
        assertArrayEquals(t, a.transaction());

        var r = (Response) Krpc.decode(Krpc.encode(new Response(t, A, List.of(node), List.of(peer), new byte[] {7})));
        assertEquals(List.of(node), r.nodes());
        assertEquals(List.of(peer), r.values());
        assertArrayEquals(new byte[] {7}, r.token());

        var ro = (Ping) Krpc.decode(Krpc.encode(new Ping(t, A, true)));
        assertTrue(ro.readOnly(), "BEP 43's ro flag");
        var e = (KrpcMessage.Error) Krpc.decode(Krpc.encode(new KrpcMessage.Error(t, 203, "bad token")));
        assertEquals(203, e.code());
        assertEquals("bad token", e.message());
    }

    @Test
    void unknownKeysAreIgnoredAsLibtorrentSendsThem() throws Exception {
        // libtorrent's bootstrap get_peers carries 'bs', and its messages a 'v'
        var g = assertInstanceOf(GetPeers.class, Krpc.decode(ascii(
                "d1:ad2:bsi1e2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:wantl2:n4ee1:q9:get_peers1:t2:xy1:v4:LT\u0002\u00081:y1:qe")));
        assertEquals(B, g.infoHash());
    }

    /** A malformed query names its transaction, so it can be answered with the right error code. */
    @ParameterizedTest
    @ValueSource(strings = {
            "d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe", // short id
            "d1:ad2:id20:abcdefghij0123456789e1:q9:find_node1:t2:aa1:y1:qe", // no target
            "d1:ad2:id20:abcdefghij01234567899:info_hash3:abce1:q9:get_peers1:t2:aa1:y1:qe", // short info hash
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti0e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti70000e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe",
            "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti80ee1:q13:announce_peer1:t2:aa1:y1:qe", // no token
            "d1:a4:spam1:q4:ping1:t2:aa1:y1:qe", // 'a' not a dictionary
            "d1:t2:aa1:y1:xe", // unknown type
    })
    void malformedQueriesAreProtocolErrors(String datagram) {
        KrpcException e = assertThrows(KrpcException.class, () -> Krpc.decode(ascii(datagram)));
        assertEquals(KrpcException.PROTOCOL, e.code(), e.getMessage());
        assertEquals("aa", text(e.transaction()));
    }

    @Test
    void anUnknownMethodIs204() {
        KrpcException e = assertThrows(KrpcException.class,
                () -> Krpc.decode(ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:vote1:t2:aa1:y1:qe")));
        assertEquals(KrpcException.METHOD_UNKNOWN, e.code());
        assertTrue(e.getMessage().contains("vote"), e.getMessage());
    }

    /** Without a readable transaction id, or in a response, there is nobody to answer: no transaction. */
    @ParameterizedTest
    @ValueSource(strings = {
            "", "i42e", "le", "d1:y1:qe", "d1:ti1e1:y1:qe", // not a dict, no t, t not a string
            "d1:rd2:id20:abcdefghij01234567895:nodes5:abcdee1:t2:aa1:y1:re", // nodes not a multiple of 26
            "d1:rd2:id3:abce1:t2:aa1:y1:re", // short id in a response
            "d1:eli201ee1:t2:aa1:y1:ee", // error without a message
            "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qetrailing",
    })
    void unanswerableDatagramsCarryNoTransaction(String datagram) {
        KrpcException e = assertThrows(KrpcException.class, () -> Krpc.decode(ascii(datagram)));
        assertNull(e.transaction(), e.getMessage());
    }

    @Test
    void deepNestingAndLongTransactionsAreRefusedNotRecursedInto() {
        String deep = "d1:ad2:id20:abcdefghij01234567891:x" + "l".repeat(5000) + "e".repeat(5000) + "e1:q4:ping1:t2:aa1:y1:qe";
        assertThrows(KrpcException.class, () -> Krpc.decode(ascii(deep)));
        String longT = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t40:" + "x".repeat(40) + "1:y1:qe";
        assertThrows(KrpcException.class, () -> Krpc.decode(ascii(longT)));
    }

    @Test
    void randomBytesNeverThrowAnythingButKrpcException() {
        Random r = new Random(5);
        byte[] valid = Krpc.encode(new Response(new byte[] {1, 2}, A, List.of(new Contact(B, new InetSocketAddress("127.0.0.1", 1)))
                , List.of(new InetSocketAddress("127.0.0.1", 2)), new byte[] {3}));
        for (int i = 0; i < 5_000; i++) {
            byte[] b = valid.clone();
            for (int flips = 1 + r.nextInt(4); flips > 0; flips--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            byte[] cut = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
            for (byte[] d : List.of(b, cut)) {
                try {
                    Krpc.decode(d);
                } catch (KrpcException expected) {
                    // the one failure allowed
                }
            }
        }
    }
}
