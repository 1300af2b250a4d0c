package org.swarmwatch.classifier.consume;

import java.util.Map;
import java.util.Objects;

/**
 * The classifier's side of Kafka.
 *
 * @param bootstrapServers  the cluster
 * @param clientProperties  further client settings (TLS, SASL: {@code security.protocol},
 *                          {@code ssl.*}, {@code sasl.*}), from the {@code --kafka-config} file
 * @param topicPrefix       the probe's topics are {@code <prefix>flows}, {@code observations},
 *                          {@code stats}; the classifier writes {@code <prefix>incidents} and
 *                          {@code <prefix>deadletter}
 * @param groupId           the consumer group: classifiers sharing it share the partitions
 */
public record ConsumerSettings(String bootstrapServers, Map<String, String> clientProperties, String topicPrefix, String groupId) {
    public static final String DEFAULT_PREFIX = "swarmwatch.", DEFAULT_GROUP = "swarmwatch-classifier";

    public ConsumerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        clientProperties = Map.copyOf(clientProperties);
    }

    public static ConsumerSettings of(String bootstrapServers) {
        return new ConsumerSettings(bootstrapServers, Map.of(), DEFAULT_PREFIX, DEFAULT_GROUP);
    }

    public ConsumerSettings withTopicPrefix(String prefix) {
        return new ConsumerSettings(bootstrapServers, clientProperties, prefix, groupId);
    }

    public ConsumerSettings withGroup(String group) {
        return new ConsumerSettings(bootstrapServers, clientProperties, topicPrefix, group);
    }

    public String flows() {
        return topicPrefix + "flows";
    }

    public String observations() {
        return topicPrefix + "observations";
    }

    public String stats() {
        return topicPrefix + "stats";
    }

    public String incidents() {
        return topicPrefix + "incidents";
    }

    public String deadLetters() {
        return topicPrefix + "deadletter";
    }
}
