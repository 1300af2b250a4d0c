package org.swarmwatch.probe.pipeline;

import java.time.Duration;
import java.util.Objects;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.swarm.SwarmTableConfig;

/**
 * Everything a {@link ProbePipeline} needs to know.
 *
 * @param observer      {@code observer.name} written into every record
 * @param flowTable     flow table limits and timeouts
 * @param decoderLimits decoder bounds (tunnel depth, fragment reassembly)
 * @param addresses     how addresses appear in records
 * @param statsInterval capture time between stats records
 * @param flowExport    which ended flows get a flow record ({@link FlowExport})
 * @param swarmTable    bounds and lifetime of the swarm table (hashes for encrypted flows)
 */
public record ProbeSettings(String observer, FlowTableConfig flowTable, DecoderLimits decoderLimits,
                            AddressPolicy addresses, Duration statsInterval, FlowExport flowExport,
                            SwarmTableConfig swarmTable) {

    /** Which ended flows get a flow record; stats records count every flow either way. */
    public enum FlowExport {
        /** Every flow (files, lab work, evaluation). */
        ALL,
        /**
         * Only flows a dissector recognised (BitTorrent and the other P2P families): what an ISP
         * probe exports, since a record per web or video flow of every subscriber is personal data
         * the service does not need (data minimisation), and 90% of the volume. Other traffic is
         * counted, per protocol, in stats records.
         */
        P2P
    }

    /** Settings with the default swarm table. */
    public ProbeSettings(String observer, FlowTableConfig flowTable, DecoderLimits decoderLimits, AddressPolicy addresses,
            Duration statsInterval, FlowExport flowExport) {
        this(observer, flowTable, decoderLimits, addresses, statsInterval, flowExport, SwarmTableConfig.defaults());
    }

    /** Settings that export every flow. */
    public ProbeSettings(String observer, FlowTableConfig flowTable, DecoderLimits decoderLimits, AddressPolicy addresses,
            Duration statsInterval) {
        this(observer, flowTable, decoderLimits, addresses, statsInterval, FlowExport.ALL);
    }

    public ProbeSettings {
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(flowTable, "flowTable");
        Objects.requireNonNull(decoderLimits, "decoderLimits");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(flowExport, "flowExport");
        Objects.requireNonNull(swarmTable, "swarmTable");
        if (statsInterval == null || statsInterval.isNegative() || statsInterval.isZero()) {
            throw new IllegalArgumentException("stats interval must be positive, got " + statsInterval);
        }
    }
}
