package org.swarmwatch.classifier.consume;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics the classifier writes: {@code <prefix>incidents} (every new or changed incident,
 * keyed by incident id; a year of retention) and {@code <prefix>deadletter} (records it could not
 * read or index, with the reason in a header; 30 days). Created at start when missing, since a
 * producer waiting for a topic that never comes would hold the whole pipeline.
 */
public final class OutputTopics {
    private OutputTopics() {
    }

    /**
     * Creates the missing output topics.
     *
     * @throws IllegalStateException naming the topics when they are missing and may not be created,
     *                               or the cluster does not answer within the timeout
     */
    public static void ensure(ConsumerSettings settings, int partitions, short replication, long timeoutMillis) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put("bootstrap.servers", settings.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(settings.incidents())) {
                missing.add(new NewTopic(settings.incidents(), partitions, replication)
                        .configs(Map.of("retention.ms", Long.toString(TimeUnit.DAYS.toMillis(365)))));
            }
            if (!existing.contains(settings.deadLetters())) {
                missing.add(new NewTopic(settings.deadLetters(), partitions, replication)
                        .configs(Map.of("retention.ms", Long.toString(TimeUnit.DAYS.toMillis(30)))));
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
                awaitWritable(admin, missing.stream().map(NewTopic::name).toList(), timeoutMillis);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    throw new IllegalStateException("Kafka topics " + missing.stream().map(NewTopic::name).toList()
                            + " are missing and the classifier may not create them: create them or grant CREATE", e.getCause());
                }
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + " did not answer within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka topics");
        }
    }

    /**
     * Waits until every partition's leader serves ListOffsets: a partition named in the metadata
     * before its leader opened it refuses an idempotent producer's first batch while a later one
     * succeeds, and the retried first batch is then refused as out of sequence for ever.
     */
    private static void awaitWritable(Admin admin, List<String> topics, long timeoutMillis)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            try {
                // described again each time: right after creation the broker asked may not know the
                // topics yet ("does not host this topic-partition")
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(timeoutMillis, TimeUnit.MILLISECONDS).forEach((name, d) ->
                        d.partitions().forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
