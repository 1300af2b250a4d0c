package org.swarmwatch.events;

/** {@code event.reason} of a flow record: why the probe wrote it. */
public enum FlowEndReason implements WireNamed {
    /** No packet for the idle timeout. */
    IDLE_TIMEOUT("idle_timeout"),
    /** The flow lasted longer than the active timeout; it goes on and a later record continues it. */
    ACTIVE_TIMEOUT("active_timeout"),
    /** TCP FIN from both sides or RST, then the closed-flow linger time passed. */
    TCP_CLOSED("tcp_closed"),
    /** The flow table hit its memory bound and this was its least recently seen flow. */
    EVICTED("evicted"),
    /** The capture ended (end of file, interface closed, probe stopped). */
    END_OF_CAPTURE("end_of_capture");

    private final String wireName;

    FlowEndReason(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static FlowEndReason fromWire(String name) {
        return WireNamed.parse(values(), name, "flow end reason");
    }
}
