package org.swarmwatch.peer.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Everything a {@link DhtNode} bounds, in one place.
 *
 * @param bindAddress        the UDP address to listen and send from (127.0.0.1 by default; IPv4:
 *                           BEP 5's compact forms have no room for IPv6)
 * @param port               UDP port, 0 for a free one
 * @param bootstrap          the only nodes it starts from; empty by default, and no well-known
 *                           router is ever added, so a node joins only the DHT it is told of
 * @param mayContact         which addresses any datagram may go to (queries, answers, nodes learnt
 *                           from others' {@code nodes}); loopback only by default
 * @param maxDatagram        longest datagram read; a longer one is dropped unread
 * @param maxTorrents        info hashes the peer store keeps
 * @param maxPeersPerTorrent peers kept per info hash
 * @param peerTtl            a stored peer is forgotten this long after its last announce
 * @param tokenRotation      how often the token secret changes (a token lives one to two of these)
 * @param queryTimeout       how long to wait for an answer to one query
 * @param maxPending         queries of ours awaiting an answer at once; more fail at once
 * @param maxQueriesPerSecond queries answered per second, from everyone; more are dropped unanswered
 * @param refreshInterval    how often the store is expired and, if the table is thin, bootstrap redone
 */
public record DhtConfig(InetAddress bindAddress, int port, List<InetSocketAddress> bootstrap, Predicate<InetAddress> mayContact,
        int maxDatagram, int maxTorrents, int maxPeersPerTorrent, Duration peerTtl, Duration tokenRotation, Duration queryTimeout,
        int maxPending, int maxQueriesPerSecond, Duration refreshInterval) {

    public DhtConfig {
        bootstrap = List.copyOf(bootstrap);
    }

    public static DhtConfig defaults() {
        return new DhtConfig(InetAddress.getLoopbackAddress(), 0, List.of(), InetAddress::isLoopbackAddress, 1500, 2000, 100,
                Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofSeconds(2), 256, 1000, Duration.ofSeconds(30));
    }

    public DhtConfig withAddress(InetAddress bind, int port, Predicate<InetAddress> contact) {
        return new DhtConfig(bind, port, bootstrap, contact, maxDatagram, maxTorrents, maxPeersPerTorrent, peerTtl, tokenRotation,
                queryTimeout, maxPending, maxQueriesPerSecond, refreshInterval);
    }

    public DhtConfig withBootstrap(List<InetSocketAddress> nodes) {
        return new DhtConfig(bindAddress, port, nodes, mayContact, maxDatagram, maxTorrents, maxPeersPerTorrent, peerTtl, tokenRotation,
                queryTimeout, maxPending, maxQueriesPerSecond, refreshInterval);
    }

    public DhtConfig withStore(int torrents, int peersPerTorrent, Duration ttl) {
        return new DhtConfig(bindAddress, port, bootstrap, mayContact, maxDatagram, torrents, peersPerTorrent, ttl, tokenRotation,
                queryTimeout, maxPending, maxQueriesPerSecond, refreshInterval);
    }

    public DhtConfig withRefresh(Duration refresh) {
        return new DhtConfig(bindAddress, port, bootstrap, mayContact, maxDatagram, maxTorrents, maxPeersPerTorrent, peerTtl, tokenRotation,
                queryTimeout, maxPending, maxQueriesPerSecond, refresh);
    }
}
