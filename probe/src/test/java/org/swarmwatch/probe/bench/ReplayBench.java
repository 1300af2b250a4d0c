package org.swarmwatch.probe.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.swarmwatch.events.AddressMode;
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
import org.swarmwatch.probe.source.PcapFileSource;

/**
 * Replay throughput as the command does it (libpcap through pcap4j, the reading and processing
 * threads of {@link CaptureRunner}, records built but not serialised), with every dissector and
 * with none, alternating in one JVM: what dissection costs a replay.
 *
 * <p>usage: ReplayBench FILE [ROUNDS=4] (the first round warms up)
 */
public final class ReplayBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        ProbeSettings settings = new ProbeSettings("bench", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()), AddressMode.PSEUDONYMISED),
                Duration.ofSeconds(60));
        double sumNone = 0, sumAll = 0;
        for (int round = 0; round < rounds; round++) {
            double none = run(file, settings, new DissectorRegistry(List.of()));
            double all = run(file, settings, DissectorRegistry.standard());
            System.out.printf(Locale.ROOT, "round %d: replay without dissectors %,.0f packets/s, with all %,.0f packets/s%n", round, none, all);
            if (round > 0) {
                sumNone += none;
                sumAll += all;
            }
        }
        double none = sumNone / (rounds - 1), all = sumAll / (rounds - 1);
        System.out.printf(Locale.ROOT, "replay: without dissectors %,.0f packets/s, with all %,.0f packets/s (%.0f%% of it)%n",
                none, all, 100 * all / none);
    }

    private static double run(Path file, ProbeSettings settings, DissectorRegistry registry) throws Exception {
        RecordSink sink = new RecordSink() {
            @Override
            public void accept(ProbeRecord record) {
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ProbePipeline pipeline = new ProbePipeline(settings, sink, registry);
        System.gc();
        long start = System.nanoTime();
        try (PcapFileSource source = new PcapFileSource(file)) {
            new CaptureRunner(source, pipeline, ReplaySpeed.MAX).run(null);
        }
        return pipeline.totalPackets() / ((System.nanoTime() - start) / 1e9);
    }
}
