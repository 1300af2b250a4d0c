package org.swarmwatch.probe.swarm;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution;

/**
 * What cleartext BitTorrent traffic taught the probe about swarms, for flows that show no hash of
 * their own (MSE-encrypted connections, connections whose handshake was not captured).
 *
 * <p>Two kinds of fact, each kept with the capture time it was last confirmed:
 * <ul>
 *   <li>an <em>endpoint</em> (address and listening port) is in the swarm of a hash: the client
 *       announced that port to a tracker or the DHT, a tracker or DHT node listed it as a peer, or
 *       it answered a plaintext handshake for the hash;</li>
 *   <li>a <em>host</em> (address alone) took part in the swarm: it announced, was told the peers,
 *       or sent a handshake.</li>
 * </ul>
 * A flow is attributed to a swarm when the hash its responder endpoint is known for is also one
 * its initiator host took part in ({@link SwarmAttribution#bothEnds()}), or, failing that, when the
 * responder endpoint is known for exactly one hash. An endpoint known for several swarms (a
 * client seeding many torrents on one port) with no initiator evidence to choose is left alone:
 * a guess is not evidence.
 *
 * <p>Bounded: at most {@code maxEntries} endpoints and hosts (least recently used go first), at
 * most {@value #HASHES_PER_ENTRY} hashes each, facts older than {@code ttlMicros} ignored and
 * dropped. Also remembers which infohashes were proven v1 or v2 ({@link #provenKind}), for as
 * many hashes. Not thread-safe: one per processing thread, like the pipeline that owns it.
 */
public final class SwarmTable {
    /** Hashes remembered per endpoint or host; a busy seeder's older swarms go first. */
    public static final int HASHES_PER_ENTRY = 4;
    /** Default number of endpoints and hosts remembered (about 20 MB). */
    public static final int DEFAULT_MAX_ENTRIES = 65_536;
    /** Default lifetime of a fact: two hours of capture time, several tracker announce intervals. */
    public static final long DEFAULT_TTL_MICROS = 2L * 3600 * 1_000_000;

    private record Key(long hi, long lo, int port) {
    }

    private static final class Entry {
        final byte[][] hashes = new byte[HASHES_PER_ENTRY][];
        final long[] seen = new long[HASHES_PER_ENTRY];
    }

    private final int maxEntries;
    private final long ttlMicros;
    private final LinkedHashMap<Key, Entry> entries;
    private final LinkedHashMap<ByteBuffer, HashKind> kinds;

    public SwarmTable() {
        this(DEFAULT_MAX_ENTRIES, DEFAULT_TTL_MICROS);
    }

    public SwarmTable(int maxEntries, long ttlMicros) {
        if (maxEntries < 1 || ttlMicros <= 0) {
            throw new IllegalArgumentException("swarm table needs at least one entry and a positive lifetime");
        }
        this.maxEntries = maxEntries;
        this.ttlMicros = ttlMicros;
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > SwarmTable.this.maxEntries;
            }
        };
        this.kinds = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, HashKind> eldest) {
                return size() > SwarmTable.this.maxEntries;
            }
        };
    }

    /**
     * The endpoint {@code address:port} is in the swarm of {@code infoHash}, and so is its host.
     * {@code port} 0 records the host only.
     */
    public void member(long hi, long lo, int port, byte[] infoHash, long nowMicros) {
        if (port > 0) {
            remember(new Key(hi, lo, port), infoHash, nowMicros);
        }
        remember(new Key(hi, lo, -1), infoHash, nowMicros);
    }

    /** The swarm of a flow from the initiator host to the responder endpoint, or null. */
    public SwarmAttribution attribute(long initiatorHi, long initiatorLo, long responderHi, long responderLo, int responderPort,
                                 long nowMicros) {
        Entry responder = fresh(new Key(responderHi, responderLo, responderPort), nowMicros);
        if (responder == null) {
            return null;
        }
        Entry initiator = fresh(new Key(initiatorHi, initiatorLo, -1), nowMicros);
        byte[] only = null;
        int count = 0;
        byte[] shared = null;
        int sharedCount = 0;
        for (int i = 0; i < HASHES_PER_ENTRY; i++) {
            byte[] h = responder.hashes[i];
            if (h == null || nowMicros - responder.seen[i] > ttlMicros) {
                continue;
            }
            only = h;
            count++;
            if (initiator != null && indexOf(initiator, h, nowMicros) >= 0) {
                shared = h;
                sharedCount++;
            }
        }
        if (sharedCount == 1) {
            return new SwarmAttribution(shared.clone(), true);
        }
        return count == 1 ? new SwarmAttribution(only.clone(), false) : null;
    }

    /** Something proved which version a 20-byte infohash is ({@code btih_v1} or {@code btih_v2_truncated}). */
    public void provenKind(byte[] infoHash, HashKind kind) {
        kinds.put(ByteBuffer.wrap(infoHash.clone()), kind);
    }

    /** The proven kind of a 20-byte infohash, or null if nothing proved it. */
    public HashKind kindOf(byte[] infoHash) {
        return kinds.get(ByteBuffer.wrap(infoHash));
    }

    /** Endpoints and hosts held now. */
    public int size() {
        return entries.size();
    }

    private void remember(Key key, byte[] hash, long now) {
        Entry e = entries.computeIfAbsent(key, k -> new Entry());
        int at = indexOf(e, hash, Long.MIN_VALUE);
        if (at < 0) {
            at = 0; // the slot unused or confirmed longest ago
            for (int i = 1; i < HASHES_PER_ENTRY && e.hashes[at] != null; i++) {
                if (e.hashes[i] == null || e.seen[i] < e.seen[at]) {
                    at = i;
                }
            }
            e.hashes[at] = hash.clone();
            e.seen[at] = now;
        } else {
            e.seen[at] = Math.max(e.seen[at], now);
        }
    }

    private Entry fresh(Key key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        for (int i = 0; i < HASHES_PER_ENTRY; i++) {
            if (e.hashes[i] != null && now - e.seen[i] <= ttlMicros) {
                return e;
            }
        }
        entries.remove(key);
        return null;
    }

    private int indexOf(Entry e, byte[] hash, long now) {
        for (int i = 0; i < HASHES_PER_ENTRY; i++) {
            if (e.hashes[i] != null && Arrays.equals(e.hashes[i], hash) && (now == Long.MIN_VALUE || now - e.seen[i] <= ttlMicros)) {
                return i;
            }
        }
        return -1;
    }
}
