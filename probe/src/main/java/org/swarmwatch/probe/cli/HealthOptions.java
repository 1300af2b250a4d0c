package org.swarmwatch.probe.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.swarmwatch.events.health.HealthAddress;
import org.swarmwatch.events.health.HealthCheck;
import org.swarmwatch.events.health.HealthServer;
import org.swarmwatch.events.health.Heartbeat;
import org.swarmwatch.probe.export.kafka.KafkaSink;
import picocli.CommandLine.Option;

/**
 * The health endpoint of the long-running probe commands (capture, replay): off unless
 * {@code --health-port} is given. Liveness: the capture thread and the processing thread both beat
 * within the stall timeout. Readiness: that, both have started, and with {@code --kafka} the
 * export has not been stalled (records waiting, none acknowledged) for longer than the grace.
 */
final class HealthOptions {

    @Option(names = "--health-port", paramLabel = "PORT",
            description = "Serve GET /health/live and /health/ready on this TCP port (0: a free port, logged); "
                    + "off by default (docs/operations.md).")
    Integer port;

    @Option(names = "--health-address", paramLabel = "ADDRESS", defaultValue = HealthServer.DEFAULT_ADDRESS,
            description = "Address the health endpoint binds (default: ${DEFAULT-VALUE}; in a pod its IP or 0.0.0.0, for the kubelet).")
    String address;

    @Option(names = "--health-stall-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Units.DurationConverter.class,
            description = "Not live when the capture or the processing thread made no progress for this long (default: ${DEFAULT-VALUE}).")
    Duration stallTimeout;

    @Option(names = "--health-export-grace", paramLabel = "DURATION", defaultValue = "120s", converter = Units.DurationConverter.class,
            description = "Not ready when Kafka acknowledged no record for this long while records waited in the spool "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration exportGrace;

    /** Beaten by the capture runners of this command (across the files of a replay). */
    final Heartbeat reader = new Heartbeat("capture"), processing = new Heartbeat("processing");

    /** The bind address, checked; call while checking the command line. */
    InetSocketAddress bindAddress() {
        return HealthAddress.of(address, port);
    }

    /**
     * Starts the listener when asked (else null) and says where on {@code err}.
     *
     * @param export the Kafka export to watch, or null when the records go to a file or standard output
     */
    HealthServer start(String command, InetSocketAddress bind, KafkaSink export, PrintStream err) throws CannotListen {
        if (bind == null) {
            return null;
        }
        Map<String, HealthCheck> live = new LinkedHashMap<>();
        live.put("capture", reader.check(stallTimeout));
        live.put("processing", processing.check(stallTimeout));
        Map<String, HealthCheck> ready = new LinkedHashMap<>();
        ready.put("started", () -> reader.started() && processing.started()
                ? HealthCheck.Status.up("capturing") : HealthCheck.Status.down("starting"));
        if (export != null) {
            ready.put("export", () -> exportCheck(export));
        }
        HealthServer server;
        try {
            server = HealthServer.start(bind, live, ready);
        } catch (IOException e) {
            throw new CannotListen(e.getMessage(), e);
        }
        InetSocketAddress at = server.address();
        err.println("swarmwatch " + command + ": health endpoint on http://" + at.getAddress().getHostAddress() + ":" + at.getPort()
                + HealthServer.LIVE_PATH + " and " + HealthServer.READY_PATH);
        return server;
    }

    private HealthCheck.Status exportCheck(KafkaSink export) {
        Duration stalled = export.stalledFor();
        if (stalled.compareTo(exportGrace) < 0) {
            return HealthCheck.Status.up("Kafka keeps up (last acknowledgement or empty spool " + Heartbeat.seconds(stalled)
                    + " ago; " + export.backlogBytes() + " bytes spooled)");
        }
        String problem = export.lastProblem();
        return HealthCheck.Status.down("Kafka acknowledged no record for " + Heartbeat.seconds(stalled) + " (grace "
                + Heartbeat.seconds(exportGrace) + "); " + export.backlogBytes() + " bytes spooled"
                + (problem == null ? "" : "; last problem: " + problem));
    }

    /** The health endpoint's address cannot be bound (in use, not this machine's): a configuration error. */
    static final class CannotListen extends IOException {
        CannotListen(String message, IOException cause) {
            super(message, cause);
        }
    }
}
