package org.swarmwatch.probe.flow;

import java.time.Duration;

/**
 * Limits of a {@link FlowTable}.
 *
 * @param idleTimeout        a flow with no packet for this long ends ({@code idle_timeout})
 * @param activeTimeout      a flow older than this is written and goes on as a new segment ({@code active_timeout})
 * @param tcpClosedLinger    after FIN from both sides or RST, how long late packets still count to the flow
 * @param maxFlows           hard bound on flows held; beyond it the least recently seen flow is evicted
 */
public record FlowTableConfig(Duration idleTimeout, Duration activeTimeout, Duration tcpClosedLinger, int maxFlows) {

    /** Bytes a flow costs, measured (docs/benchmarks.md): the object, its table slot and headroom. */
    public static final long BYTES_PER_FLOW = 200;

    public FlowTableConfig {
        requirePositive("idle timeout", idleTimeout);
        requirePositive("active timeout", activeTimeout);
        requirePositive("TCP closed linger", tcpClosedLinger);
        if (maxFlows < 16 || maxFlows > (1 << 28)) {
            throw new IllegalArgumentException("max flows must be between 16 and " + (1 << 28) + ", got " + maxFlows);
        }
    }

    public static FlowTableConfig defaults() {
        return new FlowTableConfig(Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(60), 1_000_000);
    }

    /** The flow bound that fits a memory budget at {@link #BYTES_PER_FLOW}. */
    public static int maxFlowsForMemory(long bytes) {
        long flows = bytes / BYTES_PER_FLOW;
        return (int) Math.max(16, Math.min(1 << 28, flows));
    }

    public FlowTableConfig withMaxFlows(int flows) {
        return new FlowTableConfig(idleTimeout, activeTimeout, tcpClosedLinger, flows);
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
