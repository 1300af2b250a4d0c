package org.swarmwatch.events;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content hash seen in traffic.
 *
 * @param observer    {@code observer.name}
 * @param addressMode {@code swarmwatch.addresses}
 * @param time        {@code @timestamp}: the packet the hash was seen in, or the flow's last packet for
 *                    observations made at the flow's end
 * @param flowId      {@code swarmwatch.flow.id} of the flow it was seen in
 * @param transport   {@code network.transport}
 * @param protocol    {@code network.protocol}
 * @param source      {@code source}: the endpoint the observation is about (counters are zero)
 * @param destination {@code destination}: its peer in the flow
 * @param hash        {@code hash} and {@code hash_kind}
 * @param seenIn      {@code seen_in}: where in the protocol it was seen (handshake, dht_get_peers, http_tracker, ...)
 * @param role        {@code role}: what the {@code source} endpoint was doing
 * @param confidence  {@code confidence}: 0 to 1, how sure the dissector is that this is content traffic
 * @param client      {@code client}: client name and version where known, else {@code null}
 */
public record ObservationRecord(
        String observer,
        AddressMode addressMode,
        Instant time,
        String flowId,
        String transport,
        String protocol,
        Endpoint source,
        Endpoint destination,
        ContentHash hash,
        String seenIn,
        ObservationRole role,
        double confidence,
        String client) implements ProbeRecord {

    private static final Pattern SEEN_IN = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public ObservationRecord {
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(addressMode, "addressMode");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(seenIn, "seenIn");
        Objects.requireNonNull(role, "role");
        if (!SEEN_IN.matcher(seenIn).matches()) {
            throw new IllegalArgumentException("seen_in must be lower_snake_case, got '" + seenIn + "'");
        }
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be within [0, 1], got " + confidence);
        }
    }

    @Override
    public RecordType type() {
        return RecordType.OBSERVATION;
    }

    @Override
    public Instant timestamp() {
        return time;
    }
}
