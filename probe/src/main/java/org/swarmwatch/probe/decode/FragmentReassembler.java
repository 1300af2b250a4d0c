package org.swarmwatch.probe.decode;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reassembles fragmented IPv4 (RFC 791) and IPv6 (RFC 8200 section 4.5) datagrams, within the
 * bounds of {@link DecoderLimits}: datagrams in progress, bytes held, datagram size, and time
 * (capture time: a datagram incomplete after the timeout is dropped).
 *
 * <p>Overlapping fragments drop the whole datagram (RFC 5722 for IPv6; for IPv4 it defeats the
 * overlap tricks that make a monitor and the receiving host see different bytes). An exact
 * duplicate of a fragment already held is ignored. When a bound is hit, the oldest datagram in
 * progress is evicted. All of it is counted.
 */
final class FragmentReassembler {
    /** A completed datagram: the transport payload (everything after the IP header(s)). */
    static final class Datagram {
        byte[] data;
        int length;
        int protocol;
    }

    /** Returned for a fragment that cannot belong to any datagram (bad size, overlap): the frame is malformed. */
    static final Datagram REJECTED = new Datagram();

    private record Key(long srcHi, long srcLo, long dstHi, long dstLo, long idAndProtocol) {
    }

    private static final class Pending {
        final long firstMicros;
        byte[] data = new byte[2048];
        /** Received [start, end) intervals, unsorted; few per datagram. */
        int[] starts = new int[8], ends = new int[8];
        int intervals;
        int received;
        int total = -1;
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
    private int bytesHeld;
    private long lastSweepMicros = Long.MIN_VALUE;

    FragmentReassembler(DecoderLimits limits, DecodeCounters counters) {
        this.limits = limits;
        this.counters = counters;
        this.timeoutMicros = limits.fragmentTimeout().toNanos() / 1000;
    }

    /**
     * Adds one fragment. {@code protocol} is the transport (IPv4) or the next header of the
     * fragmentable part (IPv6); only the offset-0 fragment's value is used.
     *
     * @return the completed datagram (valid until the next call), null while incomplete, or
     *         {@link #REJECTED} if the fragment was refused (and its datagram dropped, for an overlap)
     */
    Datagram add(long srcHi, long srcLo, long dstHi, long dstLo, long id, int protocol, byte[] src, int off, int len,
                 int fragmentOffset, boolean more, long nowMicros) {
        sweep(nowMicros);
        int end = fragmentOffset + len;
        if (end > limits.maxDatagramBytes() || (more && (len & 7) != 0) || (more && len == 0)) {
            return REJECTED;
        }
        Key key = new Key(srcHi, srcLo, dstHi, dstLo, id);
        Pending p = pending.get(key);
        if (p == null) {
            while (pending.size() >= limits.maxFragmentDatagrams()) {
                evictOldest();
            }
            p = new Pending(nowMicros);
            pending.put(key, p);
        }
        for (int i = 0; i < p.intervals; i++) {
            if (fragmentOffset < p.ends[i] && end > p.starts[i]) {
                if (fragmentOffset == p.starts[i] && end == p.ends[i]) {
                    return null; // exact duplicate (a retransmission): nothing new
                }
                drop(key, p);
                counters.increment(DecodeCounters.Reason.FRAGMENTS_OVERLAPPING);
                return REJECTED;
            }
        }
        if (!more) {
            if (p.total >= 0 && p.total != end || p.received > 0 && maxEnd(p) > end) {
                drop(key, p); // two different ends, or data beyond the end
                counters.increment(DecodeCounters.Reason.FRAGMENTS_OVERLAPPING);
                return REJECTED;
            }
            p.total = end;
        } else if (p.total >= 0 && end > p.total) {
            drop(key, p);
            counters.increment(DecodeCounters.Reason.FRAGMENTS_OVERLAPPING);
            return REJECTED;
        }
        while (bytesHeld + len > limits.maxFragmentBytes() && pending.size() > 1) {
            Map.Entry<Key, Pending> oldest = pending.entrySet().iterator().next();
            if (oldest.getValue() == p) {
                break;
            }
            evictOldest();
        }
        if (end > p.data.length) {
            p.data = Arrays.copyOf(p.data, Math.min(limits.maxDatagramBytes(), Math.max(end, p.data.length * 2)));
        }
        System.arraycopy(src, off, p.data, fragmentOffset, len);
        if (p.intervals == p.starts.length) {
            p.starts = Arrays.copyOf(p.starts, p.intervals * 2);
            p.ends = Arrays.copyOf(p.ends, p.intervals * 2);
        }
        p.starts[p.intervals] = fragmentOffset;
        p.ends[p.intervals] = end;
        p.intervals++;
        p.received += len;
        bytesHeld += len;
        if (fragmentOffset == 0) {
            p.protocol = protocol;
        }
        if (p.total >= 0 && p.received == p.total) {
            pending.remove(key);
            bytesHeld -= p.received;
            counters.increment(DecodeCounters.Reason.FRAGMENTS_REASSEMBLED);
            done.data = p.data;
            done.length = p.total;
            done.protocol = p.protocol;
            return done;
        }
        return null;
    }

    /** Datagrams in progress (for tests and stats). */
    int inProgress() {
        return pending.size();
    }

    int bytesHeld() {
        return bytesHeld;
    }

    private static int maxEnd(Pending p) {
        int m = 0;
        for (int i = 0; i < p.intervals; i++) {
            m = Math.max(m, p.ends[i]);
        }
        return m;
    }

    /** Drops datagrams older than the timeout; runs at most once per second of capture time. */
    private void sweep(long nowMicros) {
        if (lastSweepMicros != Long.MIN_VALUE && nowMicros >= lastSweepMicros && nowMicros - lastSweepMicros < 1_000_000L) {
            return;
        }
        lastSweepMicros = nowMicros;
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (nowMicros - p.firstMicros < timeoutMicros) {
                break; // insertion order = age order
            }
            it.remove();
            bytesHeld -= p.received;
            counters.increment(DecodeCounters.Reason.FRAGMENTS_EXPIRED);
        }
    }

    private void evictOldest() {
        Iterator<Pending> it = pending.values().iterator();
        Pending p = it.next();
        it.remove();
        bytesHeld -= p.received;
        counters.increment(DecodeCounters.Reason.FRAGMENTS_EVICTED);
    }

    private void drop(Key key, Pending p) {
        pending.remove(key);
        bytesHeld -= p.received;
    }

    static long v4Id(int id, int protocol) {
        return (long) protocol << 32 | (id & 0xffffffffL);
    }
}
