package org.swarmwatch.probe.dissect;

/**
 * Dissection state of one flow: the candidate dissectors' sessions while the flow is undecided
 * and the first bytes of each direction; only the owner's session once one said
 * {@link Verdict#MINE}. Made and driven by {@link DissectorRegistry}; the flow table keeps it
 * only while it is not {@link #finished()}.
 */
public final class FlowDissection {
    /** Shared by every flow that no dissector applies to or that all candidates refused. */
    static final FlowDissection UNKNOWN_FINISHED = finishedUnknown();

    /** Candidate sessions, by registry index; null where the dissector said NOT_MINE or failed. */
    DissectorSession[] sessions;
    int candidates;
    int owner = -1;
    int payloadsInspected;
    StreamPrefix fromInitiator, fromResponder;
    /** The prefix budget was used up when this flow asked: it is dissected packet by packet. */
    boolean prefixRefused;
    String protocol;
    boolean finished;

    private static FlowDissection finishedUnknown() {
        FlowDissection d = new FlowDissection();
        d.protocol = DissectorRegistry.UNKNOWN;
        d.finished = true;
        d.sessions = new DissectorSession[0];
        return d;
    }

    /** The protocol label once decided ({@code unknown} included), else null. */
    public String protocol() {
        return protocol;
    }

    /** True when no more payloads of the flow are wanted. */
    public boolean finished() {
        return finished;
    }
}
