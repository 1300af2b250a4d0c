package org.swarmwatch.classifier.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.classifier.consume.Classifier;
import org.swarmwatch.classifier.consume.ConsumerSettings;
import org.swarmwatch.classifier.consume.OutputTopics;
import org.swarmwatch.classifier.incident.IncidentBuilder;
import org.swarmwatch.classifier.incident.IncidentPolicy;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.index.ElasticsearchSettings;
import org.swarmwatch.classifier.index.ListVersionIndexer;
import org.swarmwatch.classifier.lists.ListDirectory;
import org.swarmwatch.classifier.lists.ListLimits;
import org.swarmwatch.classifier.lists.ListLoader;
import org.swarmwatch.classifier.lists.SignaturePolicy;
import org.swarmwatch.classifier.lists.TrustedKeys;
import org.swarmwatch.classifier.match.ListCatalog;
import org.swarmwatch.events.health.HealthAddress;
import org.swarmwatch.events.health.HealthServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code swarmwatch classifier}: reads the probes' topics, matches hashes against the lists in a
 * directory, writes flows, observations, stats and incidents to Elasticsearch. Runs until
 * SIGTERM / Ctrl-C, then finishes the batch in hand.
 */
@Command(name = "classifier", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Match the probes' content hashes against rights-holder lists; write flows, observations and incidents "
                + "to Elasticsearch (docs/classifier.md, docs/rights-lists.md).",
            "Exit codes: 0 stopped cleanly, 2 bad command line or configuration, 3 Kafka or Elasticsearch unusable at start."})
public final class ClassifierCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierCommand.class);

    /** A running embedded engine: its URL, and closing it stops it. */
    public interface Engine extends AutoCloseable {
        URI url();

        @Override
        void close();
    }

    /**
     * Starts an embedded Elasticsearch engine keeping its data in a directory. The launcher gives
     * one (this module may not depend on {@code embedded/}); without it, {@code --elasticsearch
     * embedded} is a configuration error.
     */
    public interface EngineStarter {
        Engine start(Path dataDirectory) throws IOException;
    }

    private final EngineStarter embedded;

    public ClassifierCommand() {
        this(null);
    }

    public ClassifierCommand(EngineStarter embedded) {
        this.embedded = embedded;
    }

    @Option(names = "--kafka", paramLabel = "HOST:PORT[,...]", defaultValue = "${env:SWARMWATCH_KAFKA}", required = true,
            description = "Kafka bootstrap servers (env SWARMWATCH_KAFKA).")
    String kafka;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:SWARMWATCH_KAFKA_CONFIG}",
            description = "Kafka client properties: TLS and SASL (security.protocol, ssl.*, sasl.*); env SWARMWATCH_KAFKA_CONFIG.")
    Path kafkaConfig;

    @Option(names = "--kafka-topic-prefix", paramLabel = "PREFIX", defaultValue = ConsumerSettings.DEFAULT_PREFIX,
            description = "Topic name prefix, as the probes' (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--group", paramLabel = "ID", defaultValue = ConsumerSettings.DEFAULT_GROUP,
            description = "Consumer group; classifiers in one group share the partitions (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--kafka-partitions", paramLabel = "N", defaultValue = "6",
            description = "Partitions of the incidents and dead-letter topics when the classifier creates them (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--kafka-replication", paramLabel = "N", defaultValue = "1",
            description = "Replication factor of topics the classifier creates (default: ${DEFAULT-VALUE}; 3 on a production cluster).")
    short replication;

    @Option(names = "--elasticsearch", paramLabel = "URL|embedded", defaultValue = "${env:SWARMWATCH_ELASTICSEARCH:-embedded}",
            description = "Elasticsearch URL, http(s)://HOST:PORT (env SWARMWATCH_ELASTICSEARCH); 'embedded' (the default when none is "
                    + "configured) starts a one-node engine on 127.0.0.1 with its data under --data-dir: for trying it out, not production.")
    String elasticsearch;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "swarmwatch-data",
            description = "Where the embedded engine keeps its data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--es-user", paramLabel = "NAME", defaultValue = "${env:SWARMWATCH_ES_USER}", description = "Basic-auth user.")
    String esUser;

    @Option(names = "--es-password-file", paramLabel = "FILE", defaultValue = "${env:SWARMWATCH_ES_PASSWORD_FILE}",
            description = "File holding the basic-auth password (never on the command line).")
    Path esPasswordFile;

    @Option(names = "--es-api-key-file", paramLabel = "FILE", defaultValue = "${env:SWARMWATCH_ES_API_KEY_FILE}",
            description = "File holding an encoded API key.")
    Path esApiKeyFile;

    @Option(names = "--es-ca-cert", paramLabel = "PEM", description = "CA certificate to trust for https.")
    Path esCaCert;

    @Option(names = "--es-index-prefix", paramLabel = "PREFIX", defaultValue = ElasticsearchSettings.DEFAULT_PREFIX,
            description = "Index and template name prefix (default: ${DEFAULT-VALUE}).")
    String indexPrefix;

    @Option(names = "--es-replicas", paramLabel = "N", defaultValue = "1", description = "Replicas of new indices (default: ${DEFAULT-VALUE}; 0 on one node).")
    int replicas;

    @Option(names = "--retention-days", paramLabel = "DAYS", defaultValue = "180",
            description = "Daily flow, observation and stats indices older than this are deleted (default: ${DEFAULT-VALUE}).")
    int retentionDays;

    @Option(names = "--lists", paramLabel = "DIR", required = true, description = "Directory of rights-holder lists (docs/rights-lists.md).")
    Path lists;

    @Option(names = "--trusted-keys", paramLabel = "DIR", description = "Directory of Ed25519 public keys (PEM) that may sign lists.")
    Path trustedKeys;

    @Option(names = "--unsigned-lists", description = "Accept lists without a signature (never in production).")
    boolean unsignedLists;

    @Option(names = "--list-scan-interval", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How often the list directory is checked for new versions (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration scanInterval;

    @Option(names = "--incident-window", paramLabel = "DURATION", defaultValue = "P1D",
            description = "One incident per subscriber, hash and window (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--lookups-make-incidents", description = "Let a DHT lookup alone make an incident (off: a lookup is no evidence).")
    boolean lookups;

    @Option(names = "--min-confidence", paramLabel = "0..1", defaultValue = "0", description = "Ignore observations below this confidence.")
    double minConfidence;

    @Option(names = "--health-port", paramLabel = "PORT",
            description = "Serve GET /health/live and /health/ready on this TCP port (0: a free port, logged); off by default "
                    + "(docs/operations.md).")
    Integer healthPort;

    @Option(names = "--health-address", paramLabel = "ADDRESS", defaultValue = HealthServer.DEFAULT_ADDRESS,
            description = "Address the health endpoint binds (default: ${DEFAULT-VALUE}; in a pod its IP or 0.0.0.0, for the kubelet).")
    String healthAddress;

    @Option(names = "--health-stall-timeout", paramLabel = "DURATION", defaultValue = "PT5M",
            description = "Not live when the poll loop made no progress for this long (ISO-8601, default: ${DEFAULT-VALUE}: longer than "
                    + "a flush to a Kafka that went away and a commit, the loop's longest legitimate waits).")
    Duration healthStallTimeout;

    @Option(names = "--health-elasticsearch-grace", paramLabel = "DURATION", defaultValue = "PT2M",
            description = "Not ready when Elasticsearch writes have been failing for this long (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration healthElasticsearchGrace;

    @Override
    public Integer call() throws Exception {
        ElasticsearchSettings es;
        ConsumerSettings consumer;
        IncidentPolicy policy;
        ListLoader loader;
        ClassifierHealth health;
        InetSocketAddress healthBind;
        boolean embeddedEngine = "embedded".equals(elasticsearch);
        try {
            if (embeddedEngine && embedded == null) {
                throw new IllegalArgumentException("--elasticsearch embedded needs the swarmwatch launcher; give a URL");
            }
            URI url = embeddedEngine ? URI.create("http://127.0.0.1:1") : URI.create(elasticsearch); // the engine's port comes at start
            es = new ElasticsearchSettings(url, esUser, esUser == null ? null : secret(esPasswordFile, "--es-password-file"),
                    esApiKeyFile == null ? null : secret(esApiKeyFile, "--es-api-key-file"), esCaCert, indexPrefix, retentionDays,
                    embeddedEngine ? 0 : replicas);
            consumer = new ConsumerSettings(kafka, clientProperties(kafkaConfig), topicPrefix, group);
            policy = new IncidentPolicy(window, lookups, minConfidence);
            TrustedKeys keys = trustedKeys == null ? TrustedKeys.none() : TrustedKeys.fromDirectory(trustedKeys);
            if (keys.size() == 0 && !unsignedLists) {
                System.err.println("swarmwatch classifier: lists must be signed, but no --trusted-keys were given "
                        + "(give the rights holders' public keys, or --unsigned-lists for a lab)");
                return 2;
            }
            if (!Files.isDirectory(lists)) {
                System.err.println("swarmwatch classifier: --lists " + lists + " is not a directory");
                return 2;
            }
            loader = new ListLoader(keys, unsignedLists ? SignaturePolicy.OPTIONAL : SignaturePolicy.REQUIRED, ListLimits.DEFAULTS,
                    Clock.systemUTC());
            health = new ClassifierHealth(healthStallTimeout, healthElasticsearchGrace);
            healthBind = HealthAddress.of(healthAddress, healthPort);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("swarmwatch classifier: " + e.getMessage());
            return 2;
        }
        HealthServer healthServer = null;
        if (healthBind != null) {
            try {
                healthServer = health.start(healthBind);
            } catch (IOException e) {
                System.err.println("swarmwatch classifier: " + e.getMessage());
                return 2;
            }
            InetSocketAddress at = healthServer.address();
            System.err.println("swarmwatch classifier: health endpoint on http://" + at.getAddress().getHostAddress() + ":" + at.getPort()
                    + HealthServer.LIVE_PATH + " and " + HealthServer.READY_PATH);
        }
        try (HealthServer listening = healthServer) {
            return startAndClassify(es, consumer, policy, loader, health);
        }
    }

    private int startAndClassify(ElasticsearchSettings es, ConsumerSettings consumer, IncidentPolicy policy, ListLoader loader,
                                 ClassifierHealth health) throws Exception {
        boolean embeddedEngine = "embedded".equals(elasticsearch);
        Engine engine = null;
        if (embeddedEngine) {
            Path engineData = dataDir.resolve("elasticsearch");
            System.err.println("swarmwatch classifier: starting the embedded Elasticsearch engine (data in " + engineData
                    + "; for trying it out: production points --elasticsearch at a cluster) ...");
            try {
                engine = embedded.start(engineData);
            } catch (IOException e) {
                System.err.println("swarmwatch classifier: the embedded Elasticsearch engine did not start: " + e.getMessage());
                return 3;
            }
            es = new ElasticsearchSettings(engine.url(), null, null, null, null, indexPrefix, retentionDays, 0);
        }
        try {
            return classify(es, consumer, policy, loader, health);
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
    }

    private int classify(ElasticsearchSettings es, ConsumerSettings consumer, IncidentPolicy policy, ListLoader loader,
                         ClassifierHealth health) throws Exception {
        try (Elastic elastic = new Elastic(es)) {
            health.elastic(elastic);
            try {
                elastic.ensureTemplates();
                OutputTopics.ensure(consumer, partitions, replication, 30_000);
            } catch (IOException | IllegalStateException e) {
                System.err.println("swarmwatch classifier: " + e.getMessage());
                return 3;
            }
            ListCatalog catalog = new ListCatalog();
            try (ListDirectory directory = new ListDirectory(lists, loader, Clock.systemUTC())) {
                directory.addListener(new ListVersionIndexer(elastic));
                directory.addListener(catalog);
                health.lists(directory);
                directory.start(scanInterval);
                System.err.println("swarmwatch classifier: " + catalog.size() + " list entries from " + directory.active().versions().size()
                        + " lists; " + directory.rejections().size() + " files rejected");
                IncidentBuilder incidents = new IncidentBuilder(catalog, policy, elastic, 100_000, 1_000_000);
                Classifier classifier = new Classifier(consumer, elastic, incidents, new SimpleMeterRegistry());
                health.classifier(classifier);
                Thread main = Thread.currentThread();
                Thread hook = new Thread(() -> {
                    classifier.close();
                    try {
                        main.join(15_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "swarmwatch-classifier-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                Thread retention = new Thread(() -> retain(elastic), "swarmwatch-retention");
                retention.setDaemon(true);
                retention.start();
                System.err.println("swarmwatch classifier: reading " + consumer.observations() + ", " + consumer.flows() + ", "
                        + consumer.stats() + " from " + kafka + " as group " + group + " into " + es);
                classifier.run();
            }
        }
        return 0;
    }

    private void retain(Elastic elastic) {
        while (true) {
            try {
                elastic.deleteExpired(Clock.systemUTC());
            } catch (IOException | RuntimeException e) {
                LOG.warn("retention: {}", e.getMessage());
            }
            try {
                Thread.sleep(Duration.ofHours(1).toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String secret(Path file, String option) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("a user needs " + option);
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    static Map<String, String> clientProperties(Path file) throws IOException {
        Map<String, String> m = new HashMap<>();
        if (file == null) {
            return m;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IOException("--kafka-config " + file + ": " + e.getMessage(), e);
        }
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
