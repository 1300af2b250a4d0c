package org.swarmwatch.probe.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.swarmwatch.events.ContentHash;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.events.FlowEndReason;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.StatsRecord;
import org.swarmwatch.probe.decode.DecodeCounters;
import org.swarmwatch.probe.decode.DecodeStatus;
import org.swarmwatch.probe.decode.DecodedPacket;
import org.swarmwatch.probe.decode.Encapsulation;
import org.swarmwatch.probe.decode.PacketDecoder;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.dissect.FlowDissection;
import org.swarmwatch.probe.dissect.ObservationSink;
import org.swarmwatch.probe.dissect.PacketPayload;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.RecordSink;
import org.swarmwatch.probe.flow.Flow;
import org.swarmwatch.probe.flow.FlowListener;
import org.swarmwatch.probe.flow.FlowTable;
import org.swarmwatch.probe.source.CaptureStats;
import org.swarmwatch.probe.swarm.CompactPeers;
import org.swarmwatch.probe.swarm.SwarmTable;

/**
 * The probe's packet path after the source: decode, flow table, dissectors, records. One
 * instance per processing thread; nothing in it is thread-safe.
 *
 * <p>A capture is bracketed by {@link #beginCapture} and {@link #endCapture}; frames arrive in
 * between through {@link #onFrame}. Flow records leave when flows end, observation records when a
 * dissector reports a hash, and a stats record every stats interval of capture time and at the
 * end of each capture.
 */
public final class ProbePipeline implements FlowListener {
    private static final String[] ENCAPSULATION_NAMES = encapsulationNames();

    private final ProbeSettings settings;
    private final RecordSink sink;
    private final DissectorRegistry registry;
    private final AddressPolicy addresses;
    private final DecodeCounters decodeCounters = new DecodeCounters();
    private final PacketDecoder decoder;
    private final DecodedPacket packet = new DecodedPacket();
    private final FlowTable table;
    private final PacketPayload payload = new PacketPayload();
    private final long statsIntervalMicros;

    private final Observations observations = new Observations();
    private final SwarmTable swarms;

    // current capture
    private String captureName;
    private int linkType;

    // current stats interval
    private long intervalStartMicros = Long.MIN_VALUE;
    private long intervalPackets, intervalBytes;
    private long intervalFlowsExported;
    private long createdAtIntervalStart, evictedAtIntervalStart;
    private long swarmEvictedAtIntervalStart, swarmExpiredAtIntervalStart;
    private final Map<String, long[]> intervalProtocols = new HashMap<>();
    private CaptureStats captureStatsAtIntervalStart = CaptureStats.ZERO;
    private long lastTimestampMicros;

    // totals, for summaries
    private long totalPackets, totalFlows, totalObservations;

    public ProbePipeline(ProbeSettings settings, RecordSink sink, DissectorRegistry registry) {
        this.settings = settings;
        this.sink = sink;
        this.registry = registry;
        this.addresses = settings.addresses();
        this.decoder = new PacketDecoder(settings.decoderLimits(), decodeCounters);
        this.table = new FlowTable(settings.flowTable(), this, new SecureRandom().nextLong() & 0x7fffff0000000000L);
        this.statsIntervalMicros = settings.statsInterval().toNanos() / 1000;
        this.swarms = settings.swarmTable().newTable();
    }

    /** Starts a capture (a file, an interface): frames that follow have this link type. */
    public void beginCapture(String name, int linkType) {
        this.captureName = name;
        this.linkType = linkType;
        this.intervalStartMicros = Long.MIN_VALUE;
        this.captureStatsAtIntervalStart = CaptureStats.ZERO;
        resetInterval();
    }

    /** The hot path: one frame through decode, flow table and dissectors. */
    public void onFrame(byte[] frame, int capturedLength, int wireLength, long timestampMicros, CaptureStats liveStats) {
        if (timestampMicros >= intervalStartMicros + statsIntervalMicros) {
            if (intervalStartMicros == Long.MIN_VALUE) {
                intervalStartMicros = timestampMicros;
            } else {
                emitStats(timestampMicros, liveStats);
            }
        }
        lastTimestampMicros = Math.max(lastTimestampMicros, timestampMicros);
        intervalPackets++;
        intervalBytes += wireLength;
        DecodeStatus status = decoder.decode(linkType, frame, 0, capturedLength, wireLength, timestampMicros, packet);
        if (status != DecodeStatus.OK || packet.ipVersion == 0) {
            return;
        }
        Flow flow = table.update(packet);
        // undecided flows (while any dissector is registered) and flows whose owner wants more
        if (packet.payloadLength > 0 && (flow.dissection() != null || flow.protocolLabel() == null && !registry.isEmpty())) {
            dissect(flow);
        }
    }

    private void dissect(Flow flow) {
        payload.set(packet.payload, packet.payloadOffset, packet.payloadLength, packet.payloadWireLength,
                table.lastPacketFromInitiator(), packet.tcpFlags, packet.tcpSeq, packet.timestampMicros);
        observations.flow = flow;
        observations.timestampMicros = packet.timestampMicros;
        FlowDissection d = registry.offer(flow, flow.dissection(), payload, observations);
        if (d.protocol() != null) {
            flow.protocolLabel(d.protocol());
        }
        flow.dissection(d.finished() ? null : d);
    }

    /** A quiet live link: let timeouts advance on wall-clock time. */
    public void onIdle(long wallClockMicros, CaptureStats liveStats) {
        table.advanceTo(wallClockMicros);
        if (intervalStartMicros != Long.MIN_VALUE && wallClockMicros >= intervalStartMicros + statsIntervalMicros) {
            emitStats(wallClockMicros, liveStats);
        }
        lastTimestampMicros = Math.max(lastTimestampMicros, wallClockMicros);
    }

    /** Ends the capture: every flow is written ({@code end_of_capture}), then a final stats record. */
    public void endCapture(CaptureStats liveStats) {
        table.endAll(FlowEndReason.END_OF_CAPTURE);
        if (intervalStartMicros == Long.MIN_VALUE) {
            intervalStartMicros = lastTimestampMicros;
        }
        emitStats(Math.max(lastTimestampMicros, intervalStartMicros), liveStats);
        try {
            sink.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flowEnded(Flow f, FlowEndReason reason) {
        if (f.dissection() != null) {
            observations.flow = f;
            observations.timestampMicros = f.lastMicros();
            if (reason == FlowEndReason.ACTIVE_TIMEOUT) {
                // the flow goes on: what its segment showed is reported now, not when the flow ends
                registry.segmentEnded(f.dissection(), observations);
            } else {
                registry.end(f.dissection(), observations);
                f.dissection(null);
            }
        }
        String protocol = f.protocolLabel() == null ? DissectorRegistry.UNKNOWN : f.protocolLabel();
        totalFlows++;
        long[] c = intervalProtocols.computeIfAbsent(protocol, k -> new long[3]);
        c[0]++;
        c[1] += f.sourcePackets() + f.destinationPackets();
        c[2] += f.sourceBytes() + f.destinationBytes();
        if (settings.flowExport() == ProbeSettings.FlowExport.P2P && DissectorRegistry.UNKNOWN.equals(protocol)) {
            return; // counted in the stats record, not exported
        }
        int v = f.ipVersion();
        Endpoint source = addresses.endpoint(v, f.sourceHi(), f.sourceLo(), f.sourcePort(), f.sourcePackets(), f.sourceBytes());
        Endpoint destination = addresses.endpoint(v, f.destinationHi(), f.destinationLo(), f.destinationPort(),
                f.destinationPackets(), f.destinationBytes());
        FlowRecord record = new FlowRecord(settings.observer(), addresses.mode(), flowId(f.id()), f.segment(),
                instant(f.firstMicros()), instant(f.lastMicros()), reason, v, transportName(f.ianaProtocol()),
                f.ianaProtocol(), protocol, source, destination, f.vlanId(), encapsulations(f.encapsulations()));
        write(record);
        intervalFlowsExported++;
    }

    private void emitStats(long endMicros, CaptureStats liveStats) {
        Long received = null, dropped = null, ifDropped = null;
        if (liveStats != null) {
            CaptureStats delta = liveStats.minus(captureStatsAtIntervalStart);
            received = delta.received();
            dropped = delta.dropped();
            ifDropped = delta.interfaceDropped();
            captureStatsAtIntervalStart = liveStats;
        }
        Map<String, StatsRecord.ProtocolCounters> protocols = new HashMap<>();
        intervalProtocols.forEach((k, c) -> protocols.put(k, new StatsRecord.ProtocolCounters(c[0], c[1], c[2])));
        Map<String, Long> decode = new HashMap<>(decodeCounters.snapshot());
        if (registry.failures() > 0) {
            decode.put("dissector_failures", registry.failures());
        }
        if (registry.prefixRefusals() > 0) {
            decode.put("dissector_prefix_refusals", registry.prefixRefusals());
        }
        swarms.expire(endMicros);
        if (swarms.evicted() > swarmEvictedAtIntervalStart) {
            decode.put("swarm_facts_evicted", swarms.evicted() - swarmEvictedAtIntervalStart);
        }
        if (swarms.expired() > swarmExpiredAtIntervalStart) {
            decode.put("swarm_facts_expired", swarms.expired() - swarmExpiredAtIntervalStart);
        }
        StatsRecord stats = new StatsRecord(settings.observer(), addresses.mode(), instant(intervalStartMicros),
                instant(Math.max(endMicros, intervalStartMicros)), captureName, intervalPackets, intervalBytes,
                received, dropped, ifDropped, table.size(), table.created() - createdAtIntervalStart,
                intervalFlowsExported, table.evicted() - evictedAtIntervalStart, decode, protocols);
        write(stats);
        totalPackets += intervalPackets;
        intervalStartMicros = endMicros;
        resetInterval();
    }

    private void resetInterval() {
        intervalPackets = intervalBytes = intervalFlowsExported = 0;
        createdAtIntervalStart = table.created();
        evictedAtIntervalStart = table.evicted();
        swarmEvictedAtIntervalStart = swarms.evicted();
        swarmExpiredAtIntervalStart = swarms.expired();
        intervalProtocols.clear();
        decodeCounters.reset();
    }

    private void write(ProbeRecord record) {
        try {
            sink.accept(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write records: " + e.getMessage(), e);
        }
    }

    public long totalPackets() {
        return totalPackets + intervalPackets;
    }

    public long totalFlows() {
        return totalFlows;
    }

    public long totalObservations() {
        return totalObservations;
    }

    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    /** 16 lowercase hex digits (what {@code String.format("%016x")} gives, without its parsing on every record). */
    static String flowId(long id) {
        return HEX.toHexDigits(id);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** {@code network.transport}: the IANA keyword in lower case (ECS), or the number. */
    static String transportName(int iana) {
        return switch (iana) {
            case 1 -> "icmp";
            case 2 -> "igmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 47 -> "gre";
            case 50 -> "esp";
            case 51 -> "ah";
            case 58 -> "ipv6-icmp";
            case 132 -> "sctp";
            default -> Integer.toString(iana);
        };
    }

    private static List<String> encapsulations(int bits) {
        if (bits == 0) {
            return List.of();
        }
        List<String> names = new ArrayList<>(2);
        for (int i = 0; i < ENCAPSULATION_NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) {
                names.add(ENCAPSULATION_NAMES[i]);
            }
        }
        return names;
    }

    private static String[] encapsulationNames() {
        Encapsulation[] values = Encapsulation.values();
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return names;
    }

    /**
     * Turns a dissector's report into an observation record about the packet being dissected, and
     * its swarm facts into entries of the swarm table (with the current flow's addresses, which
     * the dissectors never see).
     */
    private final class Observations implements ObservationSink {
        /** Most peers taken from one compact list: trackers send 50 to 200. */
        static final int MAX_PEERS = 200;

        Flow flow;
        long timestampMicros;

        @Override
        public void observed(boolean fromInitiator, ContentHash hash, String seenIn, ObservationRole role, double confidence,
                             String client) {
            Flow f = flow;
            if (hash.kind() == HashKind.BTIH) {
                HashKind proven = swarms.kindOf(hash.bytes());
                if (proven != null) {
                    hash = new ContentHash(proven, hash.hex());
                }
            }
            int v = f.ipVersion();
            Endpoint initiator = addresses.endpoint(v, f.sourceHi(), f.sourceLo(), f.sourcePort(), 0, 0);
            Endpoint responder = addresses.endpoint(v, f.destinationHi(), f.destinationLo(), f.destinationPort(), 0, 0);
            String protocol = f.protocolLabel() != null ? f.protocolLabel()
                    : registry.reportingProtocol() != null ? registry.reportingProtocol() : DissectorRegistry.UNKNOWN;
            write(new ObservationRecord(settings.observer(), addresses.mode(), instant(timestampMicros), flowId(f.id()),
                    transportName(f.ianaProtocol()), protocol,
                    fromInitiator ? initiator : responder, fromInitiator ? responder : initiator,
                    hash, seenIn, role, confidence, client));
            totalObservations++;
        }

        @Override
        public void swarmMember(boolean initiatorSide, int listenPort, byte[] infoHash) {
            Flow f = flow;
            if (infoHash.length != 20 || listenPort < 0 || listenPort > 0xffff) {
                return;
            }
            swarms.member(initiatorSide ? f.sourceHi() : f.destinationHi(), initiatorSide ? f.sourceLo() : f.destinationLo(),
                    listenPort, infoHash, timestampMicros);
        }

        @Override
        public void swarmMember(boolean initiatorSide, int listenPort, byte[] infoHash, boolean fetching) {
            Flow f = flow;
            if (infoHash.length != 20 || listenPort < 0 || listenPort > 0xffff) {
                return;
            }
            swarms.member(initiatorSide ? f.sourceHi() : f.destinationHi(), initiatorSide ? f.sourceLo() : f.destinationLo(),
                    listenPort, infoHash, 0, fetching, timestampMicros);
        }

        @Override
        public void swarmPeers(boolean toInitiator, byte[] infoHash, byte[] compact, int offset, int length, boolean ipv6) {
            if (infoHash.length != 20) {
                return;
            }
            swarmMember(toInitiator, 0, infoHash);
            long now = timestampMicros;
            CompactPeers.read(compact, offset, length, ipv6, MAX_PEERS, (hi, lo, port) -> swarms.member(hi, lo, port, infoHash, now));
        }

        @Override
        public SwarmAttribution swarmOfFlow() {
            Flow f = flow;
            return swarms.attribute(f.sourceHi(), f.sourceLo(), f.sourcePort(), f.destinationHi(), f.destinationLo(),
                    f.destinationPort(), timestampMicros);
        }

        @Override
        public void hashKindProven(byte[] infoHash, HashKind kind) {
            if (infoHash.length == 20 && (kind == HashKind.BTIH_V1 || kind == HashKind.BTIH_V2_TRUNCATED)) {
                swarms.provenKind(infoHash, kind);
            }
        }
    }
}
