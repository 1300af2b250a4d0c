package org.swarmwatch.probe.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.swarmwatch.probe.source.CaptureException;

/**
 * Runs the tools over the captures of a folder that a ground truth describes, and scores them the
 * same way: the probe always, ndpiReader when asked (run now, or its saved output read).
 */
public final class Evaluation {
    /** The name the probe's scores go under. */
    public static final String PROBE = "swarmwatch";
    /** The name ndpiReader's scores go under. */
    public static final String NDPI = "ndpiReader";
    private static final Set<String> CAPTURE_EXTENSIONS = Set.of("pcap", "pcapng", "cap");

    private Evaluation() {
    }

    /**
     * Where ndpiReader's results come from: nowhere (probe only), ndpiReader run now on each
     * capture, or files an earlier run saved: {@code DIR/NAME.txt} for the capture the manifest
     * names {@code NAME}, holding the output of {@code ndpiReader -q -v 2 -i CAPTURE}.
     */
    public record Ndpi(boolean run, Path savedOutputs) {
        public static final Ndpi NONE = new Ndpi(false, null);
        public static final Ndpi RUN = new Ndpi(true, null);

        public static Ndpi saved(Path dir) {
            return new Ndpi(false, dir);
        }

        boolean wanted() {
            return run || savedOutputs != null;
        }
    }

    /** What the evaluation tells as it goes. */
    public interface Listener {
        /** Progress through a capture: a label, the fraction of the file read (or -1), packets so far. */
        void progress(String label, double fraction, long packets);

        /** Something the user should know (a capture skipped, files not in the manifest). */
        void warning(String message);
    }

    /**
     * Evaluates the captures under {@code dir} that the manifest describes (names are relative
     * to the manifest's folder, so {@code dir} may be that folder or a folder inside it).
     *
     * @throws ManifestException        the manifest cannot be used
     * @throws NoSuchFileException      a capture it names, or a saved ndpiReader output, is missing
     * @throws MissingToolException     ndpiReader is to be run and is not installed
     * @throws CaptureException         a capture cannot be read for a reason of the machine (libpcap missing);
     *                                  a capture that is merely corrupt is skipped and listed in the report
     */
    public static EvalReport run(Path dir, Path manifest, Ndpi ndpi, Listener listener)
            throws IOException, CaptureException, InterruptedException {
        GroundTruth truth = GroundTruth.read(manifest);
        Path folder = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(dir.toString(), null, "not a folder");
        }
        Map<Path, CaptureTruth> captures = new LinkedHashMap<>();
        for (CaptureTruth c : truth.captures()) {
            Path file = truth.base().resolve(c.name()).normalize();
            if (file.startsWith(folder)) {
                if (!Files.isRegularFile(file)) {
                    throw new NoSuchFileException(file.toString(), null, "the manifest " + manifest + " names it");
                }
                captures.put(file, c);
            }
        }
        if (captures.isEmpty()) {
            throw new ManifestException(manifest, 1, null, "names no capture in " + dir
                    + " (its file names are relative to the manifest's folder, " + truth.base() + ")");
        }
        List<String> unlisted = unlisted(folder, captures.keySet());
        if (!unlisted.isEmpty()) {
            listener.warning(unlisted.size() + " capture file(s) in " + dir + " are not in the manifest and are not scored: "
                    + String.join(", ", unlisted));
        }
        P2pProtocols p2p = new P2pProtocols(truth.protocols());
        Scorecard probe = new Scorecard(PROBE);
        Scorecard ndpiCard = ndpi.wanted() ? new Scorecard(NDPI) : null;
        List<String> skipped = new ArrayList<>();
        int i = 0;
        long[] packets = {0, 0}; // in the captures done, in the current one
        for (Map.Entry<Path, CaptureTruth> e : captures.entrySet()) {
            Path file = e.getKey();
            CaptureTruth c = e.getValue();
            String label = String.format(Locale.ROOT, "[%d/%d] %s", ++i, captures.size(), c.name());
            long size = Files.size(file);
            ToolResult found;
            try {
                packets[1] = 0;
                found = ProbeRun.replay(file, (n, bytes) -> {
                    packets[1] = n;
                    listener.progress(label, size > 0 ? (double) bytes / size : -1, packets[0] + n);
                });
                packets[0] += packets[1];
            } catch (CaptureException x) {
                if (x.environment()) {
                    throw x;
                }
                skipped.add(c.name() + ": " + x.getMessage());
                listener.warning("skipped " + c.name() + ": " + x.getMessage());
                continue;
            }
            probe.add(Scoring.score(c, found, p2p));
            if (ndpiCard != null) {
                listener.progress(label + " (ndpiReader)", -1, packets[0]);
                ndpiCard.add(Scoring.score(c, ndpi(ndpi, file, c.name()), p2p));
            }
        }
        List<Scorecard> tools = ndpiCard == null ? List.of(probe) : List.of(probe, ndpiCard);
        return new EvalReport(truth, dir, tools, List.copyOf(skipped), unlisted);
    }

    private static ToolResult ndpi(Ndpi ndpi, Path capture, String name) throws IOException, InterruptedException {
        if (ndpi.run()) {
            return NdpiReader.run(capture);
        }
        Path saved = ndpi.savedOutputs().resolve(name + ".txt");
        if (!Files.isRegularFile(saved)) {
            throw new NoSuchFileException(saved.toString(), null, "no saved ndpiReader output for " + name
                    + " (" + String.join(" ", NdpiReader.COMMAND) + " CAPTURE > " + saved + ")");
        }
        return NdpiReader.read(saved);
    }

    /** Capture files under {@code folder} that are not among {@code listed}, relative to the folder. */
    private static List<String> unlisted(Path folder, Set<Path> listed) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> CAPTURE_EXTENSIONS.contains(extension(f)))
                    .filter(f -> !listed.contains(f.normalize()))
                    .map(f -> folder.relativize(f).toString()).sorted().toList();
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
