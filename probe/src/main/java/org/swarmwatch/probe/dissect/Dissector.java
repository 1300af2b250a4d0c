package org.swarmwatch.probe.dissect;

/**
 * Recognises one application protocol in flows, and reports the content hashes it sees. One
 * class per protocol, in its own package under {@code dissect}, registered in
 * {@link DissectorRegistry#standard()}; the pure wire parsers live beside it.
 *
 * <p>Implementations are stateless and shared by all flows; per-flow state lives in the
 * {@link DissectorSession} that {@link #open} makes.
 */
public interface Dissector {

    /** Label written to {@code network.protocol}: lower case, stable (e.g. {@code bittorrent}). */
    String protocol();

    /** Whether flows of this IANA transport (6 TCP, 17 UDP) can be this protocol at all. */
    boolean appliesTo(int ianaProtocol);

    /** State for a new flow; called when the flow carries its first payload. */
    DissectorSession open(FlowContext flow);
}
