package org.swarmwatch.probe.pipeline;

import java.time.Duration;
import java.util.Objects;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.flow.FlowTableConfig;

/**
 * Everything a {@link ProbePipeline} needs to know.
 *
 * @param observer      {@code observer.name} written into every record
 * @param flowTable     flow table limits and timeouts
 * @param decoderLimits decoder bounds (tunnel depth, fragment reassembly)
 * @param addresses     how addresses appear in records
 * @param statsInterval capture time between stats records
 */
public record ProbeSettings(String observer, FlowTableConfig flowTable, DecoderLimits decoderLimits,
                            AddressPolicy addresses, Duration statsInterval) {
    public ProbeSettings {
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(flowTable, "flowTable");
        Objects.requireNonNull(decoderLimits, "decoderLimits");
        Objects.requireNonNull(addresses, "addresses");
        if (statsInterval == null || statsInterval.isNegative() || statsInterval.isZero()) {
            throw new IllegalArgumentException("stats interval must be positive, got " + statsInterval);
        }
    }
}
