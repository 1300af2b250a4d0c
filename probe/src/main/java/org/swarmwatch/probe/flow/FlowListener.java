package org.swarmwatch.probe.flow;

import org.swarmwatch.events.FlowEndReason;

/**
 * Receives flows from the {@link FlowTable}, on the table's thread, synchronously: the flow's
 * counters are valid only during the call (for an active timeout they are reset right after).
 */
public interface FlowListener {
    /** The flow (or, for {@link FlowEndReason#ACTIVE_TIMEOUT}, its current segment) is finished. */
    void flowEnded(Flow flow, FlowEndReason reason);
}
