package org.swarmwatch.probe.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.JsonLinesSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;
import picocli.CommandLine.Option;

/** The options every probe command shares: identity, privacy, flow table, output. */
final class ProbeOptions {

    @Option(names = "--observer", paramLabel = "NAME",
            description = "Probe name written to observer.name (default: the host name).")
    String observer;

    @Option(names = "--subscriber-net", paramLabel = "CIDR", split = ",",
            description = "Subscriber networks: their addresses leave the probe only as pseudonyms. "
                    + "Default: every address (nothing in clear).")
    String[] subscriberNets;

    @Option(names = "--pseudonym-key-file", paramLabel = "FILE",
            description = "HMAC key for subscriber pseudonyms (hex or base64, >= 16 bytes, mode 600). "
                    + "Else from $" + PseudonymKey.ENVIRONMENT_VARIABLE + "; else a random key for this run only.")
    Path pseudonymKeyFile;

    @Option(names = "--lab-raw-addresses",
            description = "LAB USE ONLY: write subscriber addresses in clear; every record says addresses=raw.")
    boolean labRawAddresses;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "120s",
            converter = Units.DurationConverter.class, description = "End a flow after this long without packets (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--active-timeout", paramLabel = "DURATION", defaultValue = "300s",
            converter = Units.DurationConverter.class, description = "Write long flows every DURATION (default: ${DEFAULT-VALUE}).")
    Duration activeTimeout;

    @Option(names = "--tcp-closed-linger", paramLabel = "DURATION", defaultValue = "60s",
            converter = Units.DurationConverter.class, description = "Keep closed TCP flows this long for late packets (default: ${DEFAULT-VALUE}).")
    Duration tcpClosedLinger;

    @Option(names = "--flow-memory", paramLabel = "SIZE", defaultValue = "256m", converter = Units.SizeConverter.class,
            description = "Memory bound of the flow table; beyond it the least recently seen flow is evicted "
                    + "(default: ${DEFAULT-VALUE}, about " + FlowTableConfig.BYTES_PER_FLOW + " bytes a flow).")
    long flowMemory;

    @Option(names = "--stats-interval", paramLabel = "DURATION", defaultValue = "60s",
            converter = Units.DurationConverter.class, description = "Capture time between stats records (default: ${DEFAULT-VALUE}).")
    Duration statsInterval;

    @Option(names = "--out", paramLabel = "FILE", description = "Write JSON Lines records to FILE instead of standard output.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress display and no summary on standard error.")
    boolean quiet;

    /** Builds the settings, or throws IllegalArgumentException / IOException with a message for the user. */
    ProbeSettings settings(PrintStream err) throws IOException {
        SubscriberNetworks subscribers = subscriberNets == null || subscriberNets.length == 0
                ? SubscriberNetworks.everything()
                : SubscriberNetworks.parse(String.join(",", subscriberNets));
        PseudonymKey key = pseudonymKeyFile != null
                ? PseudonymKey.fromFile(pseudonymKeyFile)
                : PseudonymKey.fromEnvironment(System.getenv(PseudonymKey.ENVIRONMENT_VARIABLE));
        if (key == null) {
            key = PseudonymKey.ephemeral();
            if (!quiet && !labRawAddresses) {
                err.println("note: no pseudonym key configured (--pseudonym-key-file or $" + PseudonymKey.ENVIRONMENT_VARIABLE
                        + "): using a random key for this run; pseudonyms will not match other runs");
            }
        }
        if (labRawAddresses) {
            err.println("WARNING: --lab-raw-addresses: subscriber addresses are written in clear. Lab use only.");
        }
        AddressPolicy policy = new AddressPolicy(subscribers, new Pseudonymiser(key),
                labRawAddresses ? AddressMode.RAW : AddressMode.PSEUDONYMISED);
        FlowTableConfig table = new FlowTableConfig(idleTimeout, activeTimeout, tcpClosedLinger,
                FlowTableConfig.maxFlowsForMemory(flowMemory));
        return new ProbeSettings(observerName(), table, DecoderLimits.defaults(), policy, statsInterval);
    }

    String observerName() {
        if (observer != null && !observer.isBlank()) {
            return observer;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "probe";
        }
    }

    JsonLinesSink openSink(PrintStream stdout) throws IOException {
        if (out == null) {
            return new JsonLinesSink(stdout, false);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream file = Files.newOutputStream(out);
        return new JsonLinesSink(file, true);
    }

    boolean showProgress() {
        return !quiet && Boolean.getBoolean("swarmwatch.stderr.tty");
    }
}
