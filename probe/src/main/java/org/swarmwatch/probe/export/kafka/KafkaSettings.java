package org.swarmwatch.probe.export.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the probe talks to Kafka.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param clientProperties extra client settings (TLS, SASL: {@code security.protocol},
 *                         {@code ssl.truststore.location}, {@code sasl.mechanism}, {@code sasl.jaas.config}...),
 *                         applied over the probe's own
 * @param topicPrefix      topics are {@code <prefix>flows}, {@code <prefix>observations}, {@code <prefix>stats}
 * @param createTopics     create missing topics with the Admin client (else only check them)
 * @param partitions       partitions of topics the probe creates
 * @param replication      replication factor of topics the probe creates
 * @param retention        retention of topics the probe creates
 * @param spoolDirectory   where the write-ahead spool lives (one directory per probe)
 * @param spoolMaxBytes    spool bound; beyond it records are dropped, counted and reported
 * @param drainTimeout     how long closing waits for the spool to empty before leaving the rest for the next start
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> clientProperties, String topicPrefix, boolean createTopics,
                            int partitions, short replication, Duration retention, Path spoolDirectory, long spoolMaxBytes,
                            Duration drainTimeout) {
    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        clientProperties = Map.copyOf(clientProperties);
        if (!bootstrapServers.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
            throw new IllegalArgumentException("Kafka bootstrap servers must be host:port[,host:port...], not '" + bootstrapServers + "'");
        }
        if (partitions < 1 || replication < 1) {
            throw new IllegalArgumentException("topic partitions and replication must be at least 1");
        }
        if (spoolMaxBytes < 1 << 20) {
            throw new IllegalArgumentException("the spool must be allowed at least 1 MiB, not " + spoolMaxBytes + " bytes");
        }
    }

    public static final String DEFAULT_TOPIC_PREFIX = "swarmwatch.";
    public static final int DEFAULT_PARTITIONS = 6;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final long DEFAULT_SPOOL_BYTES = 1L << 30;

    /** Defaults for everything but the servers and the spool. */
    public static KafkaSettings of(String bootstrapServers, Path spoolDirectory) {
        return new KafkaSettings(bootstrapServers, Map.of(), DEFAULT_TOPIC_PREFIX, true, DEFAULT_PARTITIONS, (short) 1,
                DEFAULT_RETENTION, spoolDirectory, DEFAULT_SPOOL_BYTES, Duration.ofSeconds(30));
    }

    public KafkaSettings withClientProperties(Map<String, String> p) {
        return new KafkaSettings(bootstrapServers, p, topicPrefix, createTopics, partitions, replication, retention, spoolDirectory,
                spoolMaxBytes, drainTimeout);
    }

    public KafkaSettings withTopics(String prefix, boolean create, int partitions, short replication) {
        return new KafkaSettings(bootstrapServers, clientProperties, prefix, create, partitions, replication, retention, spoolDirectory,
                spoolMaxBytes, drainTimeout);
    }

    public KafkaSettings withSpool(long maxBytes, Duration drainTimeout) {
        return new KafkaSettings(bootstrapServers, clientProperties, topicPrefix, createTopics, partitions, replication, retention,
                spoolDirectory, maxBytes, drainTimeout);
    }

    /** Topic names by record type index: 0 flows, 1 observations, 2 stats. */
    public String[] topics() {
        return new String[] {topicPrefix + "flows", topicPrefix + "observations", topicPrefix + "stats"};
    }
}
