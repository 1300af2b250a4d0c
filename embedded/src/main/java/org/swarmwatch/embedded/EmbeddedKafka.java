package org.swarmwatch.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker (KRaft, combined broker and controller, one node) in this JVM, listening
 * on 127.0.0.1 only: the default when no cluster is configured (the demo) and the broker of the
 * integration tests. Not for production: one node, replication factor 1, no security.
 *
 * <p>{@link #start} formats the data directory the first time (kept across restarts, so a
 * broker {@link #stop stopped} and started again has its topics and records), and binds the
 * ports it chose at creation: free ports unless given, the same ones after a restart.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path directory;
    private final int port, controllerPort;
    private final String clusterId;
    private KafkaRaftServer server;

    /** A broker keeping its data in {@code directory}, on free ports. */
    public EmbeddedKafka(Path directory) throws IOException {
        this(directory, freePort(), freePort());
    }

    public EmbeddedKafka(Path directory, int port, int controllerPort) throws IOException {
        this.directory = directory.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        Files.createDirectories(this.directory);
        Path idFile = this.directory.resolve("cluster.id");
        if (Files.exists(idFile)) {
            clusterId = Files.readString(idFile).trim();
        } else {
            clusterId = Uuid.randomUuid().toString();
            Files.writeString(idFile, clusterId);
        }
        quietLogging();
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the storage if needed and starts the broker; returns when it accepts connections. */
    public synchronized EmbeddedKafka start() throws IOException {
        if (server != null) {
            return this;
        }
        Properties props = properties();
        Path config = directory.resolve("server.properties");
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "written by Swarmwatch's embedded broker");
        }
        ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
        int rc = StorageTool$.MODULE$.execute(new String[] {"format", "-t", clusterId, "-c", config.toString(), "--standalone",
            "--ignore-formatted"}, new PrintStream(formatLog, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException("cannot format the embedded Kafka broker's storage in " + directory + ": "
                    + formatLog.toString(StandardCharsets.UTF_8).trim());
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        s.startup();
        server = s;
        awaitReady();
        return this;
    }

    /** Waits until the broker answers an Admin request and has registered itself (up to 60 s). */
    private void awaitReady() throws IOException {
        java.util.Map<String, Object> config = java.util.Map.of("bootstrap.servers", bootstrapServers(), "request.timeout.ms", 5000,
                "default.api.timeout.ms", 5000);
        long deadline = System.currentTimeMillis() + 60_000;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, java.util.concurrent.TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IOException("the embedded Kafka broker in " + directory + " did not become ready: " + e, e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the embedded Kafka broker started", e);
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("the embedded Kafka broker in " + directory + " did not become ready in 60 s");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the embedded Kafka broker started", e);
                }
            }
        }
    }

    /** Stops the broker (a controlled shutdown); its data stays for the next {@link #start}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** The offsets consumer group {@code group} has committed, by partition (empty when none). */
    public Map<TopicPartition, Long> committedOffsets(String group) throws IOException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, o) -> offsets.put(tp, o.offset()));
            return offsets;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the offsets of group " + group + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading offsets", e);
        }
    }

    /** The sum of the offsets {@code group} has committed: records consumed and acknowledged. */
    public long committedTotal(String group) throws IOException {
        return committedOffsets(group).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Creates topics and returns once every partition can take writes. A partition just created
     * can have a leader in the metadata before that leader opened it: an idempotent producer
     * writing then can get its first batch refused while a later one succeeds, and the retried
     * first batch is refused as out of sequence for ever. A partition whose leader answers a
     * ListOffsets request is open.
     */
    public void createTopics(int partitions, String... topics) throws IOException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            List<NewTopic> create = new ArrayList<>();
            for (String t : topics) {
                create.add(new NewTopic(t, partitions, (short) 1));
            }
            admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> all = new HashMap<>();
            for (String t : topics) {
                for (int p = 0; p < partitions; p++) {
                    all.put(new TopicPartition(t, p), OffsetSpec.latest());
                }
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) {
                try {
                    admin.listOffsets(all).all().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IOException("topics " + List.of(topics) + " not writable after 30 s: " + e.getMessage(), e);
                    }
                    Thread.sleep(100);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot create topics " + List.of(topics) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topics", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("log.dirs", directory.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "3");
        // the log cleaner's dedupe buffer defaults to 128 MiB of heap
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 << 20));
        p.put("log.cleaner.threads", "1");
        return p;
    }

    /** Kafka logs a great deal at INFO; keep warnings unless the user asked otherwise. */
    private static void quietLogging() {
        for (String logger : new String[] {"org.apache.kafka", "kafka", "state.change.logger", "org.apache.zookeeper"}) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    /**
     * A broker in its own process (benchmarks, trying the probe against a broker by hand): prints
     * {@code bootstrap.servers=127.0.0.1:PORT} once it accepts connections, stops on SIGTERM.
     *
     * <p>usage: EmbeddedKafka DATA_DIR
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedKafka DATA_DIR");
            System.exit(2);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(Path.of(args[0])).start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "embedded-kafka-stop"));
        System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
