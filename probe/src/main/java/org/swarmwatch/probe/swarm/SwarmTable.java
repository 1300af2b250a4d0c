package org.swarmwatch.probe.swarm;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution;
import org.swarmwatch.probe.dissect.ObservationSink.SwarmAttribution.Evidence;

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
 *       or sent a handshake; with whether its latest tracker announce said it was still
 *       downloading ({@code left > 0}).</li>
 * </ul>
 * A flow is attributed ({@link #attribute}), strongest evidence first, when
 * <ol>
 *   <li>the hash its responder endpoint is known for is also one its initiator host took part in
 *       ({@link Evidence#ENDPOINT_AND_HOST}); or</li>
 *   <li>its responder endpoint is known for exactly one hash ({@link Evidence#ENDPOINT}); both
 *       tried again the other way round, for flows the capture joined mid-way, whose "initiator"
 *       is only whoever sent the first captured packet; or</li>
 *   <li>its two hosts took part in exactly one swarm in common ({@link Evidence#HOST_PAIR}): the
 *       listening port was never seen in clear, e.g. a client that announced port 0 or one behind
 *       a NAT that maps ports.</li>
 * </ol>
 * Anything else (an endpoint known for several swarms with no initiator evidence to choose, two
 * hosts sharing several swarms) is left alone: a guess is not evidence.
 *
 * <p>Layout: one {@link LinkedHashMap} in access order (an O(1) lookup by address and port, and the
 * least recently used entry first in line for eviction), a fixed-size entry per endpoint or host
 * holding up to {@value #HASHES_PER_ENTRY} hashes in one flat array with their times. So memory is
 * bounded by the entry count: about {@value #BYTES_PER_ENTRY} bytes an entry, measured
 * (docs/benchmarks.md), including the proven kinds kept beside them. A fact counts for a flow
 * whose time is within the lifetime of it, before or after; facts older than the lifetime are
 * ignored at once and dropped by {@link #expire} (the pipeline calls it every stats interval)
 * or when next looked up. Also remembers which infohashes were proven v1 or v2
 * ({@link #provenKind}), for a quarter as many hashes as entries.
 *
 * <p>Holds raw addresses, in memory only: nothing here is written or logged (docs/privacy.md).
 * Not thread-safe: one per processing thread, like the pipeline that owns it.
 */
public final class SwarmTable {
    /** Hashes remembered per endpoint or host; a busy seeder's older swarms go first. */
    public static final int HASHES_PER_ENTRY = 4;
    /** Memory an entry costs, measured with full entries (docs/benchmarks.md), kinds included. */
    public static final int BYTES_PER_ENTRY = 320;

    private static final int HASH = 20;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final int HOST = -1;
    /** A fact that says nothing of downloading: the slot's hint stays (false for a new slot). */
    private static final int KEEP = -1;

    /** An endpoint ({@code port} 1..65535) or a host ({@code port} -1); IPv4 addresses in {@code lo}. */
    private record Key(long hi, long lo, int port) {
    }

    private static final class Entry {
        final byte[] hashes = new byte[HASHES_PER_ENTRY * HASH];
        final long[] seen = {EMPTY, EMPTY, EMPTY, EMPTY};
        /** Bit i: the latest fact of slot i said the host was still downloading. */
        int fetching;
    }

    private final int maxEntries;
    private final long ttlMicros;
    private final LinkedHashMap<Key, Entry> entries;
    private final LinkedHashMap<ByteBuffer, HashKind> kinds;
    private long evicted, expired;

    /** A table with {@link SwarmTableConfig#defaults()}. */
    public SwarmTable() {
        this(SwarmTableConfig.maxEntriesForMemory(SwarmTableConfig.DEFAULT_MEMORY), SwarmTableConfig.DEFAULT_TTL.toNanos() / 1000);
    }

    /** At most {@code maxEntries} endpoints and hosts; facts count for {@code ttlMicros} of capture time. */
    public SwarmTable(int maxEntries, long ttlMicros) {
        if (maxEntries < 1 || ttlMicros <= 0) {
            throw new IllegalArgumentException("swarm table needs at least one entry and a positive lifetime");
        }
        this.maxEntries = maxEntries;
        this.ttlMicros = ttlMicros;
        int maxKinds = Math.max(16, maxEntries / 4);
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                if (size() <= SwarmTable.this.maxEntries) {
                    return false;
                }
                evicted++;
                return true;
            }
        };
        this.kinds = new LinkedHashMap<>(Math.min(maxKinds, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, HashKind> eldest) {
                return size() > maxKinds;
            }
        };
    }

    /**
     * The endpoint {@code address:port} is in the swarm of {@code infoHash}, and so is its host.
     * {@code port} 0 records the host only. Says nothing of whether the host is downloading: what
     * its last announce said stays.
     */
    public void member(long hi, long lo, int port, byte[] infoHash, long nowMicros) {
        member(hi, lo, port, infoHash, 0, KEEP, nowMicros);
    }

    /**
     * As {@link #member(long, long, int, byte[], long)}, for the 20 bytes at {@code hash[offset]},
     * from an announce that said whether the host is still downloading ({@code fetching}: a
     * tracker announce with {@code left > 0}); a later announce about the same swarm overwrites it.
     */
    public void member(long hi, long lo, int port, byte[] hash, int offset, boolean fetching, long nowMicros) {
        member(hi, lo, port, hash, offset, fetching ? 1 : 0, nowMicros);
    }

    private void member(long hi, long lo, int port, byte[] hash, int offset, int fetching, long nowMicros) {
        if (port > 0 && port <= 0xffff) {
            remember(new Key(hi, lo, port), hash, offset, KEEP, nowMicros);
        }
        remember(new Key(hi, lo, HOST), hash, offset, fetching, nowMicros);
    }

    /**
     * The swarm of a flow between two endpoints (the initiator's first), or null; see the class
     * comment for the rules. The attribution's {@code fetching} hints are about the flow's
     * initiator and responder as given.
     */
    public SwarmAttribution attribute(long initiatorHi, long initiatorLo, int initiatorPort, long responderHi, long responderLo,
                                      int responderPort, long nowMicros) {
        Key initiatorHost = new Key(initiatorHi, initiatorLo, HOST), responderHost = new Key(responderHi, responderLo, HOST);
        Entry ih = fresh(initiatorHost, nowMicros), rh = fresh(responderHost, nowMicros);
        int slot;
        Entry endpoint = fresh(new Key(responderHi, responderLo, responderPort), nowMicros);
        Entry endpointsHost = ih;
        if (endpoint == null || (slot = choose(endpoint, ih, nowMicros)) < 0) {
            endpoint = fresh(new Key(initiatorHi, initiatorLo, initiatorPort), nowMicros);
            endpointsHost = rh;
            slot = endpoint == null ? -1 : choose(endpoint, rh, nowMicros);
        }
        byte[] hash;
        Evidence evidence;
        if (slot >= 0) {
            hash = Arrays.copyOfRange(endpoint.hashes, slot * HASH, slot * HASH + HASH);
            evidence = endpointsHost != null && indexOf(endpointsHost, hash, 0, nowMicros) >= 0 ? Evidence.ENDPOINT_AND_HOST
                    : Evidence.ENDPOINT;
        } else {
            // a host sharing a swarm with itself says nothing about a flow between two of its sockets
            slot = ih == null || rh == null || ih == rh ? -1 : onlyShared(ih, rh, nowMicros);
            if (slot < 0) {
                return null;
            }
            hash = Arrays.copyOfRange(ih.hashes, slot * HASH, slot * HASH + HASH);
            evidence = Evidence.HOST_PAIR;
        }
        return new SwarmAttribution(hash, evidence, fetching(ih, hash, nowMicros), fetching(rh, hash, nowMicros));
    }

    /**
     * The slot of the endpoint's hash this flow belongs to: the only one the other side's host
     * shares, else the endpoint's only hash, else -1.
     */
    private int choose(Entry endpoint, Entry otherHost, long now) {
        int only = -1, count = 0, shared = -1, sharedCount = 0;
        for (int i = 0; i < HASHES_PER_ENTRY; i++) {
            if (!live(endpoint, i, now)) {
                continue;
            }
            only = i;
            count++;
            if (otherHost != null && indexOf(otherHost, endpoint.hashes, i * HASH, now) >= 0) {
                shared = i;
                sharedCount++;
            }
        }
        if (sharedCount == 1) {
            return shared;
        }
        return count == 1 ? only : -1;
    }

    /** The slot in {@code a} of the one hash {@code a} and {@code b} share, or -1 if none or several. */
    private int onlyShared(Entry a, Entry b, long now) {
        int found = -1;
        for (int i = 0; i < HASHES_PER_ENTRY; i++) {
            if (live(a, i, now) && indexOf(b, a.hashes, i * HASH, now) >= 0) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    private boolean fetching(Entry host, byte[] hash, long now) {
        int i = host == null ? -1 : indexOf(host, hash, 0, now);
        return i >= 0 && (host.fetching & 1 << i) != 0;
    }

    /** Drops every fact older than the lifetime, and entries left with none. */
    public void expire(long nowMicros) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (stale(e, nowMicros)) {
                it.remove();
                expired++;
            }
        }
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

    /** Most endpoints and hosts held. */
    public int maxEntries() {
        return maxEntries;
    }

    /** Entries dropped so far to stay within {@link #maxEntries} (least recently used first). */
    public long evicted() {
        return evicted;
    }

    /** Entries dropped so far because all their facts had expired. */
    public long expired() {
        return expired;
    }

    /** {@code fetching}: 1 or 0 as an announce said, or {@link #KEEP}. */
    private void remember(Key key, byte[] hash, int offset, int fetching, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            e = new Entry();
            entries.put(key, e);
        }
        int at = indexOf(e, hash, offset, EMPTY);
        if (at < 0) {
            at = 0; // the slot unused or confirmed longest ago
            for (int i = 1; i < HASHES_PER_ENTRY && e.seen[at] != EMPTY; i++) {
                if (e.seen[i] < e.seen[at]) {
                    at = i;
                }
            }
            System.arraycopy(hash, offset, e.hashes, at * HASH, HASH);
            e.seen[at] = now;
            e.fetching &= ~(1 << at);
        } else if (now < e.seen[at]) {
            return; // an older fact (packets a little out of order) says less than the newer one
        } else {
            e.seen[at] = now;
        }
        if (fetching != KEEP) {
            e.fetching = fetching == 1 ? e.fetching | 1 << at : e.fetching & ~(1 << at);
        }
    }

    /** The entry if it holds a fact live at {@code now}; one whose facts have all expired is dropped. */
    private Entry fresh(Key key, long now) {
        Entry e = entries.get(key);
        if (e == null || anyLive(e, now)) {
            return e;
        }
        if (stale(e, now)) {
            entries.remove(key);
            expired++;
        }
        return null;
    }

    private boolean anyLive(Entry e, long now) {
        for (int i = 0; i < HASHES_PER_ENTRY; i++) {
            if (live(e, i, now)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every fact of the entry is older than the lifetime at {@code now} (none lies ahead of it). */
    private boolean stale(Entry e, long now) {
        for (int i = 0; i < HASHES_PER_ENTRY; i++) {
            if (e.seen[i] != EMPTY && now - e.seen[i] <= ttlMicros) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether slot {@code slot} holds a fact within the lifetime of {@code now}, before or after
     * it: a flow is looked up when it ends, its time is its last packet's, and the table may
     * already hold facts confirmed after that (an announce a few seconds after the connection
     * says as much about it as one before).
     */
    private boolean live(Entry e, int slot, long now) {
        return e.seen[slot] != EMPTY && Math.abs(now - e.seen[slot]) <= ttlMicros;
    }

    /** The slot holding the 20 bytes at {@code hash[offset]} (live at {@code now}, unless {@code now} is EMPTY), or -1. */
    private int indexOf(Entry e, byte[] hash, int offset, long now) {
        for (int i = 0; i < HASHES_PER_ENTRY; i++) {
            if (e.seen[i] != EMPTY && (now == EMPTY || live(e, i, now))
                    && Arrays.equals(e.hashes, i * HASH, i * HASH + HASH, hash, offset, offset + HASH)) {
                return i;
            }
        }
        return -1;
    }
}
