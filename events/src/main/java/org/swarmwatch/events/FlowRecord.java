package org.swarmwatch.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A bidirectional flow, written when it ends or times out, and every active timeout for long flows
 * (then {@code segment} counts up and the counters cover only that segment).
 *
 * @param observer      {@code observer.name}
 * @param addressMode   {@code swarmwatch.addresses}
 * @param flowId        {@code swarmwatch.flow.id}: unique per probe; equal across the segments of one flow
 * @param segment       {@code swarmwatch.flow.segment}: 0 for the first record of a flow
 * @param start         {@code event.start}: first packet of this segment
 * @param end           {@code event.end} (and {@code @timestamp}): last packet of this segment
 * @param reason        {@code event.reason}
 * @param ipVersion     {@code network.type}: 4 or 6
 * @param transport     {@code network.transport}: tcp, udp, icmp, ipv6-icmp, or the IANA number as text
 * @param ianaNumber    {@code network.iana_number}
 * @param protocol      {@code network.protocol}: the application protocol a dissector recognised, {@code unknown} if none
 * @param source        {@code source}: the endpoint that sent the flow's first packet (for TCP, the SYN)
 * @param destination   {@code destination}
 * @param vlanId        {@code network.vlan.id} (0 to 4095), or -1 for none
 * @param encapsulation {@code swarmwatch.flow.encapsulation}: tunnels and tags crossed (e.g. gre, vxlan, mpls)
 */
public record FlowRecord(
        String observer,
        AddressMode addressMode,
        String flowId,
        int segment,
        Instant start,
        Instant end,
        FlowEndReason reason,
        int ipVersion,
        String transport,
        int ianaNumber,
        String protocol,
        Endpoint source,
        Endpoint destination,
        int vlanId,
        List<String> encapsulation) implements ProbeRecord {

    /** Longest flow a record may describe: {@code event.duration} (nanoseconds) must fit in a long. */
    public static final Duration MAX_DURATION = Duration.ofDays(100 * 365);

    public FlowRecord {
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(addressMode, "addressMode");
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        encapsulation = List.copyOf(encapsulation);
        if (ipVersion != 4 && ipVersion != 6) {
            throw new IllegalArgumentException("ipVersion must be 4 or 6, not " + ipVersion);
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("flow ends (" + end + ") before it starts (" + start + ")");
        }
        if (Duration.between(start, end).compareTo(MAX_DURATION) > 0) {
            // event.duration is in nanoseconds, a long: no flow lasts 290 years, but a record may say so
            throw new IllegalArgumentException("flow lasts from " + start + " to " + end + ", longer than " + MAX_DURATION.toDays() + " days");
        }
        if (segment < 0) {
            throw new IllegalArgumentException("negative segment: " + segment);
        }
        if (vlanId < -1 || vlanId > 4095) {
            // 802.1Q ids are 12 bits; -1 is "none" and is written as no network.vlan at all
            throw new IllegalArgumentException("VLAN id must be 0 to 4095 (or -1 for none), not " + vlanId);
        }
    }

    @Override
    public RecordType type() {
        return RecordType.FLOW;
    }

    @Override
    public Instant timestamp() {
        return end;
    }

    public long packets() {
        return source.packets() + destination.packets();
    }

    public long bytes() {
        return source.bytes() + destination.bytes();
    }
}
