package org.swarmwatch.peer.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers announced to this node (announce_peer), per info hash: what get_peers answers with
 * {@code values}. Bounded: at most {@code maxTorrents} info hashes (the one least recently
 * announced to or asked for goes first) and {@code maxPeersPerTorrent} peers each (the one announced least
 * recently goes first); an entry expires {@code ttlNanos} after its last announce (BEP 5 leaves
 * the time open; clients re-announce about every 15 to 30 minutes). So a flood of announces costs
 * at most {@code maxTorrents x maxPeersPerTorrent} entries.
 */
final class PeerStore {
    private final int maxTorrents, maxPeersPerTorrent;
    private final long ttlNanos;
    /** Access order: the torrent least recently announced to or asked for first. */
    private final LinkedHashMap<NodeId, LinkedHashMap<InetSocketAddress, Long>> torrents = new LinkedHashMap<>(16, 0.75f, true);

    PeerStore(int maxTorrents, int maxPeersPerTorrent, long ttlNanos) {
        this.maxTorrents = maxTorrents;
        this.maxPeersPerTorrent = maxPeersPerTorrent;
        this.ttlNanos = ttlNanos;
    }

    synchronized void add(NodeId infoHash, InetSocketAddress peer) {
        LinkedHashMap<InetSocketAddress, Long> peers = torrents.get(infoHash);
        if (peers == null) {
            if (torrents.size() >= maxTorrents) {
                Iterator<NodeId> eldest = torrents.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            peers = new LinkedHashMap<>();
            torrents.put(infoHash, peers);
        }
        peers.remove(peer); // re-inserted last: the most recent announce
        if (peers.size() >= maxPeersPerTorrent) {
            Iterator<InetSocketAddress> eldest = peers.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        peers.put(peer, System.nanoTime() + ttlNanos);
    }

    /** Up to {@code max} live peers of the torrent, the most recently announced first. */
    synchronized List<InetSocketAddress> peers(NodeId infoHash, int max) {
        LinkedHashMap<InetSocketAddress, Long> peers = torrents.get(infoHash);
        if (peers == null) {
            return List.of();
        }
        long now = System.nanoTime();
        List<InetSocketAddress> all = new ArrayList<>(peers.size());
        peers.forEach((p, expiry) -> {
            if (expiry - now > 0) {
                all.add(p);
            }
        });
        List<InetSocketAddress> out = new ArrayList<>(Math.min(max, all.size()));
        for (int i = all.size() - 1; i >= 0 && out.size() < max; i--) {
            out.add(all.get(i));
        }
        return out;
    }

    /** Drops expired peers, and torrents left without any. */
    synchronized void expire() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<NodeId, LinkedHashMap<InetSocketAddress, Long>>> it = torrents.entrySet().iterator(); it.hasNext(); ) {
            LinkedHashMap<InetSocketAddress, Long> peers = it.next().getValue();
            peers.values().removeIf(expiry -> expiry - now <= 0);
            if (peers.isEmpty()) {
                it.remove();
            }
        }
    }

    synchronized int torrentCount() {
        return torrents.size();
    }

    synchronized int peerCount() {
        return torrents.values().stream().mapToInt(Map::size).sum();
    }
}
