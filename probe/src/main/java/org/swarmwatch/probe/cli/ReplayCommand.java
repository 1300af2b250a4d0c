package org.swarmwatch.probe.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.swarmwatch.events.health.HealthServer;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.export.RecordSink;
import org.swarmwatch.probe.pipeline.CaptureRunner;
import org.swarmwatch.probe.pipeline.ProbePipeline;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.pipeline.ReplaySpeed;
import org.swarmwatch.probe.source.CaptureException;
import org.swarmwatch.probe.source.PcapFileSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
            "Reads pcap and pcapng files and writes what the probe finds as JSON Lines: a flow record per flow, "
                    + "observation records for content hashes, and stats records.",
            "Each file is a capture of its own: its flows end with it (event.reason=end_of_capture) and a stats record "
                    + "closes it. A file that cannot be read is reported and skipped; the others are still processed."})
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ProbeOptions options;

    @Mixin
    HealthOptions health;

    @Option(names = "--speed", paramLabel = "max|1x|Nx", defaultValue = "max",
            description = "Replay speed: max (as fast as possible) or a factor of the recorded pace (default: ${DEFAULT-VALUE}).")
    String speed;

    @Option(names = "--timestamps", paramLabel = "recorded|now", defaultValue = "recorded",
            description = "recorded: the capture's own times (default); now: each file shifted so that its first frame is stamped "
                    + "with the time it is replayed (recorded captures look like live traffic; what the demo does).")
    String timestamps;

    @Option(names = "--loop", description = "Replay the files again and again until stopped (Ctrl-C or SIGTERM); with --timestamps now, "
            + "for demonstrations.")
    boolean loop;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files (pcap or pcapng).")
    List<Path> files;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        ReplaySpeed replaySpeed;
        ProbeSettings settings;
        java.net.InetSocketAddress healthAddress;
        try {
            replaySpeed = ReplaySpeed.parse(speed);
            if (!timestamps.equals("recorded") && !timestamps.equals("now")) {
                throw new IllegalArgumentException("--timestamps '" + timestamps + "' must be recorded or now");
            }
            settings = options.settings(err);
            healthAddress = health.bindAddress();
        } catch (IllegalArgumentException | IOException e) {
            err.println("swarmwatch replay: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (GracefulStop stop = new GracefulStop(); RecordSink sink = options.openSink(System.out);
                HealthServer healthServer = health.start("replay", healthAddress, options.kafkaSink, err)) {
            return replay(settings, replaySpeed, files, new Rounds(loop, timestamps.equals("now")), sink, stop, options, health, err);
        } catch (HealthOptions.CannotListen e) {
            err.println("swarmwatch replay: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (UncheckedIOException | IOException e) {
            err.println("swarmwatch replay: cannot write records" + (options.out == null ? "" : " to " + options.out) + ": "
                    + e.getMessage());
            return ExitCodes.OUTPUT;
        }
    }

    /**
     * How often the files are replayed, and with which times.
     *
     * @param loop again and again until stopped, instead of once
     * @param rebaseToNow each file's first frame stamped with the time it is replayed ({@link CaptureRunner#rebaseToNow})
     */
    record Rounds(boolean loop, boolean rebaseToNow) {
        static final Rounds ONCE = new Rounds(false, false);
    }

    /** Replays the files in turn (in rounds) into one sink; returns the exit code. */
    static int replay(ProbeSettings settings, ReplaySpeed speed, List<Path> files, Rounds rounds, RecordSink sink, GracefulStop stop,
                      ProbeOptions options, HealthOptions health, PrintStream err) {
        long start = System.nanoTime();
        int failures = 0;
        int replayed = 0;
        boolean environment = false;
        ProbePipeline pipeline;
        try {
            pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
            ProgressBar progress = options.showProgress() ? new ProgressBar(err) : null;
            long packetsBefore = 0;
            int round = 0;
            boolean interrupted = false;
            boolean again = true;
            while (again && !stop.requested()) {
                round++;
                int failedBefore = failures;
                for (int i = 0; i < files.size() && !stop.requested(); i++) {
                    Path file = files.get(i);
                    String label = (rounds.loop() ? "round " + round + " " : "")
                            + (files.size() > 1 ? "[" + (i + 1) + "/" + files.size() + "] " : "") + file.getFileName();
                    long size = sizeOf(file);
                    try (PcapFileSource source = new PcapFileSource(file)) {
                        CaptureRunner runner = new CaptureRunner(source, pipeline, speed).heartbeats(health.reader, health.processing);
                        if (rounds.rebaseToNow()) {
                            runner.rebaseToNow();
                        }
                        stop.watch(runner);
                        long base = packetsBefore;
                        runner.run(processed -> {
                            if (progress != null) {
                                progress.update(label, size > 0 ? (double) runner.bytesRead() / size : -1, base + processed, false);
                            }
                        });
                        replayed++;
                    } catch (CaptureException e) {
                        if (progress != null) {
                            progress.finish();
                        }
                        err.println("swarmwatch replay: " + e.getMessage());
                        failures++;
                        environment |= e.environment();
                        if (e.environment()) {
                            break;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        interrupted = true;
                        break;
                    }
                    packetsBefore = pipeline.totalPackets();
                }
                // another round only when looping and this one read something (all files failing would spin)
                again = rounds.loop() && !environment && !interrupted && failures - failedBefore < files.size();
            }
            if (progress != null) {
                progress.finish();
            }
        } catch (UncheckedIOException e) {
            err.println("swarmwatch replay: cannot write records" + (options.out == null ? "" : " to " + options.out) + ": "
                    + e.getMessage());
            return ExitCodes.OUTPUT;
        }
        if (!options.quiet) {
            double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            err.printf(Locale.ROOT, "replayed %d file(s): %,d packets, %,d flows, %,d observations in %.2f s (%,.0f packets/s)%s%n",
                    replayed, pipeline.totalPackets(), pipeline.totalFlows(), pipeline.totalObservations(),
                    seconds, pipeline.totalPackets() / seconds,
                    failures == 0 ? "" : "; " + failures + " file(s) failed");
        }
        if (environment) {
            return ExitCodes.ENVIRONMENT;
        }
        return failures == 0 ? ExitCodes.OK : ExitCodes.INPUT;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
