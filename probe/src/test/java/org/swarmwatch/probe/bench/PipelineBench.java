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
    /**
     * The standard dissectors, less those named (simple class names) in {@code -Dbench.without=A,B},
     * or only those in {@code -Dbench.only=A,B}: to see what each costs.
     */
    static List<Dissector> dissectors() {
        List<String> without = List.of(System.getProperty("bench.without", "").split(","));
        List<String> only = List.of(System.getProperty("bench.only", "").split(","));
        return DissectorRegistry.standardDissectors().stream()
                .filter(d -> !without.contains(d.getClass().getSimpleName())
                        && (only.equals(List.of("")) || only.contains(d.getClass().getSimpleName())))
                .toList();
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
        System.out.printf(Locale.ROOT, "%,d frames in memory; %d rounds of (no dissectors, all dissectors), the first three warm up%n",
                frames.size(), rounds);
        int warmUp = Math.min(3, rounds - 1);
        double[] none = new double[rounds - warmUp], all = new double[rounds - warmUp];
        for (int round = 0; round < rounds; round++) {
            System.gc(); // each timed run starts from the same heap, not the previous run's garbage
            // -Dbench.profile=all: only the runs with dissectors (to profile them alone)
            double n = PROFILE_ALL ? 1 : run(frames, new ProbePipeline(settings, counting, new DissectorRegistry(List.of())));
            System.gc();
            double a = run(frames, new ProbePipeline(settings, counting, new DissectorRegistry(dissectors())));
            System.out.printf(Locale.ROOT, "round %d: no dissectors %,.0f packets/s, all dissectors %,.0f packets/s%n", round, n, a);
            if (round >= warmUp) {
                none[round - warmUp] = n;
                all[round - warmUp] = a;
            }
        }
        double n = median(none), a = median(all);
        System.out.printf(Locale.ROOT, "processing thread (medians of rounds %d-%d): no dissectors %,.0f packets/s, all dissectors %,.0f packets/s "
                + "(%.0f%% of it)%n", warmUp, rounds - 1, n, a, 100 * a / n);
    }

    private static final boolean PROFILE_ALL = "all".equals(System.getProperty("bench.profile"));

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
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
