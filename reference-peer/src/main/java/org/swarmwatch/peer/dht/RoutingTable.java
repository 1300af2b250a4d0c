package org.swarmwatch.peer.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The nodes this node knows (BEP 5, "Routing Table"): k-buckets of at most {@link #K} good nodes.
 *
 * <p>Layout: bucket {@code i} holds the nodes whose id shares exactly {@code i} leading bits with
 * ours (the last one, 160, would be our own id and stays empty). That is BEP 5's table with every
 * bucket that could be split already split: a bucket covering a range without our id is never
 * split there, and here it is one prefix length, so the two hold the same nodes. At most
 * 160 x 8 = 1280 entries, however many nodes write to us.
 *
 * <p>Only nodes that have answered a query or sent one are added ("good"); a node that fails to
 * answer {@link #MAX_FAILURES} of our queries in a row is bad and the first to be replaced by a
 * new node. A full bucket of nodes that answer keeps them, as BEP 5 says (old nodes that stay up
 * are the most valuable); BEP 5's pinging of questionable nodes is replaced by counting failures
 * on the queries a lookup sends anyway. An address moves to a new id only when the old one is
 * bad; one id at one address at a time.
 */
final class RoutingTable {
    static final int K = 8;
    static final int MAX_FAILURES = 2;

    private static final class Entry {
        final Contact contact;
        int failures;

        Entry(Contact contact) {
            this.contact = contact;
        }
    }

    private final NodeId own;
    private final List<List<Entry>> buckets = new ArrayList<>();

    RoutingTable(NodeId own) {
        this.own = own;
        for (int i = 0; i <= NodeId.LENGTH * 8; i++) {
            buckets.add(new ArrayList<>(0));
        }
    }

    /** A node answered or asked: added, refreshed, or (full bucket of good nodes) ignored. */
    synchronized void heard(Contact c) {
        if (c.id().equals(own)) {
            return;
        }
        Entry sameAddress = find(c.address());
        if (sameAddress != null && !sameAddress.contact.id().equals(c.id())) {
            if (sameAddress.failures < MAX_FAILURES) {
                return; // another id claims a live node's address
            }
            bucket(sameAddress.contact.id()).remove(sameAddress);
        }
        List<Entry> bucket = bucket(c.id());
        for (Entry e : bucket) {
            if (e.contact.id().equals(c.id())) {
                if (e.contact.address().equals(c.address())) {
                    e.failures = 0;
                }
                return; // the same id from elsewhere does not take over the entry
            }
        }
        if (bucket.size() < K) {
            bucket.add(new Entry(c));
            return;
        }
        Entry worst = bucket.stream().max(Comparator.comparingInt((Entry e) -> e.failures)).orElseThrow();
        if (worst.failures >= MAX_FAILURES) {
            bucket.remove(worst);
            bucket.add(new Entry(c));
        }
    }

    /** A node did not answer a query of ours. */
    synchronized void failed(InetSocketAddress address) {
        Entry e = find(address);
        if (e != null) {
            e.failures++;
        }
    }

    /** Up to {@code n} good nodes closest to {@code target}, closest first. */
    synchronized List<Contact> closest(NodeId target, int n) {
        List<Contact> all = new ArrayList<>();
        for (List<Entry> b : buckets) {
            for (Entry e : b) {
                if (e.failures < MAX_FAILURES) {
                    all.add(e.contact);
                }
            }
        }
        all.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    synchronized int size() {
        return buckets.stream().mapToInt(List::size).sum();
    }

    private List<Entry> bucket(NodeId id) {
        return buckets.get(own.commonPrefixLength(id));
    }

    private Entry find(InetSocketAddress address) {
        for (List<Entry> b : buckets) {
            for (Entry e : b) {
                if (e.contact.address().equals(address)) {
                    return e;
                }
            }
        }
        return null;
    }
}
