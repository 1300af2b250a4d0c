package org.swarmwatch.probe.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.dissect.Dissector;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.RecordSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.ProbePipeline;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;

/**
 * The whole processing thread (decode, flow table, dissectors, pseudonyms, record objects; no
 * JSON, no output) on frames held in memory, with every dissector and with none, alternating, so
 * that the cost of dissection is measured on the same frames in the same JVM.
 *
 * <p>usage: PipelineBench FILE [MAX_FRAMES=400000] [ROUNDS=5]
 */
public final class PipelineBench {
    /** The standard dissectors, less those named (simple class names) in {@code -Dbench.without=A,B}. */
    static List<Dissector> dissectors() {
        List<String> without = List.of(System.getProperty("bench.without", "").split(","));
        return DissectorRegistry.standardDissectors().stream().filter(d -> !without.contains(d.getClass().getSimpleName())).toList();
    }

    public static void main(String[] args) throws Exception {
        BenchFrames frames = BenchFrames.load(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 400_000);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long[] records = {0};
        RecordSink counting = new RecordSink() {
            @Override
            public void accept(ProbeRecord record) {
                records[0]++;
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ProbeSettings settings = new ProbeSettings("bench", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()), AddressMode.PSEUDONYMISED),
                Duration.ofSeconds(60));
        System.out.printf(Locale.ROOT, "%,d frames in memory; %d rounds of (no dissectors, all dissectors), first round = warm-up%n",
                frames.size(), rounds);
        double sumNone = 0, sumAll = 0;
        for (int round = 0; round < rounds; round++) {
            double none = run(frames, new ProbePipeline(settings, counting, new DissectorRegistry(List.of())));
            double all = run(frames, new ProbePipeline(settings, counting, new DissectorRegistry(dissectors())));
            System.out.printf(Locale.ROOT, "round %d: no dissectors %,.0f packets/s, all dissectors %,.0f packets/s%n", round, none, all);
            if (round > 0) {
                sumNone += none;
                sumAll += all;
            }
        }
        double none = sumNone / (rounds - 1), all = sumAll / (rounds - 1);
        System.out.printf(Locale.ROOT, "processing thread: no dissectors %,.0f packets/s, all dissectors %,.0f packets/s (%.0f%% of it)%n",
                none, all, 100 * all / none);
    }

    private static double run(BenchFrames f, ProbePipeline pipeline) {
        pipeline.beginCapture("bench", f.linkType());
        long start = System.nanoTime();
        for (int i = 0; i < f.size(); i++) {
            byte[] frame = f.frames().get(i);
            pipeline.onFrame(frame, frame.length, frame.length, f.timestamps()[i], null);
        }
        pipeline.endCapture(null);
        return f.size() / ((System.nanoTime() - start) / 1e9);
    }
}
