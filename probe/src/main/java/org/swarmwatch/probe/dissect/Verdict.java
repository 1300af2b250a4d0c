package org.swarmwatch.probe.dissect;

/** A dissector's answer for a flow after seeing a payload. */
public enum Verdict {
    /** This flow is not the dissector's protocol; it is not asked again for this flow. */
    NOT_MINE,
    /** Cannot tell yet: show me the next payload. */
    NEED_MORE,
    /** This flow is the dissector's protocol; it gets every further payload of the flow. */
    MINE
}
