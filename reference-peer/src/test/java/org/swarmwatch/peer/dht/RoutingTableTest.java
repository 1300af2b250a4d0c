package org.swarmwatch.peer.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The routing table's bounds and replacement rules, and the peer store's, as plain objects. */
class RoutingTableTest {
    static Contact contact(NodeId id, int port) {
        return new Contact(id, new InetSocketAddress("127.0.0.1", port));
    }

    /** An id sharing exactly {@code bits} leading bits with {@code own}. */
    static NodeId sharing(NodeId own, int bits) {
        byte[] b = NodeId.random().bytes(), o = own.bytes();
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            b[i / 8] = (byte) ((b[i / 8] & ~mask) | (o[i / 8] & mask));
        }
        int flip = 0x80 >>> (bits % 8);
        b[bits / 8] = (byte) ((b[bits / 8] & ~flip) | (~o[bits / 8] & flip));
        return NodeId.of(b);
    }

    @Test
    void aFloodOfNodesNeverHoldsMoreThanEightPerBucket() {
        NodeId own = NodeId.random();
        RoutingTable t = new RoutingTable(own);
        for (int i = 0; i < 20_000; i++) {
            t.heard(contact(NodeId.random(), 1 + (i % 65535)));
        }
        for (int bits = 0; bits < 40; bits++) {
            t.heard(contact(sharing(own, bits), 40_000 + bits));
        }
        int[] perBucket = new int[161];
        t.closest(own, Integer.MAX_VALUE).forEach(c -> perBucket[own.commonPrefixLength(c.id())]++);
        for (int bits = 0; bits <= 160; bits++) {
            assertTrue(perBucket[bits] <= RoutingTable.K, perBucket[bits] + " nodes sharing " + bits + " bits");
        }
        assertEquals(RoutingTable.K, perBucket[0], "the far half of the id space, flooded, holds K");
        assertEquals(1, perBucket[30], "a bucket close to our id still took the one node there");
        assertTrue(t.size() <= 160 * RoutingTable.K);
    }

    @Test
    void aFullBucketKeepsItsGoodNodesAndReplacesBadOnes() {
        NodeId own = NodeId.random();
        RoutingTable t = new RoutingTable(own);
        List<Contact> first = new ArrayList<>();
        for (int i = 0; i < RoutingTable.K; i++) {
            Contact c = contact(sharing(own, 0), 1000 + i);
            first.add(c);
            t.heard(c);
        }
        Contact newcomer = contact(sharing(own, 0), 2000);
        t.heard(newcomer);
        assertEquals(RoutingTable.K, t.size());
        assertFalse(t.closest(newcomer.id(), 20).contains(newcomer), "good nodes are not pushed out");

        for (int i = 0; i < RoutingTable.MAX_FAILURES; i++) {
            t.failed(first.get(3).address());
        }
        assertFalse(t.closest(own, 20).contains(first.get(3)), "a bad node is not handed out");
        t.heard(newcomer);
        assertTrue(t.closest(own, 20).contains(newcomer), "it replaced the bad node");
        assertEquals(RoutingTable.K, t.size());
    }

    @Test
    void anotherIdCannotTakeOverALiveNodesAddress() {
        NodeId own = NodeId.random();
        RoutingTable t = new RoutingTable(own);
        Contact live = contact(NodeId.random(), 6881);
        t.heard(live);
        Contact impostor = contact(NodeId.random(), 6881);
        t.heard(impostor);
        assertEquals(List.of(live), t.closest(own, 8));
        t.heard(contact(own, 7000));
        assertEquals(1, t.size(), "our own id is never in the table");
    }

    @Test
    void storedPeersExpire() throws InterruptedException {
        PeerStore store = new PeerStore(10, 10, 1_000_000); // 1 ms
        NodeId hash = NodeId.random();
        store.add(hash, new InetSocketAddress("127.0.0.1", 1));
        long end = System.nanoTime() + 10_000_000_000L;
        while (!store.peers(hash, 10).isEmpty()) {
            assertTrue(System.nanoTime() < end);
            Thread.sleep(5);
        }
        store.expire();
        assertEquals(0, store.torrentCount());
        assertEquals(0, store.peerCount());
    }
}
