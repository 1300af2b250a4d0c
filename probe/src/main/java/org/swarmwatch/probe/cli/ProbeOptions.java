package org.swarmwatch.probe.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.swarmwatch.embedded.EmbeddedKafka;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.JsonLinesSink;
import org.swarmwatch.probe.export.RecordSink;
import org.swarmwatch.probe.export.TeeSink;
import org.swarmwatch.probe.export.kafka.KafkaSettings;
import org.swarmwatch.probe.export.kafka.KafkaSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;
import org.swarmwatch.probe.swarm.SwarmTable;
import org.swarmwatch.probe.swarm.SwarmTableConfig;
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

    @Option(names = "--swarm-memory", paramLabel = "SIZE", defaultValue = "64m", converter = Units.SizeConverter.class,
            description = "Memory bound of the swarm table that attributes hashes to encrypted flows; beyond it the least "
                    + "recently used endpoint is evicted (default: ${DEFAULT-VALUE}, about " + SwarmTable.BYTES_PER_ENTRY
                    + " bytes an endpoint or host).")
    long swarmMemory;

    @Option(names = "--swarm-ttl", paramLabel = "DURATION", defaultValue = "30m", converter = Units.DurationConverter.class,
            description = "Forget what tracker, DHT and handshake traffic said about swarms after this long "
                    + "(capture time; default: ${DEFAULT-VALUE}).")
    Duration swarmTtl;

    @Option(names = "--stats-interval", paramLabel = "DURATION", defaultValue = "60s",
            converter = Units.DurationConverter.class, description = "Capture time between stats records (default: ${DEFAULT-VALUE}).")
    Duration statsInterval;

    @Option(names = "--out", paramLabel = "FILE", description = "Write JSON Lines records to FILE instead of standard output.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress display and no summary on standard error.")
    boolean quiet;

    @Option(names = "--kafka", paramLabel = "HOST:PORT[,...]|embedded", defaultValue = "${env:SWARMWATCH_KAFKA}",
            description = "Stream records to Kafka (topics swarmwatch.flows, .observations, .stats; docs/kafka.md) instead of "
                    + "standard output; 'embedded' starts a one-node broker in this process (its data under --spool-dir). "
                    + "With --out, records go to both. Default: $SWARMWATCH_KAFKA.")
    String kafka;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:SWARMWATCH_KAFKA_CONFIG}",
            description = "Kafka client properties (TLS and SASL: security.protocol, ssl.truststore.location, sasl.mechanism, "
                    + "sasl.jaas.config, ...), applied over the probe's own. Default: $SWARMWATCH_KAFKA_CONFIG.")
    Path kafkaConfig;

    @Option(names = "--kafka-topic-prefix", paramLabel = "PREFIX", defaultValue = KafkaSettings.DEFAULT_TOPIC_PREFIX,
            description = "Topic names are PREFIX + flows, observations, stats (default: ${DEFAULT-VALUE}).")
    String kafkaTopicPrefix;

    @Option(names = "--kafka-partitions", paramLabel = "N", defaultValue = "6",
            description = "Partitions of the topics the probe creates when they are missing (default: ${DEFAULT-VALUE}).")
    int kafkaPartitions;

    @Option(names = "--kafka-replication", paramLabel = "N", defaultValue = "1",
            description = "Replication factor of the topics the probe creates (default: ${DEFAULT-VALUE}; 3 on a production cluster).")
    short kafkaReplication;

    @Option(names = "--no-kafka-create-topics", negatable = false,
            description = "Never create topics, only check that they exist and suit the probe.")
    boolean kafkaNoCreateTopics;

    @Option(names = "--spool-dir", paramLabel = "DIR", defaultValue = "${env:SWARMWATCH_SPOOL_DIR}",
            description = "Write-ahead spool for Kafka: records wait here until the broker acknowledges them, and survive a restart "
                    + "(default: $SWARMWATCH_SPOOL_DIR, else swarmwatch-spool/OBSERVER in the current directory).")
    Path spoolDir;

    @Option(names = "--kafka-drain-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Units.DurationConverter.class,
            description = "At the end, how long to wait for Kafka to acknowledge the spool; the rest is sent at the next start "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration kafkaDrainTimeout;

    @Option(names = "--spool-max", paramLabel = "SIZE", defaultValue = "1g", converter = Units.SizeConverter.class,
            description = "Bound of the spool; beyond it records are dropped, counted and reported (default: ${DEFAULT-VALUE}).")
    long spoolMax;

    @Option(names = "--flows", paramLabel = "p2p|all",
            description = "Which flows get a flow record: 'p2p' (flows a dissector recognised; other traffic is counted per protocol "
                    + "in stats records: data minimisation, and a tenth of the volume) or 'all'. Default: p2p to Kafka, all to a file "
                    + "or standard output.")
    String flows;

    /** The Kafka export {@link #openSink} opened, for the health endpoint; null without {@code --kafka}. */
    KafkaSink kafkaSink;

    /** Builds the settings, or throws IllegalArgumentException / IOException with a message for the user. */
    ProbeSettings settings(PrintStream err) throws IOException {
        if (kafka != null && !kafka.equals("embedded")) {
            KafkaSettings.of(kafka, Path.of(".")); // checks the HOST:PORT list, with a message naming it
        }
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
        ProbeSettings.FlowExport export;
        if (flows == null) {
            export = kafka != null ? ProbeSettings.FlowExport.P2P : ProbeSettings.FlowExport.ALL;
        } else if (flows.equals("p2p") || flows.equals("all")) {
            export = flows.equals("p2p") ? ProbeSettings.FlowExport.P2P : ProbeSettings.FlowExport.ALL;
        } else {
            throw new IllegalArgumentException("--flows must be p2p or all, not '" + flows + "'");
        }
        SwarmTableConfig swarms = new SwarmTableConfig(SwarmTableConfig.maxEntriesForMemory(swarmMemory), swarmTtl);
        return new ProbeSettings(observerName(), table, DecoderLimits.defaults(), policy, statsInterval, export, swarms);
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

    /**
     * The sink the options ask for: JSON Lines to standard output or {@code --out}, Kafka with
     * {@code --kafka} (and the file too when both are given).
     */
    RecordSink openSink(PrintStream stdout) throws IOException {
        if (kafka == null) {
            return jsonSink(stdout);
        }
        RecordSink k = kafkaSink();
        return out == null ? k : new TeeSink(k, jsonSink(stdout));
    }

    private JsonLinesSink jsonSink(PrintStream stdout) throws IOException {
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

    private RecordSink kafkaSink() throws IOException {
        Path spool = spoolDir != null ? spoolDir : Path.of("swarmwatch-spool", observerName());
        EmbeddedKafka embedded = null;
        String servers = kafka;
        if (kafka.equals("embedded")) {
            embedded = new EmbeddedKafka(spool.resolveSibling(spool.getFileName() + "-embedded-kafka")).start();
            servers = embedded.bootstrapServers();
        }
        try {
            KafkaSettings settings = KafkaSettings.of(servers, spool)
                    .withTopics(kafkaTopicPrefix, !kafkaNoCreateTopics, kafkaPartitions, kafkaReplication)
                    .withSpool(spoolMax, kafkaDrainTimeout)
                    .withClientProperties(kafkaConfig == null ? Map.of() : readProperties(kafkaConfig));
            KafkaSink sink = new KafkaSink(settings, observerName(), new SimpleMeterRegistry(), Duration.ofSeconds(10));
            kafkaSink = sink;
            return embedded == null ? sink : new ClosingSink(sink, embedded);
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Map<String, String> readProperties(Path file) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IOException("cannot read Kafka client properties " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> m = new java.util.HashMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return m;
    }

    /** A sink that also stops the embedded broker once the sink is closed. */
    private record ClosingSink(KafkaSink sink, EmbeddedKafka broker) implements RecordSink {
        @Override
        public void accept(org.swarmwatch.events.ProbeRecord record) throws IOException {
            sink.accept(record);
        }

        @Override
        public void flush() throws IOException {
            sink.flush();
        }

        @Override
        public void close() throws IOException {
            try {
                sink.close();
            } finally {
                broker.close();
            }
        }
    }

    boolean showProgress() {
        return !quiet && Boolean.getBoolean("swarmwatch.stderr.tty");
    }
}
