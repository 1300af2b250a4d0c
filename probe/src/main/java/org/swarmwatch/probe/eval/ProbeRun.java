package org.swarmwatch.probe.eval;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.RecordSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.CaptureRunner;
import org.swarmwatch.probe.pipeline.ProbePipeline;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.pipeline.ReplaySpeed;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;
import org.swarmwatch.probe.source.CaptureException;
import org.swarmwatch.probe.source.PcapFileSource;

/**
 * The probe on one capture, in process and as deployed: the real pipeline, every dissector, the
 * default flow timeouts. Addresses stay raw inside this class because scoring needs endpoints;
 * nothing here prints or keeps them beyond the flow keys of one capture.
 */
final class ProbeRun {
    private ProbeRun() {
    }

    /** Replays {@code capture}; {@code progress} (may be null) gets the packets processed so far and the bytes read. */
    static ToolResult replay(Path capture, Progress progress) throws CaptureException, InterruptedException {
        ToolResult result = new ToolResult();
        RecordSink sink = new RecordSink() {
            @Override
            public void accept(ProbeRecord record) {
                if (record instanceof FlowRecord f && (f.ianaNumber() == 6 || f.ianaNumber() == 17)) {
                    // only TCP and UDP are scored: ICMP errors quoting a datagram are nobody's P2P flow
                    result.flow(FlowKey.of(f.transport(), f.source().ip(), f.source().port(), f.destination().ip(),
                            f.destination().port()), f.protocol());
                } else if (record instanceof ObservationRecord o) {
                    result.hash(o.hash().hex(), o.hash().kind().wireName());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ProbeSettings settings = new ProbeSettings("eval", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()), AddressMode.RAW),
                Duration.ofSeconds(60));
        ProbePipeline pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
        try (PcapFileSource source = new PcapFileSource(capture)) {
            CaptureRunner runner = new CaptureRunner(source, pipeline, ReplaySpeed.MAX);
            LongConsumer onBatch = progress == null ? null : packets -> progress.update(packets, runner.bytesRead());
            runner.run(onBatch);
        }
        return result;
    }

    /** How far a replay is. */
    interface Progress {
        void update(long packets, long bytesRead);
    }
}
