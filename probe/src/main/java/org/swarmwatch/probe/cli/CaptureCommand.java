package org.swarmwatch.probe.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
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
import org.swarmwatch.probe.source.LiveInterfaceSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {
            "Captures from a network interface (a mirror port or tap) and writes JSON Lines records as replay does; "
                    + "stats records carry libpcap's received and dropped counters.",
            "Runs until interrupted (Ctrl-C, SIGTERM) or --duration has passed; then every flow is written and the output closed.",
            "Needs root or the CAP_NET_RAW and CAP_NET_ADMIN capabilities."})
final class CaptureCommand implements Callable<Integer> {

    @Mixin
    ProbeOptions options;

    @Mixin
    HealthOptions health;

    @Option(names = {"-i", "--interface"}, required = true, paramLabel = "IF", description = "Interface to capture from.")
    String interfaceName;

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", description = "Capture filter (tcpdump syntax), e.g. 'tcp or udp'.")
    String filter;

    @Option(names = "--snaplen", paramLabel = "BYTES", defaultValue = "65535",
            description = "Bytes kept of each frame (default: ${DEFAULT-VALUE}).")
    int snaplen;

    @Option(names = "--buffer", paramLabel = "SIZE", defaultValue = "64m", converter = Units.SizeConverter.class,
            description = "Kernel capture buffer (default: ${DEFAULT-VALUE}).")
    long buffer;

    @Option(names = "--promiscuous", description = "Put the interface in promiscuous mode.")
    boolean promiscuous;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Units.DurationConverter.class,
            description = "Stop after this long (default: run until interrupted).")
    Duration duration;

    @Option(names = "--write-pcap", paramLabel = "FILE",
            description = "Also write every captured frame to this pcap file, as tcpdump -w does (lab captures and test scenarios: "
                    + "the file holds subscriber addresses in clear).")
    java.nio.file.Path writePcap;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        ProbeSettings settings;
        java.net.InetSocketAddress healthAddress;
        try {
            if (snaplen < 64 || snaplen > 262144) {
                throw new IllegalArgumentException("--snaplen must be between 64 and 262144, got " + snaplen);
            }
            if (buffer < (1 << 20) || buffer > (1L << 31) - 1) {
                throw new IllegalArgumentException("--buffer must be between 1m and 2047m");
            }
            settings = options.settings(err);
            healthAddress = health.bindAddress();
        } catch (IllegalArgumentException | IOException e) {
            err.println("swarmwatch capture: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        LiveInterfaceSource source;
        try {
            source = new LiveInterfaceSource(interfaceName, snaplen, (int) buffer, filter, promiscuous, writePcap);
        } catch (CaptureException e) {
            err.println("swarmwatch capture: " + e.getMessage());
            return e.environment() ? ExitCodes.ENVIRONMENT : ExitCodes.USAGE;
        }
        try (source; GracefulStop stop = new GracefulStop(); RecordSink sink = options.openSink(System.out);
                HealthServer healthServer = health.start("capture", healthAddress, options.kafkaSink, err)) {
            ProbePipeline pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
            CaptureRunner runner = new CaptureRunner(source, pipeline, ReplaySpeed.MAX).heartbeats(health.reader, health.processing);
            stop.watch(runner);
            Thread timer = null;
            if (duration != null) {
                timer = new Thread(() -> {
                    try {
                        Thread.sleep(duration.toMillis());
                        stop.stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "capture-duration");
                timer.setDaemon(true);
                timer.start();
            }
            ProgressBar progress = options.showProgress() ? new ProgressBar(err) : null;
            if (!options.quiet) {
                err.println("capturing on " + interfaceName + (filter == null ? "" : " (filter: " + filter + ")") + "; Ctrl-C to stop");
            }
            try {
                runner.run(processed -> {
                    if (progress != null) {
                        progress.update(interfaceName, -1, processed, false);
                    }
                });
            } finally {
                if (progress != null) {
                    progress.finish();
                }
                if (timer != null) {
                    timer.interrupt();
                }
            }
            if (!options.quiet) {
                var stats = source.stats();
                err.printf(Locale.ROOT, "captured %,d packets, %,d flows; libpcap received %d, dropped %d, interface dropped %d%n",
                        pipeline.totalPackets(), pipeline.totalFlows(), stats.received(), stats.dropped(), stats.interfaceDropped());
            }
            return ExitCodes.OK;
        } catch (CaptureException e) {
            err.println("swarmwatch capture: " + e.getMessage());
            return ExitCodes.INPUT;
        } catch (HealthOptions.CannotListen e) {
            err.println("swarmwatch capture: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (UncheckedIOException | IOException e) {
            err.println("swarmwatch capture: cannot write records: " + e.getMessage());
            return ExitCodes.OUTPUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        }
    }
}
