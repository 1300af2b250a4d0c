package org.swarmwatch.probe.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.swarmwatch.probe.eval.EvalReport;
import org.swarmwatch.probe.eval.Evaluation;
import org.swarmwatch.probe.eval.ManifestException;
import org.swarmwatch.probe.eval.MissingToolException;
import org.swarmwatch.probe.eval.ReportFormat;
import org.swarmwatch.probe.source.CaptureException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Replays the captures in DIR that a ground-truth manifest describes through the probe and scores what it finds: "
                    + "P2P flow recall and precision per protocol, content hashes found (recall) and false, hash kinds right. "
                    + "Subscriber addresses are never printed.",
            "Manifests: ../shared/bt-captures/pcaps/MANIFEST.tsv and ../shared/pcaps/MANIFEST.tsv (with infohashes.tsv beside it); "
                    + "the format is recognised by the header, and file names are relative to the manifest's folder, so DIR may be "
                    + "a folder inside it. With --ndpi or --ndpi-output, ndpiReader is scored the same way on the same captures. "
                    + "docs/accuracy.md says how each figure is defined.",
            "Exit code 1 also means a manifest that cannot be used (the error names file, line and column) or a capture it "
                    + "names that is missing; 3, that --ndpi was given and ndpiReader is not installed."})
final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of the captures to score.")
    Path dir;

    @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "Ground-truth manifest (TSV).")
    Path manifest;

    @ArgGroup(exclusive = true)
    NdpiSource ndpi;

    static final class NdpiSource {
        @Option(names = "--ndpi", description = "Also run ndpiReader (Debian libndpi-bin) on each capture and score it alongside.")
        boolean run;

        @Option(names = "--ndpi-output", paramLabel = "DIR",
                description = "Also score ndpiReader from output saved earlier: DIR/NAME.txt holds `ndpiReader -q -v 2 -i CAPTURE` "
                        + "for the capture the manifest names NAME (scripts/accuracy.sh writes them).")
        Path saved;
    }

    @Option(names = "--format", paramLabel = "text|markdown|json", defaultValue = "text",
            description = "Output: text tables (default), markdown (tools side by side) or json.")
    String format;

    @Option(names = "--per-capture", description = "Also one entry per capture and tool, with missed and false hashes named.")
    boolean perCapture;

    @Option(names = {"-q", "--quiet"}, description = "No progress display on standard error.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintStream out = System.out, err = System.err;
        ReportFormat reportFormat;
        try {
            reportFormat = ReportFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("swarmwatch eval: --format must be text, markdown or json, not '" + format + "'");
            return ExitCodes.USAGE;
        }
        Evaluation.Ndpi tool = ndpi == null ? Evaluation.Ndpi.NONE : ndpi.run ? Evaluation.Ndpi.RUN : Evaluation.Ndpi.saved(ndpi.saved);
        ProgressBar progress = !quiet && Boolean.getBoolean("swarmwatch.stderr.tty") ? new ProgressBar(err) : null;
        Evaluation.Listener listener = new Evaluation.Listener() {
            @Override
            public void progress(String label, double fraction, long packets) {
                if (progress != null) {
                    progress.update(label, fraction, packets, false);
                }
            }

            @Override
            public void warning(String message) {
                if (progress != null) {
                    progress.finish();
                }
                err.println("swarmwatch eval: " + message);
            }
        };
        EvalReport report;
        try {
            report = Evaluation.run(dir, manifest, tool, listener);
        } catch (ManifestException e) {
            return fail(err, progress, e.getMessage(), ExitCodes.INPUT);
        } catch (NoSuchFileException e) {
            return fail(err, progress, "no such file: " + e.getFile() + (e.getReason() == null ? "" : " (" + e.getReason() + ")"), ExitCodes.INPUT);
        } catch (MissingToolException e) {
            return fail(err, progress, e.getMessage(), ExitCodes.ENVIRONMENT);
        } catch (IOException e) {
            return fail(err, progress, e.getMessage(), ExitCodes.INPUT);
        } catch (CaptureException e) {
            return fail(err, progress, e.getMessage(), e.environment() ? ExitCodes.ENVIRONMENT : ExitCodes.INPUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, progress, "interrupted", ExitCodes.INPUT);
        }
        if (progress != null) {
            progress.finish();
        }
        try {
            reportFormat.write(report, perCapture, out);
        } catch (IOException e) {
            return fail(err, null, "cannot write the report: " + e.getMessage(), ExitCodes.OUTPUT);
        }
        out.flush();
        if (out.checkError()) {
            return fail(err, null, "cannot write the report to standard output", ExitCodes.OUTPUT);
        }
        return report.skipped().isEmpty() ? ExitCodes.OK : ExitCodes.INPUT;
    }

    private static int fail(PrintStream err, ProgressBar progress, String message, int code) {
        if (progress != null) {
            progress.finish();
        }
        err.println("swarmwatch eval: " + message);
        return code;
    }
}
