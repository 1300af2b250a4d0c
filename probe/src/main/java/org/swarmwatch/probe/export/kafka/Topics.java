package org.swarmwatch.probe.export.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes sure the probe's topics exist and suit it: created with the Admin client when they are
 * missing and the probe may create them, checked when they exist (or creation is not allowed):
 * {@code cleanup.policy} must be {@code delete} (compaction would drop records that share a key:
 * every record of one subscriber).
 */
final class Topics {
    private Topics() {
    }

    /** Creates or checks; a problem is an {@link IllegalStateException} whose message says what to fix. */
    static void ensure(Admin admin, KafkaSettings settings, long timeoutMillis)
            throws InterruptedException, ExecutionException, TimeoutException {
        String[] names = settings.topics();
        Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (String name : names) {
            if (!existing.contains(name)) {
                Map<String, String> config = new HashMap<>();
                config.put("cleanup.policy", "delete");
                config.put("retention.ms", Long.toString(settings.retention().toMillis()));
                config.put("compression.type", "producer");
                missing.add(new NewTopic(name, settings.partitions(), settings.replication()).configs(config));
            }
        }
        if (!missing.isEmpty()) {
            if (!settings.createTopics()) {
                throw new IllegalStateException("Kafka topics missing and the probe may not create them: "
                        + missing.stream().map(NewTopic::name).toList() + " (create them, or allow creation)");
            }
            try {
                admin.createTopics(missing).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    throw new IllegalStateException("not allowed to create Kafka topics " + missing.stream().map(NewTopic::name).toList()
                            + ": create them (partitions, retention: docs/kafka.md) or grant CREATE", e.getCause());
                }
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        // a topic just created has partitions without a leader for a moment, and a leader named in the
        // metadata may not have opened the partition yet: producing then meets NOT_LEADER_OR_FOLLOWER on
        // one batch while the next one (pipelined) succeeds, and the retried first batch is refused as
        // out of sequence, forever (seen here on a fresh broker). So wait until every partition answers
        // a ListOffsets, which its leader's replica manager serves only once the partition is open.
        long deadline = System.currentTimeMillis() + timeoutMillis;
        Map<String, TopicDescription> described;
        while (true) {
            try {
                described = admin.describeTopics(List.of(names)).allTopicNames().get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // the broker asked may not know a topic created a moment ago ("does not host this
                // topic-partition"): its metadata arrives shortly, so ask again until the deadline
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
                continue;
            }
            boolean led = described.values().stream().allMatch(d -> !d.partitions().isEmpty()
                    && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            if (led && writable(admin, described, timeoutMillis) || System.currentTimeMillis() > deadline) {
                break;
            }
            Thread.sleep(100);
        }
        List<ConfigResource> resources = new ArrayList<>();
        for (String name : names) {
            resources.add(new ConfigResource(ConfigResource.Type.TOPIC, name));
        }
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
        for (String name : names) {
            if (described.get(name) == null || described.get(name).partitions().isEmpty()) {
                throw new IllegalStateException("Kafka topic " + name + " has no partitions");
            }
            Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            String policy = c == null || c.get("cleanup.policy") == null ? "delete" : c.get("cleanup.policy").value();
            if (!policy.contains("delete") || policy.contains("compact")) {
                throw new IllegalStateException("Kafka topic " + name + " has cleanup.policy=" + policy
                        + ": compaction keeps one record per key (per subscriber), the probe needs cleanup.policy=delete");
            }
        }
    }

    /** True when every partition's leader serves ListOffsets (the partition is open for writes). */
    private static boolean writable(Admin admin, Map<String, TopicDescription> described, long timeoutMillis) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        described.forEach((name, d) -> d.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        try {
            admin.listOffsets(partitions).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
