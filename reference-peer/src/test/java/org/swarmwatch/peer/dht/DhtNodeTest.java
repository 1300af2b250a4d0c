package org.swarmwatch.peer.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.swarmwatch.peer.dht.KrpcMessage.AnnouncePeer;
import org.swarmwatch.peer.dht.KrpcMessage.FindNode;
import org.swarmwatch.peer.dht.KrpcMessage.GetPeers;
import org.swarmwatch.peer.dht.KrpcMessage.Ping;
import org.swarmwatch.peer.dht.KrpcMessage.Response;

/**
 * Reference DHT nodes on 127.0.0.1: a swarm bootstrapped as a chain that finds an announced
 * peer, the token and implied_port rules, and what hostile datagrams get (raw UDP from the test).
 */
class DhtNodeTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final byte[] HASH = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

    static DhtConfig config(InetSocketAddress... bootstrap) {
        return DhtConfig.defaults().withBootstrap(List.of(bootstrap)).withRefresh(Duration.ofMillis(500));
    }

    /** A bare UDP socket on 127.0.0.1 (or another loopback address) speaking KRPC by hand. */
    static final class Raw implements AutoCloseable {
        final DatagramSocket socket;

        Raw(String address) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(address, 0));
            socket.setSoTimeout(5000);
        }

        void send(InetSocketAddress to, byte[] datagram) throws IOException {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
        }

        /** The next datagram, decoded; null if none comes within 5 s (or within {@code ms}). */
        KrpcMessage receive(int ms) throws IOException {
            socket.setSoTimeout(ms);
            byte[] b = new byte[4096];
            DatagramPacket p = new DatagramPacket(b, b.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return Krpc.decode(java.util.Arrays.copyOf(b, p.getLength()));
        }

        /** The next answer (the node's own queries, from its refresh, are skipped). */
        KrpcMessage reply() throws IOException {
            KrpcMessage m;
            do {
                m = receive(5000);
            } while (m instanceof KrpcMessage.Query);
            return m;
        }

        KrpcMessage ask(InetSocketAddress to, KrpcMessage q) throws IOException {
            send(to, Krpc.encode(q));
            return reply();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void aSwarmBootstrappedAsAChainFindsAnAnnouncedPeer() throws Exception {
        List<DhtNode> swarm = new ArrayList<>();
        try {
            swarm.add(DhtNode.start(config()));
            for (int i = 1; i < 8; i++) {
                swarm.add(DhtNode.start(config(swarm.get(i - 1).address()))); // each knows only the one before
            }
            for (DhtNode n : swarm) {
                n.bootstrap();
            }
            DhtNode last = swarm.get(swarm.size() - 1), first = swarm.get(0);
            assertTrue(last.stats().nodes() >= 3, "the last node learnt of more than its bootstrap node: " + last.stats());

            DhtNode.Lookup announced = last.announce(HASH, 4242, false);
            assertTrue(announced.announced() >= 1, "some node took the announce: " + announced);

            DhtNode.Lookup found = first.getPeers(HASH);
            assertTrue(found.peers().contains(new InetSocketAddress(LOOPBACK, 4242)), "found the announced peer: " + found);
            long storing = swarm.stream().filter(n -> !n.storedPeers(HASH).isEmpty()).count();
            assertEquals(announced.announced(), storing, "each node that acknowledged the announce stores the peer");
        } finally {
            swarm.forEach(DhtNode::close);
        }
    }

    @Test
    void announcePeerNeedsTheTokenGivenToTheSameAddressAndHonoursImpliedPort() throws Exception {
        try (DhtNode node = DhtNode.start(config()); Raw me = new Raw("127.0.0.1"); Raw other = new Raw("127.0.0.2")) {
            NodeId mine = NodeId.random(), hash = NodeId.of(HASH);
            byte[] t = {1};
            var none = (Response) me.ask(node.address(), new GetPeers(t, mine, false, hash));
            assertTrue(none.values().isEmpty(), "no peers yet");
            byte[] token = none.token();
            assertNotNull(token, "get_peers hands out a token");

            var bad = assertInstanceOf(KrpcMessage.Error.class, me.ask(node.address(), new AnnouncePeer(t, mine, false, hash, 7000, false,
                    new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
            assertEquals(KrpcException.PROTOCOL, bad.code());
            var stolen = assertInstanceOf(KrpcMessage.Error.class, other.ask(node.address(), new AnnouncePeer(t, NodeId.random(), false,
                    hash, 7000, false, token)));
            assertEquals("bad token", stolen.message(), "a token is bound to the IP address it was given to");

            assertInstanceOf(Response.class, me.ask(node.address(), new AnnouncePeer(t, mine, false, hash, 7000, false, token)));
            assertInstanceOf(Response.class, me.ask(node.address(), new AnnouncePeer(t, mine, false, hash, 7000, true, token)));
            assertEquals(List.of(new InetSocketAddress(LOOPBACK, me.address().getPort()), new InetSocketAddress(LOOPBACK, 7000)),
                    node.storedPeers(HASH), "implied_port stores the UDP source port, the newest first");

            var values = (Response) me.ask(node.address(), new GetPeers(t, mine, false, hash));
            assertEquals(node.storedPeers(HASH), values.values(), "get_peers now answers with values");
            assertTrue(values.nodes().isEmpty());
        }
    }

    @Test
    void hostileDatagramsAreAnsweredOrDroppedAndTheNodeGoesOn() throws Exception {
        try (DhtNode node = DhtNode.start(config()); Raw me = new Raw("127.0.0.1")) {
            InetSocketAddress to = node.address();
            me.send(to, new byte[4000]); // longer than any KRPC message
            me.send(to, ("d1:ad2:id20:abcdefghij01234567891:x" + "l".repeat(300) + "e".repeat(300) + "e1:q4:ping1:t2:aa1:y1:qe")
                    .getBytes(StandardCharsets.US_ASCII)); // nested too deep: not bencoding we read
            me.send(to, "garbage".getBytes(StandardCharsets.US_ASCII));
            me.send(to, KrpcTest.ascii("d1:ad2:id20:abcdefghij0123456789e1:q4:vote1:t1:z1:y1:qe"));
            var unknown = assertInstanceOf(KrpcMessage.Error.class, me.reply());
            assertEquals(KrpcException.METHOD_UNKNOWN, unknown.code());
            me.send(to, KrpcTest.ascii("d1:ad2:id2:abe1:q4:ping1:t1:z1:y1:qe"));
            var malformed = assertInstanceOf(KrpcMessage.Error.class, me.reply());
            assertEquals(KrpcException.PROTOCOL, malformed.code());
            assertEquals("z", new String(malformed.transaction(), StandardCharsets.US_ASCII));

            var pong = assertInstanceOf(Response.class, me.ask(to, new Ping(new byte[] {5}, NodeId.random(), false)));
            assertEquals(node.id(), pong.nodeId(), "still answering");
            DhtNode.Stats s = node.stats();
            assertEquals(1, s.oversized(), s.toString());
            assertTrue(s.malformed() >= 4, s.toString());
        }
    }

    @Test
    void aFloodFillsNeitherTheStoreNorTheAnswersBeyondTheirBounds() throws Exception {
        DhtConfig small = new DhtConfig(LOOPBACK, 0, List.of(), InetAddress::isLoopbackAddress, 1500, 4, 3, Duration.ofMinutes(30),
                Duration.ofMinutes(5), Duration.ofSeconds(2), 256, 100_000, Duration.ofSeconds(30));
        try (DhtNode node = DhtNode.start(small); Raw me = new Raw("127.0.0.1")) {
            NodeId mine = NodeId.random();
            byte[] token = ((Response) me.ask(node.address(), new GetPeers(new byte[] {1}, mine, false, NodeId.random()))).token();
            for (int torrent = 0; torrent < 10; torrent++) {
                NodeId hash = NodeId.random();
                for (int port = 1; port <= 10; port++) {
                    assertInstanceOf(Response.class, me.ask(node.address(), new AnnouncePeer(new byte[] {2}, mine, false, hash, port, false, token)));
                }
                assertEquals(3, node.storedPeers(hash.bytes()).size(), "peers per torrent capped");
                assertEquals(List.of(10, 9, 8), node.storedPeers(hash.bytes()).stream().map(InetSocketAddress::getPort).toList(),
                        "the newest announces kept");
            }
            assertEquals(4, node.stats().torrents(), "torrents capped");
            assertEquals(12, node.stats().peers());
        }
        DhtConfig slow = new DhtConfig(LOOPBACK, 0, List.of(), InetAddress::isLoopbackAddress, 1500, 4, 3, Duration.ofMinutes(30),
                Duration.ofMinutes(5), Duration.ofSeconds(2), 256, 20, Duration.ofSeconds(30));
        try (DhtNode node = DhtNode.start(slow); Raw me = new Raw("127.0.0.1")) {
            byte[] ping = Krpc.encode(new Ping(new byte[] {3}, NodeId.random(), false));
            for (int i = 0; i < 2000; i++) {
                me.send(node.address(), ping);
            }
            waitFor("the flood to be counted", () -> node.stats().flooded() > 0);
            int answers = 0;
            while (me.receive(1000) instanceof Response) {
                answers++;
            }
            assertTrue(answers < 2000, "not every query of a flood is answered: " + answers);
        }
    }

    @Test
    void nodesOutsideLoopbackAreNeverContactedEvenWhenAnotherNodeNamesThem() throws Exception {
        try (Raw liar = new Raw("127.0.0.1"); Raw honest = new Raw("127.0.0.1");
                DhtNode node = DhtNode.start(config(new InetSocketAddress("192.0.2.1", 6881), liar.address()))) {
            // the node bootstraps: its find_node goes to the liar, never to 192.0.2.1
            var q = assertInstanceOf(FindNode.class, liar.receive(10_000));
            Contact outside = new Contact(NodeId.random(), new InetSocketAddress("192.0.2.7", 6881));
            Contact inside = new Contact(NodeId.random(), honest.address());
            liar.send(node.address(), Krpc.encode(new Response(q.transaction(), NodeId.random(), List.of(outside, inside), List.of(), null)));
            assertInstanceOf(FindNode.class, honest.receive(10_000), "the loopback node it learnt of is asked");
            waitFor("both outside addresses refused", () -> node.stats().refused() >= 2);
            assertArrayEquals(node.id().bytes(), q.nodeId().bytes());
        }
    }
}
