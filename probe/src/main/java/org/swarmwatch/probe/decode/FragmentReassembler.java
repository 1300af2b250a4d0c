package org.swarmwatch.probe.decode;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reassembles fragmented IPv4 (RFC 791 section 3.2) and IPv6 (RFC 8200 section 4.5) datagrams
 * within the bounds of {@link DecoderLimits}: datagrams in progress, bytes held, datagram size,
 * and capture time.
 *
 * <p>Design note. Datagrams in progress live in a {@link LinkedHashMap} in insertion order, which
 * is also age order, so expiry and eviction look at the head only. Each one holds a buffer laid
 * out like the finished datagram and a list of the fragments received, as {@code [start, end)}
 * intervals kept sorted by start and pairwise disjoint: a new fragment is placed by binary search
 * and checked against its two neighbours, so a datagram cut into the worst case of 8,191 eight-byte
 * fragments costs O(log n) comparisons and one small array move per fragment, never O(n^2).
 * The datagram is complete when the last fragment (MF clear) has fixed its length and the
 * intervals add up to it: disjoint intervals inside {@code [0, length)} summing to the length
 * leave no hole.
 *
 * <p>Overlaps drop the whole datagram and are counted ({@code fragments_overlapping}). RFC 5722
 * requires it for IPv6; for IPv4 it is what keeps a monitor honest, since hosts resolve overlaps
 * differently (first wins, last wins, discard) and the overlap is the classic way to make a
 * monitor see other bytes than the host does (Ptacek and Newsham, 1998). Only an exact duplicate,
 * same offset, length and bytes, is ignored as the network's doing (RFC 8200 section 4.5). A last
 * fragment that disagrees with the length already known counts as an overlap too.
 *
 * <p>Memory. What counts against {@link DecoderLimits#maxFragmentBytes()} is what the datagrams
 * cost: their buffers' capacity (so one fragment 64,000 bytes into a datagram costs a 64 KiB
 * buffer, not its 8 bytes) and 8 bytes per slot of their fragment lists. Before a new datagram
 * would exceed {@link DecoderLimits#maxFragmentDatagrams()}, and before any datagram grows past the
 * byte bound, the oldest other datagrams are evicted (counted). The datagram being added to is
 * never evicted for its own sake: its buffer always fits, since the limits require
 * {@code maxFragmentBytes >= maxDatagramBytes}, so the bound can be passed only while it is alone,
 * and only by its fragment list (at most 64 KiB, for 8-byte fragments). Worked example with the
 * defaults (8 MiB): 4,096 datagrams of one 1,480-byte fragment each hold a 2 KiB buffer and a
 * 32-byte list each, 8.1 MiB in all, so the 4,033rd such datagram starts evicting the oldest.
 *
 * <p>Time is capture time: a datagram still incomplete {@code fragmentTimeout} after its first
 * fragment is dropped (counted) by a sweep that runs at most once per second of capture time,
 * like RFC 791's reassembly timer and RFC 8200's 60-second limit.
 *
 * <p>Single-threaded: owned by the decoding thread.
 */
final class FragmentReassembler {
    /** A completed datagram: everything after the IP header (IPv4) or the fragment header (IPv6). */
    static final class Datagram {
        byte[] data;
        int length;
        int protocol;
    }

    /** Returned for a fragment that cannot belong to any datagram (bad size, overlap): the frame is malformed. */
    static final Datagram REJECTED = new Datagram();

    /** Largest IP datagram (RFC 791 total length; RFC 8200 payload length), jumbograms aside. */
    static final int MAX_IP_LENGTH = 65535;

    private static final long SWEEP_INTERVAL_MICROS = 1_000_000L;
    private static final int FIRST_BUFFER = 2048;
    private static final byte[] NO_BYTES = new byte[0];
    /** Bytes per fragment interval slot (a start and an end), charged like buffer bytes. */
    private static final int INTERVAL_BYTES = 8;

    /** {@code id} carries the IPv4 protocol or a marker bit for IPv6, so the two never share a key. */
    private record Key(long srcHi, long srcLo, long dstHi, long dstLo, long id) {
    }

    private static final class Pending {
        final long firstMicros;
        byte[] data = NO_BYTES;
        /** Received fragments as [start, end), sorted by start, pairwise disjoint. */
        int[] starts = new int[4];
        int[] ends = new int[4];
        int fragments;
        int received;
        /** Datagram length once the last fragment was seen, else -1. */
        int total = -1;
        /** Transport protocol (IPv4) or next header (IPv6) from the offset-0 fragment, else -1. */
        int protocol = -1;

        Pending(long firstMicros) {
            this.firstMicros = firstMicros;
        }
    }

    private final DecoderLimits limits;
    private final DecodeCounters counters;
    private final long timeoutMicros;
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private final Datagram done = new Datagram();
    private long bytesHeld;
    private long lastSweepMicros = Long.MIN_VALUE;

    FragmentReassembler(DecoderLimits limits, DecodeCounters counters) {
        this.limits = limits;
        this.counters = counters;
        this.timeoutMicros = TimeUnit.MICROSECONDS.convert(limits.fragmentTimeout()); // saturates, never throws
    }

    static long v4Id(int id, int protocol) {
        return (long) protocol << 32 | (id & 0xffffffffL);
    }

    static long v6Id(long id) {
        return id | 1L << 40;
    }

    /**
     * Adds one fragment.
     *
     * @param protocol       transport (IPv4) or next header of the fragmentable part (IPv6); only
     *                       the offset-0 fragment's value is kept
     * @param fragmentOffset offset of these bytes in the datagram
     * @param more           the more-fragments flag
     * @param maxEnd         the largest datagram end the IP header allows (65535 minus the
     *                       headers that are not fragmented); the configured limit applies too
     * @return the completed datagram (valid until the next call), null while incomplete or for an
     *         exact duplicate, or {@link #REJECTED} if the fragment was refused (and its datagram
     *         dropped, for an overlap)
     */
    Datagram add(long srcHi, long srcLo, long dstHi, long dstLo, long id, int protocol, byte[] src, int off, int len,
                 int fragmentOffset, boolean more, int maxEnd, long nowMicros) {
        expire(nowMicros);
        int end = fragmentOffset + len;
        // RFC 8200 4.5: a non-last fragment is a multiple of 8 bytes; RFC 791: 8-byte units too.
        // Beyond 65535 is the ping of death (CVE-1999-0128 and its kin).
        if (len < 0 || end > maxEnd || end > limits.maxDatagramBytes() || more && (len == 0 || (len & 7) != 0)) {
            return REJECTED;
        }
        Key key = new Key(srcHi, srcLo, dstHi, dstLo, id);
        Pending p = pending.get(key);
        if (p == null) {
            while (pending.size() >= limits.maxFragmentDatagrams()) {
                evictOldestExcept(null);
            }
            p = new Pending(nowMicros);
            reserve(p, (long) INTERVAL_BYTES * p.starts.length);
            pending.put(key, p);
        }
        if (len > 0) {
            int i = firstStartingAtOrAfter(p, fragmentOffset);
            if (i < p.fragments && p.starts[i] == fragmentOffset && p.ends[i] == end
                    && Arrays.equals(p.data, fragmentOffset, end, src, off, off + len)) {
                if (!more && p.total != end) {
                    return overlap(key, p); // the same bytes now claiming to be the last ones
                }
                return null; // exact duplicate: the network's doing, nothing new
            }
            if (i > 0 && p.ends[i - 1] > fragmentOffset || i < p.fragments && p.starts[i] < end) {
                return overlap(key, p);
            }
        }
        if (!more) {
            if (p.total >= 0 && p.total != end || p.fragments > 0 && p.ends[p.fragments - 1] > end) {
                return overlap(key, p); // two different ends, or data beyond the end
            }
            p.total = end;
        } else if (p.total >= 0 && end > p.total) {
            return overlap(key, p);
        }
        if (len > 0) {
            if (end > p.data.length) {
                grow(p, end);
            }
            System.arraycopy(src, off, p.data, fragmentOffset, len);
            insert(p, firstStartingAtOrAfter(p, fragmentOffset), fragmentOffset, end);
            p.received += len;
            if (fragmentOffset == 0) {
                p.protocol = protocol;
            }
        }
        if (p.total < 0 || p.received != p.total) {
            return null;
        }
        pending.remove(key);
        release(p);
        counters.increment(DecodeCounters.Reason.FRAGMENTS_REASSEMBLED);
        done.data = p.data;
        done.length = p.total;
        done.protocol = p.protocol;
        return done;
    }

    /**
     * Drops datagrams older than the timeout. Cheap enough to call for every frame: it does work
     * at most once per second of capture time, and only at the head of the age-ordered map.
     */
    void expire(long nowMicros) {
        if (pending.isEmpty()) {
            return;
        }
        if (lastSweepMicros != Long.MIN_VALUE && nowMicros >= lastSweepMicros
                && nowMicros - lastSweepMicros < SWEEP_INTERVAL_MICROS) {
            return;
        }
        lastSweepMicros = nowMicros;
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (nowMicros - p.firstMicros < timeoutMicros) {
                break; // insertion order is age order; also stops when capture time runs backwards
            }
            it.remove();
            release(p);
            counters.increment(DecodeCounters.Reason.FRAGMENTS_EXPIRED);
        }
    }

    /** Datagrams in progress. */
    int inProgress() {
        return pending.size();
    }

    /** Buffer and fragment-list bytes held for datagrams in progress (what counts against the byte bound). */
    long bytesHeld() {
        return bytesHeld;
    }

    private Datagram overlap(Key key, Pending p) {
        pending.remove(key);
        release(p);
        counters.increment(DecodeCounters.Reason.FRAGMENTS_OVERLAPPING);
        return REJECTED;
    }

    /** Grows the buffer to hold {@code end} bytes, making room under the byte bound first. */
    private void grow(Pending p, int end) {
        int capacity = p.total >= 0 ? p.total
                : Math.min(limits.maxDatagramBytes(), Math.max(end, Math.max(FIRST_BUFFER, 2 * p.data.length)));
        reserve(p, capacity - p.data.length);
        p.data = Arrays.copyOf(p.data, capacity);
    }

    /** Charges {@code bytes} more to {@code p}, evicting older datagrams while the byte bound would be exceeded. */
    private void reserve(Pending p, long bytes) {
        while (bytesHeld + bytes > limits.maxFragmentBytes() && evictOldestExcept(p)) {
            // one evicted; p alone always fits (maxFragmentBytes >= maxDatagramBytes, DecoderLimits)
        }
        bytesHeld += bytes;
    }

    /** Evicts the oldest datagram other than {@code keep}; false if there is none. */
    private boolean evictOldestExcept(Pending keep) {
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p != keep) {
                it.remove();
                release(p);
                counters.increment(DecodeCounters.Reason.FRAGMENTS_EVICTED);
                return true;
            }
        }
        return false;
    }

    private void release(Pending p) {
        bytesHeld -= p.data.length + (long) INTERVAL_BYTES * p.starts.length;
    }

    /** Index of the first fragment whose start is {@code >= offset} (binary search). */
    private static int firstStartingAtOrAfter(Pending p, int offset) {
        int lo = 0;
        int hi = p.fragments;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (p.starts[mid] < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void insert(Pending p, int i, int start, int end) {
        if (p.fragments == p.starts.length) {
            reserve(p, (long) INTERVAL_BYTES * p.fragments);
            p.starts = Arrays.copyOf(p.starts, p.fragments * 2);
            p.ends = Arrays.copyOf(p.ends, p.fragments * 2);
        }
        System.arraycopy(p.starts, i, p.starts, i + 1, p.fragments - i);
        System.arraycopy(p.ends, i, p.ends, i + 1, p.fragments - i);
        p.starts[i] = start;
        p.ends[i] = end;
        p.fragments++;
    }
}
