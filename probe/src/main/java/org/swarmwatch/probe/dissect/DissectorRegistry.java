package org.swarmwatch.probe.dissect;

import java.util.List;
import java.util.Objects;
import org.swarmwatch.probe.dissect.bittorrent.HttpTrackerDissector;
import org.swarmwatch.probe.dissect.bittorrent.LocalServiceDiscoveryDissector;
import org.swarmwatch.probe.dissect.bittorrent.MagnetLinkDissector;
import org.swarmwatch.probe.dissect.bittorrent.MseDissector;
import org.swarmwatch.probe.dissect.bittorrent.PeerWireDissector;
import org.swarmwatch.probe.dissect.bittorrent.PeerWireMidStreamDissector;
import org.swarmwatch.probe.dissect.bittorrent.UdpTrackerDissector;
import org.swarmwatch.probe.dissect.bittorrent.UdpSocketDissector;

/**
 * The one place where dissectors are registered, and the driver that offers a flow's payloads to
 * them until one claims the flow.
 *
 * <p>Per flow: when it carries its first payload, every dissector that
 * {@link Dissector#appliesTo applies} to its transport opens a session. Each payload goes to every
 * remaining candidate, in registration order, until one answers {@link Verdict#MINE} (it then owns
 * the flow and the others are dropped) or all answered {@link Verdict#NOT_MINE}. A flow still
 * undecided after {@link #MAX_UNDECIDED_PAYLOADS} payloads is {@link #UNKNOWN}: that bounds the
 * work and the memory spent on flows of protocols nobody recognises.
 */
public final class DissectorRegistry {

    /** Protocol label of flows no dissector claimed. */
    public static final String UNKNOWN = "unknown";

    /** Payloads a flow may show before it is declared unknown. */
    public static final int MAX_UNDECIDED_PAYLOADS = 48;

    /** Bytes of each direction kept for dissectors while the flow is undecided. */
    public static final int PREFIX_LIMIT = 1024;

    /**
     * Default bound on the bytes reserved for stream prefixes across all undecided flows. Without
     * it, a flood of new flows that each carry a little payload (a scan, a DDoS) would hold up to
     * 2 KiB per flow; with it, flows beyond the budget are dissected packet by packet only.
     */
    public static final long DEFAULT_PREFIX_BUDGET = 64L << 20;

    private final Dissector[] dissectors;
    private final long prefixBudget;
    private long prefixBytesReserved;
    private long prefixRefusals;
    private long failures;
    /** See {@link #reportingProtocol()}. */
    private String reporting;
    private RuntimeException lastFailure;

    public DissectorRegistry(List<Dissector> dissectors) {
        this(dissectors, DEFAULT_PREFIX_BUDGET);
    }

    public DissectorRegistry(List<Dissector> dissectors, long prefixBudget) {
        this.prefixBudget = prefixBudget;
        this.dissectors = dissectors.toArray(new Dissector[0]);
        if (this.dissectors.length > 64) {
            throw new IllegalArgumentException("at most 64 dissectors");
        }
        for (Dissector d : this.dissectors) {
            Objects.requireNonNull(d.protocol(), "protocol of " + d.getClass().getName());
        }
    }

    /** The probe's dissectors. A new protocol is one line here (and its package under {@code dissect}). */
    public static DissectorRegistry standard() {
        return new DissectorRegistry(standardDissectors());
    }

    /** The dissectors of {@link #standard()}, in registration order (benchmarks measure them one by one). */
    public static List<Dissector> standardDissectors() {
        return List.of(
                new PeerWireDissector(),
                new HttpTrackerDissector(),
                new MagnetLinkDissector(),
                new MseDissector(),
                new UdpTrackerDissector(),
                new LocalServiceDiscoveryDissector(),
                new UdpSocketDissector(),
                new PeerWireMidStreamDissector());
    }

    public boolean isEmpty() {
        return dissectors.length == 0;
    }

    /** Dissector exceptions caught so far (each one a bug in that dissector). */
    public long failures() {
        return failures;
    }

    /** The last exception a dissector threw, for diagnosis (its stack names the dissector), or null. */
    public RuntimeException lastFailure() {
        return lastFailure;
    }

    /** Bytes reserved for stream prefixes now, across all undecided flows. */
    public long prefixBytesReserved() {
        return prefixBytesReserved;
    }

    /** Times a stream prefix was not kept because the budget was used up. */
    public long prefixRefusals() {
        return prefixRefusals;
    }

    /**
     * Offers one payload of a flow. {@code state} is the flow's dissection state, or null on its
     * first payload. Returns the state to keep: its {@link FlowDissection#protocol()} is set once
     * the protocol is decided, and when it is {@link FlowDissection#finished()} the flow needs no
     * more dissection (the caller drops it, freeing the sessions and stream prefixes).
     */
    public FlowDissection offer(FlowContext flow, FlowDissection state, PacketPayload payload, ObservationSink sink) {
        if (state == null) {
            state = open(flow);
        }
        if (state.finished) {
            return state;
        }
        if (state.owner >= 0) {
            DissectorSession owner = state.sessions[state.owner];
            if (call(state.owner, owner, payload, sink) == null || !owner.wantsMore()) {
                state.finished = true;
            }
            return state;
        }
        StreamPrefix prefix = payload.fromInitiator() ? state.fromInitiator : state.fromResponder;
        if (prefix == null && !state.prefixRefused) {
            if (prefixBytesReserved + PREFIX_LIMIT > prefixBudget) {
                state.prefixRefused = true;
                prefixRefusals++;
            } else {
                prefix = new StreamPrefix(PREFIX_LIMIT);
                prefixBytesReserved += PREFIX_LIMIT;
                if (payload.fromInitiator()) {
                    state.fromInitiator = prefix;
                } else {
                    state.fromResponder = prefix;
                }
            }
        }
        if (prefix != null) {
            if (flow.ianaProtocol() == 6) {
                prefix.appendTcp(payload.tcpSeq(), payload.bytes(), payload.offset(), payload.length());
            } else {
                prefix.append(payload.bytes(), payload.offset(), payload.length());
            }
        }
        payload.prefix = prefix;
        state.payloadsInspected++;
        for (int i = 0; i < state.sessions.length; i++) {
            DissectorSession s = state.sessions[i];
            if (s == null) {
                continue;
            }
            Verdict v = call(i, s, payload, sink);
            if (v == Verdict.MINE) {
                state.protocol = dissectors[i].protocol();
                state.owner = i;
                for (int j = 0; j < state.sessions.length; j++) {
                    if (j != i) {
                        state.sessions[j] = null;
                    }
                }
                releasePrefixes(state);
                state.finished = !s.wantsMore();
                return state;
            }
            if (v == null || v == Verdict.NOT_MINE) {
                state.sessions[i] = null;
                state.candidates--;
            }
        }
        if (state.candidates == 0 || state.payloadsInspected >= MAX_UNDECIDED_PAYLOADS) {
            releasePrefixes(state);
            return FlowDissection.UNKNOWN_FINISHED;
        }
        return state;
    }

    private void releasePrefixes(FlowDissection state) {
        if (state.fromInitiator != null) {
            prefixBytesReserved -= PREFIX_LIMIT;
            state.fromInitiator = null;
        }
        if (state.fromResponder != null) {
            prefixBytesReserved -= PREFIX_LIMIT;
            state.fromResponder = null;
        }
    }

    /** Tells the owner of a flow that goes on that its current segment was written (DissectorSession#onSegmentEnd). */
    public void segmentEnded(FlowDissection state, ObservationSink sink) {
        if (state == null || state.finished || state.owner < 0) {
            return;
        }
        DissectorSession s = state.sessions[state.owner];
        if (s != null) {
            report(state.owner, s, false, sink);
        }
    }

    /** Tells the owner (or the remaining candidates) that the flow ended, and frees its prefixes. */
    public void end(FlowDissection state, ObservationSink sink) {
        if (state == null || state.finished) {
            return;
        }
        releasePrefixes(state);
        for (int i = 0; i < state.sessions.length; i++) {
            DissectorSession s = state.sessions[i];
            if (s != null) {
                report(i, s, true, sink);
            }
        }
    }

    /** Session {@code s} of dissector {@code i} reports at its flow's (or segment's) end; what it throws is counted, not passed on. */
    private void report(int i, DissectorSession s, boolean flowEnd, ObservationSink sink) {
        reporting = dissectors[i].protocol();
        try {
            if (flowEnd) {
                s.onFlowEnd(sink);
            } else {
                s.onSegmentEnd(sink);
            }
        } catch (RuntimeException e) {
            failures++;
            lastFailure = e;
        } finally {
            reporting = null;
        }
    }

    private FlowDissection open(FlowContext flow) {
        FlowDissection state = null;
        for (int i = 0; i < dissectors.length; i++) {
            if (!dissectors[i].appliesTo(flow.ianaProtocol())) {
                continue;
            }
            DissectorSession s;
            try {
                s = dissectors[i].open(flow);
            } catch (RuntimeException e) {
                failures++;
                lastFailure = e;
                continue;
            }
            if (state == null) {
                state = new FlowDissection();
                state.sessions = new DissectorSession[dissectors.length];
            }
            state.sessions[i] = s;
            state.candidates++;
        }
        return state == null ? FlowDissection.UNKNOWN_FINISHED : state;
    }

    /**
     * The protocol of the dissector being called, while one is, else null. Its observations are
     * about that protocol even before it claims the flow: a tracker announce is read, reported
     * and claimed in the same call, so the flow's label is not set yet when the sink hears of it.
     */
    public String reportingProtocol() {
        return reporting;
    }

    /** Calls session {@code i}; a thrown exception (a dissector bug) is counted and answers null. */
    private Verdict call(int i, DissectorSession s, PacketPayload payload, ObservationSink sink) {
        reporting = dissectors[i].protocol();
        try {
            return s.onPayload(payload, sink);
        } catch (RuntimeException e) {
            failures++;
            lastFailure = e;
            return null;
        } finally {
            reporting = null;
        }
    }
}
