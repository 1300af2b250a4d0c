package org.swarmwatch.probe.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.StatsRecord;
import org.swarmwatch.probe.export.RecordSink;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.pipeline.ReplaySpeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Replays the BitTorrent and P2P captures that sit beside the project (../shared) through the probe, "
                    + "writes every record to a JSON Lines file and prints a table of what was found per capture.",
            "Later versions run the whole service (Kafka, classifier, dashboard) on embedded defaults."})
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ProbeOptions options;

    @Option(names = "--captures", paramLabel = "DIR", description = "Directory of the shared captures (default: ../shared next to the project).")
    Path captures;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        Path shared = captures != null ? captures : Path.of(System.getProperty("swarmwatch.home", ".")).resolve("../shared").normalize();
        List<Path> files = new ArrayList<>();
        try {
            files.addAll(list(shared.resolve("bt-captures/pcaps")));
            files.addAll(list(shared.resolve("pcaps/p2p")));
        } catch (IOException e) {
            err.println("swarmwatch demo: cannot list captures in " + shared + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            err.println("swarmwatch demo: no captures found under " + shared
                    + " (expected bt-captures/pcaps/*.pcap and pcaps/p2p/*); give --captures DIR");
            return ExitCodes.USAGE;
        }
        if (options.out == null) {
            options.out = Path.of(System.getProperty("swarmwatch.home", ".")).resolve("target/demo/records.jsonl");
        }
        ProbeSettings settings;
        try {
            settings = options.settings(err);
        } catch (IllegalArgumentException | IOException e) {
            err.println("swarmwatch demo: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        err.println("replaying " + files.size() + " captures from " + shared + " ...");
        Summary summary;
        int code;
        try (GracefulStop stop = new GracefulStop(); RecordSink file = options.openSink(System.out)) {
            summary = new Summary(file);
            code = ReplayCommand.replay(settings, ReplaySpeed.MAX, files, summary, stop, options, err);
        } catch (UncheckedIOException | IOException e) {
            err.println("swarmwatch demo: cannot write " + options.out + ": " + e.getMessage());
            return ExitCodes.OUTPUT;
        }
        summary.print(System.out);
        System.out.println();
        System.out.println("records: " + options.out.toAbsolutePath().normalize()
                + "   (one JSON object per line; docs/events.md describes the fields)");
        return code;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
        }
    }

    /** Passes records on and keeps, per capture, the totals of its stats records and the hashes observed. */
    private static final class Summary implements RecordSink {
        private final RecordSink next;
        private final Map<String, long[]> perCapture = new LinkedHashMap<>();
        private final Map<String, Map<String, Long>> protocols = new LinkedHashMap<>();
        private final Map<String, java.util.Set<String>> hashes = new LinkedHashMap<>();
        /** Hashes of the capture being replayed: its stats record comes after its observations. */
        private final java.util.Set<String> pendingHashes = new java.util.TreeSet<>();

        Summary(RecordSink next) {
            this.next = next;
        }

        @Override
        public void accept(ProbeRecord record) throws IOException {
            if (record instanceof ObservationRecord o) {
                pendingHashes.add(o.hash().hex());
            }
            if (record instanceof StatsRecord s) {
                String name = Path.of(s.captureSource()).getFileName().toString();
                hashes.computeIfAbsent(name, k -> new java.util.TreeSet<>()).addAll(pendingHashes);
                pendingHashes.clear();
                long[] t = perCapture.computeIfAbsent(name, k -> new long[2]);
                t[0] += s.packets();
                t[1] += s.flowsExported();
                Map<String, Long> p = protocols.computeIfAbsent(name, k -> new LinkedHashMap<>());
                s.protocols().forEach((proto, c) -> p.merge(proto, c.flows(), Long::sum));
            }
            next.accept(record);
        }

        @Override
        public void flush() throws IOException {
            next.flush();
        }

        @Override
        public void close() throws IOException {
            next.close();
        }

        void print(PrintStream out) {
            out.printf(Locale.ROOT, "%-42s %8s %6s  %-28s %s%n", "capture", "packets", "flows", "flows by protocol", "content hashes seen");
            perCapture.forEach((name, t) -> out.printf(Locale.ROOT, "%-42s %,8d %,6d  %-28s %s%n", name, t[0], t[1], protocols.get(name),
                    describe(hashes.getOrDefault(name, java.util.Set.of()))));
        }

        private static String describe(java.util.Set<String> seen) {
            if (seen.isEmpty()) {
                return "-";
            }
            String first = seen.stream().limit(2).map(h -> h.substring(0, 12) + "...").collect(java.util.stream.Collectors.joining(" "));
            return seen.size() + ": " + first + (seen.size() > 2 ? " ..." : "");
        }
    }
}
