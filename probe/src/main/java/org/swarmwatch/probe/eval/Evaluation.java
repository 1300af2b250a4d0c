package org.swarmwatch.probe.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.swarmwatch.probe.source.PcapFileSource;

/** Runs the tools over the captures of a folder and scores them against a ground truth. */
public final class Evaluation {
    private Evaluation() {
    }

    /** The captures of {@code dir} that the ground truth describes, by name. */
    static List<Path> captures(Path dir, GroundTruth truth) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : truth.expectedBitTorrentFlows().keySet()) {
            Path p = dir.resolve(name);
            if (!Files.exists(p)) {
                throw new IOException(dir + ": the manifest names " + name + ", which is not there");
            }
            files.add(p);
        }
        return files;
    }

    /** The probe itself, in process: every dissector, every record kept. */
    static CaptureResult probe(Path capture) throws Exception {
        List<ProbeRecord> records = new ArrayList<>();
        RecordSink sink = new RecordSink() {
            @Override
            public void accept(ProbeRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ProbeSettings settings = new ProbeSettings("eval", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()), AddressMode.PSEUDONYMISED),
                Duration.ofSeconds(60));
        ProbePipeline pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
        try (PcapFileSource source = new PcapFileSource(capture)) {
            new CaptureRunner(source, pipeline, ReplaySpeed.MAX).run(null);
        }
        int flows = 0, bt = 0;
        Map<String, Set<String>> hashes = new HashMap<>();
        for (ProbeRecord r : records) {
            if (r instanceof FlowRecord f) {
                if (f.ianaNumber() != 6 && f.ianaNumber() != 17) {
                    continue; // ICMP errors and the like: no tool labels them, and ndpiReader does not list them
                }
                flows++;
                if (f.protocol().equals("bittorrent")) {
                    bt++;
                }
            } else if (r instanceof ObservationRecord o) {
                hashes.computeIfAbsent(o.hash().hex(), h -> new HashSet<>()).add(o.hash().kind().wireName());
            }
        }
        return new CaptureResult(flows, bt, hashes);
    }

    private static final Pattern NDPI_FLOW = Pattern.compile("^\\s*\\d+\\s+(TCP|UDP)\\s.*?\\[proto: [^/\\]]*/([^\\]]*)\\]");
    private static final Pattern NDPI_HASH = Pattern.compile("\\[BT Hash: ([0-9a-f]{40})\\]");

    /** nDPI's ndpiReader on the same capture ({@code -v 2}: one line per flow, with the BitTorrent hash it saw). */
    static CaptureResult ndpi(Path capture) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ndpiReader", "-i", capture.toString(), "-v", "2").redirectErrorStream(true).start();
        int flows = 0, bt = 0;
        Map<String, Set<String>> hashes = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                Matcher m = NDPI_FLOW.matcher(line);
                if (!m.find()) {
                    continue;
                }
                flows++;
                if (m.group(2).contains("BitTorrent")) {
                    bt++;
                }
                Matcher h = NDPI_HASH.matcher(line);
                if (h.find()) {
                    hashes.computeIfAbsent(h.group(1), x -> new HashSet<>()).add("btih");
                }
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ndpiReader failed on " + capture + " (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
        }
        return new CaptureResult(flows, bt, hashes);
    }
}
