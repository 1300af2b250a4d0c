package org.swarmwatch.probe.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.swarmwatch.probe.eval.EvalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Replays every capture a ground-truth manifest describes and scores what the probe finds: BitTorrent flow "
                    + "recall and precision, hash recall, false hashes, hash kinds (see docs/accuracy.md).",
            "Manifests: ../shared/bt-captures/pcaps/MANIFEST.tsv and ../shared/pcaps/MANIFEST.tsv (with infohashes.tsv "
                    + "beside it); the format is read from the header. With --ndpi, ndpiReader is scored the same way on the "
                    + "same captures."})
final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of the captures (file names as in the manifest).")
    Path dir;

    @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "Ground-truth manifest (TSV).")
    Path manifest;

    @Option(names = "--ndpi", description = "Also run ndpiReader (Debian libndpi-bin) on each capture and score it alongside.")
    boolean ndpi;

    @Option(names = "--per-capture", description = "Print one line per capture and tool.")
    boolean perCapture;

    @Override
    public Integer call() {
        PrintStream out = System.out, err = System.err;
        try {
            EvalReport report = EvalReport.run(dir, manifest, ndpi, perCapture ? out : null);
            out.println(report.table());
            return ExitCodes.OK;
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("swarmwatch eval: no such file: " + e.getFile());
            return ExitCodes.INPUT;
        } catch (IOException e) {
            err.println("swarmwatch eval: " + e.getMessage());
            return ExitCodes.INPUT;
        } catch (Exception e) {
            err.println("swarmwatch eval: " + e);
            return ExitCodes.ENVIRONMENT;
        }
    }
}
