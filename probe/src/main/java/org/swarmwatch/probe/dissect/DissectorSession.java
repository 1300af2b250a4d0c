package org.swarmwatch.probe.dissect;

/**
 * A dissector's state for one flow. Called on the probe's processing thread only, one payload at
 * a time, in capture order.
 *
 * <p>Contract: never throw, whatever the bytes. A dissector that throws anyway is caught by
 * {@link DissectorRegistry}, counted in the {@code dissector_failures} stat, and dropped from that
 * flow. Keep per-flow memory small and bounded: a probe holds up to millions of flows.
 */
public interface DissectorSession {

    /** Looks at one payload (never empty) and says whether the flow is this dissector's protocol. */
    Verdict onPayload(PacketPayload payload, ObservationSink observations);

    /** Once {@link Verdict#MINE}, whether further payloads are still wanted (e.g. to count transfers). */
    default boolean wantsMore() {
        return true;
    }

    /**
     * The flow goes on, but the probe has just written its current segment (the active timeout,
     * {@code --active-timeout}): report what was learned since the last report, so that a
     * connection lasting hours does not hold its evidence until it ends. Called on the owner
     * only; what is reported here is not reported again by {@link #onFlowEnd}, which then covers
     * the time since. By default nothing: the dissector reports at the flow's end only.
     */
    default void onSegmentEnd(ObservationSink observations) {
    }

    /** The flow ended (any reason); last chance to report what was learned (since the last {@link #onSegmentEnd}). */
    default void onFlowEnd(ObservationSink observations) {
    }
}
