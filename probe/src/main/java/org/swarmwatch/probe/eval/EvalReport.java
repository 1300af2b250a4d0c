package org.swarmwatch.probe.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** One evaluation run: the probe (and optionally ndpiReader) over one folder, scored against one manifest. */
public final class EvalReport {
    private final Scorecard probe = new Scorecard("swarmwatch");
    private final Scorecard ndpi;

    private EvalReport(boolean withNdpi) {
        this.ndpi = withNdpi ? new Scorecard("ndpiReader") : null;
    }

    /** Runs it; {@code perCapture}, when not null, gets one line per capture and tool. */
    public static EvalReport run(Path dir, Path manifest, boolean withNdpi, PrintStream perCapture) throws Exception {
        GroundTruth truth = GroundTruth.read(manifest);
        EvalReport report = new EvalReport(withNdpi);
        List<Path> captures = Evaluation.captures(dir, truth);
        for (Path capture : captures) {
            String name = dir.relativize(capture).toString();
            String line = report.probe.add(name, Evaluation.probe(capture), truth);
            if (perCapture != null) {
                perCapture.println(line);
            }
            if (report.ndpi != null) {
                line = report.ndpi.add(name, Evaluation.ndpi(capture), truth);
                if (perCapture != null) {
                    perCapture.println(line);
                }
            }
        }
        return report;
    }

    /** The Markdown table of the run. */
    public String table() {
        return Scorecard.header() + "\n" + probe.row() + (ndpi == null ? "" : "\n" + ndpi.row());
    }

    Scorecard probe() {
        return probe;
    }
}
