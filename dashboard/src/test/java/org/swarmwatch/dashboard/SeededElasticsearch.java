package org.swarmwatch.dashboard;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
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
import org.swarmwatch.embedded.EmbeddedElasticsearch;
import org.swarmwatch.embedded.EmbeddedKafka;
import org.swarmwatch.events.signature.SigningKey;
import org.swarmwatch.events.signature.VerificationKey;
import org.swarmwatch.probe.cli.SwarmwatchCommand;

/**
 * One real Elasticsearch engine per test JVM, filled by the real pipeline, as
 * launcher's PipelineEndToEndTest runs it: capture a1 (a Transmission seeder, the subscriber
 * 10.77.0.11, uploading a 1 MB file to libtorrent) replayed by the probe command into a real
 * Kafka broker, read by the classifier with a list claiming a1's infohash, written to the engine:
 * flows, observations, stats, one list version and exactly one incident (offering, high).
 *
 * <p>For filters and paging, {@value #DERIVED} more incidents are derived from that one (other
 * ids, subscribers and times; rights holder "Studio B", severity low, confidence 0.5) and
 * indexed beside it: the pipeline makes one incident per subscriber, hash and day, and one
 * capture has one seeder.
 *
 * <p>Also writes the users file of the tests: one user per role, and {@code both}
 * (OPERATOR and COMPLIANCE); each user's password is its name followed by {@code -password}; and
 * an export signing key, made for this run.
 */
public final class SeededElasticsearch {
    static final String A1 = "d6c134aa85e608ef5cd9c3b13e050231dc14fb38";
    static final int DERIVED = 5;
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();
    static final Path ROOT = Path.of(System.getProperty("swarmwatch.root", "..")).toAbsolutePath().normalize();

    private static SeededElasticsearch instance;

    final EmbeddedElasticsearch engine;
    final Path usersFile;
    /** The export signing key's file (PKCS#8 PEM) and its public half, for verifying the exports. */
    final Path exportKeyFile;
    final VerificationKey exportKey;
    final Uploads uploads;
    /** The pipeline's incident. */
    final String incidentId;
    final String subscriber;
    final Instant lastSeen;
    /** The earliest and latest record time, for queries over the capture's time. */
    final Instant earliest;
    final Instant latest;

    private SeededElasticsearch(EmbeddedElasticsearch engine, Path usersFile, Uploads uploads, Path exportKeyFile, VerificationKey exportKey, String incidentId, String subscriber, Instant lastSeen,
            Instant earliest, Instant latest) {
        this.engine = engine;
        this.usersFile = usersFile;
        this.uploads = uploads;
        this.exportKeyFile = exportKeyFile;
        this.exportKey = exportKey;
        this.incidentId = incidentId;
        this.subscriber = subscriber;
        this.lastSeen = lastSeen;
        this.earliest = earliest;
        this.latest = latest;
    }

    /** Registers the engine and the users file with a Spring test context. */
    static void register(DynamicPropertyRegistry registry) {
        registry.add("swarmwatch.elasticsearch.url", () -> get().engine.url());
        registry.add("swarmwatch.dashboard.users-file", () -> get().usersFile.toString());
        registry.add("swarmwatch.exports.signing-key-file", () -> get().exportKeyFile.toString());
        registry.add("swarmwatch.dashboard.lists.directory", () -> get().uploads.directory().toString());
        registry.add("swarmwatch.dashboard.lists.trusted-keys", () -> get().uploads.trustedKeys().toString());
    }

    /**
     * The list directory uploads go to (empty at start; no classifier reads it in the tests), the
     * trusted-keys directory with one Ed25519 key ({@code studio.pub.pem}), and its private half
     * for signing test lists.
     */
    record Uploads(Path directory, Path trustedKeys, java.security.PrivateKey signingKey) {
        /** The detached signature file's content for {@code data}: base64 of the Ed25519 signature (rights-lists.md). */
        String sign(byte[] data) {
            try {
                java.security.Signature s = java.security.Signature.getInstance("Ed25519");
                s.initSign(signingKey);
                s.update(data);
                return java.util.Base64.getEncoder().encodeToString(s.sign()) + "\n";
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        static Uploads create(Path dir) throws Exception {
            java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path keys = Files.createDirectories(dir.resolve("list-keys"));
            Files.writeString(keys.resolve("studio.pub.pem"), "-----BEGIN PUBLIC KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
            return new Uploads(Files.createDirectories(dir.resolve("uploaded-lists")), keys, pair.getPrivate());
        }
    }

    static synchronized SeededElasticsearch get() {
        if (instance == null) {
            try {
                instance = seed(Files.createTempDirectory("swarmwatch-dashboard-test"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException("seeding Elasticsearch through the pipeline failed", e);
            }
        }
        return instance;
    }

    private static SeededElasticsearch seed(Path dir) throws Exception {
        long t0 = System.nanoTime();
        Path users = writeUsers(dir.resolve("users.yaml"));
        SigningKey exportKey = SigningKey.generate();
        Path exportKeyFile = Files.writeString(dir.resolve("export-signing.pem"), exportKey.privatePem());
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Files.writeString(lists.resolve("studio.csv"), """
                hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action
                %s,btih_v1,Test Film One,Studio A,studio-a,2020-01-01,,incident
                """.formatted(A1));
        EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            deleteTree(dir);
        }, "embedded-elasticsearch-stop"));
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"))) {
            kafka.start();
            engine.start();
            String bootstrap = kafka.bootstrapServers();
            int exit = SwarmwatchCommand.execute("replay", "--quiet", "--kafka", bootstrap, "--spool-dir", dir.resolve("spool").toString(),
                    "--kafka-partitions", "1", "--subscriber-net", "10.77.0.11/32",
                    SHARED.resolve("bt-captures/pcaps/a1_tcp_plain_transmission_libtorrent.pcap").toString());
            if (exit != 0) {
                throw new IllegalStateException("probe replay exited " + exit);
            }
            ConsumerSettings topics = ConsumerSettings.of(bootstrap);
            long records = endOffsets(bootstrap, topics);
            ListCatalog catalog = new ListCatalog();
            try (Elastic elastic = new Elastic(ElasticsearchSettings.of(URI.create(engine.url())).withReplicas(0));
                    ListDirectory directory = new ListDirectory(lists,
                            new ListLoader(TrustedKeys.none(), SignaturePolicy.OPTIONAL, ListLimits.DEFAULTS, Clock.systemUTC()), Clock.systemUTC())) {
                elastic.ensureTemplates();
                OutputTopics.ensure(topics, 1, (short) 1, 30_000);
                directory.addListener(new ListVersionIndexer(elastic));
                directory.addListener(catalog);
                directory.scan();
                Classifier classifier = new Classifier(topics, elastic, new IncidentBuilder(catalog, IncidentPolicy.DEFAULT, elastic, 1000, 10_000),
                        new SimpleMeterRegistry());
                Thread loop = new Thread(classifier, "classifier");
                loop.start();
                ElasticsearchClient client = elastic.client();
                long indexed = 0;
                long deadline = System.currentTimeMillis() + 60_000;
                while (indexed < records && System.currentTimeMillis() < deadline) {
                    Thread.sleep(300);
                    try {
                        elastic.refresh();
                        indexed = client.count(c -> c.index("swarmwatch-flows-*,swarmwatch-observations-*,swarmwatch-stats-*")).count();
                    } catch (IOException | co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
                        // an index the classifier has just created answers 503 until its shard is allocated
                    }
                }
                classifier.close();
                loop.join(30_000);
                if (indexed < records) {
                    throw new IllegalStateException("the classifier indexed " + indexed + " of " + records + " records in 60 s");
                }
                elastic.refresh();
                SearchResponse<ObjectNode> found = client.search(s -> s.index("swarmwatch-incidents"), ObjectNode.class);
                if (found.hits().hits().size() != 1) {
                    throw new IllegalStateException("expected the pipeline to make one incident, found " + found.hits().hits().size());
                }
                ObjectNode real = found.hits().hits().get(0).source();
                ObjectNode incident = (ObjectNode) real.path("swarmwatch").path("incident");
                Instant lastSeen = Instant.parse(real.path("@timestamp").asText());
                for (int i = 1; i <= DERIVED; i++) {
                    ObjectNode copy = real.deepCopy();
                    ObjectNode in = (ObjectNode) copy.path("swarmwatch").path("incident");
                    String id = String.format("%032x", i);
                    in.put("id", id).put("subscriber", String.format("sub_%032x", 0xd0 + i)).put("rights_holder", "Studio B")
                            .put("severity", "low").put("role", "announcing").put("confidence", 0.5);
                    copy.put("@timestamp", lastSeen.minusSeconds(3600L * i).toString());
                    client.index(x -> x.index("swarmwatch-incidents").id(id).document(copy));
                }
                elastic.refresh();
                SearchResponse<ObjectNode> first = client.search(s -> s.index("swarmwatch-flows-*,swarmwatch-stats-*").size(1)
                        .sort(o -> o.field(f -> f.field("@timestamp").order(co.elastic.clients.elasticsearch._types.SortOrder.Asc))), ObjectNode.class);
                SearchResponse<ObjectNode> last = client.search(s -> s.index("swarmwatch-flows-*,swarmwatch-stats-*").size(1)
                        .sort(o -> o.field(f -> f.field("@timestamp").order(co.elastic.clients.elasticsearch._types.SortOrder.Desc))), ObjectNode.class);
                System.out.printf("seeded Elasticsearch through the pipeline: %d records, 1 + %d incidents, in %d ms%n", records, DERIVED,
                        (System.nanoTime() - t0) / 1_000_000);
                return new SeededElasticsearch(engine, users, Uploads.create(dir), exportKeyFile, exportKey.verificationKey(), incident.path("id").asText(), incident.path("subscriber").asText(), lastSeen,
                        Instant.parse(first.hits().hits().get(0).source().path("@timestamp").asText()),
                        Instant.parse(last.hits().hits().get(0).source().path("@timestamp").asText()));
            }
        } catch (Exception | Error e) {
            engine.close();
            throw e;
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no test failure
        }
    }

    private static Path writeUsers(Path file) throws IOException {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        StringBuilder yaml = new StringBuilder("users:\n");
        for (Map.Entry<String, String> u : Map.of("operator", "[OPERATOR]", "compliance", "[COMPLIANCE]", "admin", "[ADMIN]",
                "both", "[OPERATOR, COMPLIANCE]").entrySet()) {
            yaml.append("  - username: ").append(u.getKey()).append('\n')
                    .append("    password-hash: \"").append(bcrypt.encode(u.getKey() + "-password")).append("\"\n")
                    .append("    roles: ").append(u.getValue()).append('\n');
        }
        return Files.writeString(file, yaml);
    }

    private static long endOffsets(String bootstrap, ConsumerSettings topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String t : List.of(topics.flows(), topics.observations(), topics.stats())) {
                admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions()
                        .forEach(p -> request.put(new TopicPartition(t, p.partition()), OffsetSpec.latest()));
            }
            return admin.listOffsets(request).all().get().values().stream().mapToLong(r -> r.offset()).sum();
        }
    }
}
