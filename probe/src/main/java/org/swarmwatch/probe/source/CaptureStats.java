package org.swarmwatch.probe.source;

/**
 * libpcap's counters for a live capture ({@code pcap_stats}), cumulative since the capture
 * opened. On Linux {@code received} counts packets that passed the filter, including dropped ones;
 * on the loopback interface every packet is counted twice (it is seen leaving and arriving).
 */
public record CaptureStats(long received, long dropped, long interfaceDropped) {
    public static final CaptureStats ZERO = new CaptureStats(0, 0, 0);

    public CaptureStats minus(CaptureStats earlier) {
        return new CaptureStats(received - earlier.received, dropped - earlier.dropped, interfaceDropped - earlier.interfaceDropped);
    }
}
