package org.swarmwatch.probe.decode;

import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Frames counted by decode outcome, without allocation. Every frame given to
 * {@link PacketDecoder#decode} is counted exactly once by its {@link Reason}; reassembly events
 * (expired, evicted, overlapping, completed datagrams) are counted besides. Single-threaded: owned
 * by the decoding thread.
 */
public final class DecodeCounters {

    /** Why a frame did or did not become a packet of a flow; each maps to a {@link DecodeStatus}. */
    public enum Reason {
        OK(DecodeStatus.OK),
        NOT_IP(DecodeStatus.NOT_IP),
        FRAGMENT_HELD(DecodeStatus.FRAGMENT_HELD),
        TRUNCATED_L2(DecodeStatus.TRUNCATED),
        TRUNCATED_IP(DecodeStatus.TRUNCATED),
        TRUNCATED_L4(DecodeStatus.TRUNCATED),
        TRUNCATED_TUNNEL(DecodeStatus.TRUNCATED),
        MALFORMED_FRAME(DecodeStatus.MALFORMED),
        MALFORMED_IPV4(DecodeStatus.MALFORMED),
        MALFORMED_IPV6(DecodeStatus.MALFORMED),
        MALFORMED_TCP(DecodeStatus.MALFORMED),
        MALFORMED_UDP(DecodeStatus.MALFORMED),
        MALFORMED_TUNNEL(DecodeStatus.MALFORMED),
        MALFORMED_FRAGMENT(DecodeStatus.MALFORMED),
        TOO_MANY_ENCAPSULATIONS(DecodeStatus.MALFORMED),
        TOO_MANY_EXTENSION_HEADERS(DecodeStatus.MALFORMED),
        UNSUPPORTED_LINK_TYPE(DecodeStatus.UNSUPPORTED),
        UNSUPPORTED_ETHERTYPE(DecodeStatus.UNSUPPORTED),
        // events besides the per-frame outcome
        FRAGMENTS_REASSEMBLED(null),
        FRAGMENTS_EXPIRED(null),
        FRAGMENTS_EVICTED(null),
        FRAGMENTS_OVERLAPPING(null);

        final DecodeStatus status;
        final String key;

        Reason(DecodeStatus status) {
            this.status = status;
            this.key = name().toLowerCase(Locale.ROOT);
        }

        public DecodeStatus status() {
            return status;
        }
    }

    private final long[] counts = new long[Reason.values().length];

    public void increment(Reason reason) {
        counts[reason.ordinal()]++;
    }

    public long get(Reason reason) {
        return counts[reason.ordinal()];
    }

    /** The non-zero counters, keyed by lower_snake_case reason (as stats records carry them). */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        for (Reason r : Reason.values()) {
            if (counts[r.ordinal()] != 0) {
                m.put(r.key, counts[r.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    public void reset() {
        Arrays.fill(counts, 0);
    }
}
