package org.swarmwatch.probe.dissect;

/**
 * What a dissector may know about the flow it looks at. Addresses are deliberately absent:
 * dissectors work on payloads and ports, and subscriber addresses are pseudonymised later, in
 * one place.
 */
public interface FlowContext {
    /** Probe-unique flow id, the one flow and observation records carry. */
    long id();

    /** IP version of the flow's packets: 4 or 6 (compact peer lists differ by it). */
    int ipVersion();

    /** IANA transport protocol number: 6 TCP, 17 UDP. */
    int ianaProtocol();

    /**
     * TCP: whether the flow's first packet was its SYN (or SYN-ACK), so that both streams are seen
     * from their first byte. False for flows the capture joined mid-way, and for UDP.
     */
    boolean startCaptured();

    /** Port of the endpoint that opened the flow. */
    int sourcePort();

    /** Port of the other endpoint. */
    int destinationPort();
}
