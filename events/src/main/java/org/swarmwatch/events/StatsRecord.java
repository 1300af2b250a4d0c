package org.swarmwatch.events;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a probe did during one interval (or, for a replay, the whole file at its end).
 *
 * @param observer        {@code observer.name}
 * @param addressMode     {@code swarmwatch.addresses}
 * @param start           {@code event.start}: interval start
 * @param end             {@code event.end} (and {@code @timestamp}): interval end
 * @param captureSource   {@code swarmwatch.stats.source}: the file or interface read
 * @param packets         {@code network.packets}: frames read in the interval
 * @param bytes           {@code network.bytes}: their length on the wire
 * @param captureReceived {@code swarmwatch.stats.capture.received}: libpcap's received count (live only, else null)
 * @param captureDropped  {@code swarmwatch.stats.capture.dropped}: dropped by the kernel for lack of buffer (live only)
 * @param interfaceDropped {@code swarmwatch.stats.capture.interface_dropped}: dropped by the interface or driver (live only)
 * @param flowsActive     flows in the table at the interval end
 * @param flowsCreated    flows created in the interval
 * @param flowsExported   flow records written in the interval
 * @param flowsEvicted    flows evicted by the memory bound in the interval
 * @param decode          frames that did not make a flow packet, by reason (truncated_ip, malformed_tcp, ...)
 * @param protocols       flows, packets and bytes of the flow records written in the interval, by protocol
 */
public record StatsRecord(
        String observer,
        AddressMode addressMode,
        Instant start,
        Instant end,
        String captureSource,
        long packets,
        long bytes,
        Long captureReceived,
        Long captureDropped,
        Long interfaceDropped,
        long flowsActive,
        long flowsCreated,
        long flowsExported,
        long flowsEvicted,
        Map<String, Long> decode,
        Map<String, ProtocolCounters> protocols) implements ProbeRecord {

    /** Per-protocol totals of the flow records written in an interval. */
    public record ProtocolCounters(long flows, long packets, long bytes) {
    }

    public StatsRecord {
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(addressMode, "addressMode");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(captureSource, "captureSource");
        decode = Collections.unmodifiableMap(new TreeMap<>(decode));
        protocols = Collections.unmodifiableMap(new TreeMap<>(protocols));
    }

    @Override
    public RecordType type() {
        return RecordType.STATS;
    }

    @Override
    public Instant timestamp() {
        return end;
    }
}
