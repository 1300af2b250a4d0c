package org.swarmwatch.dashboard.kafka;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * The classifier's consumer lag, per consumer group and topic: the end offsets of the partitions
 * minus the offsets the group has committed (Kafka's Admin client, as
 * {@code kafka-consumer-groups --describe} computes it). A growing lag means the classifier
 * falls behind the probes, and incidents reach the dashboard late.
 *
 * <p>Bounded in time: one look at Kafka takes at most {@link KafkaSettings#timeout()}, all calls
 * together, and its answer is reused for {@link KafkaSettings#cacheFor()}, so that a Kafka that
 * does not answer slows no page by more than that, once per period. Without bootstrap servers,
 * or when Kafka does not answer, the lag is {@code unknown}, with the reason.
 */
@Service
public class ConsumerLag implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);

    private final KafkaSettings settings;
    private final Clock clock;
    private Admin admin;
    private Map<String, Object> last;
    private Instant lastAt = Instant.MIN;

    @Autowired
    public ConsumerLag(KafkaSettings settings) {
        this(settings, Clock.systemUTC());
    }

    ConsumerLag(KafkaSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The lag now (or as seen at most {@code cacheFor} ago): {@code status} {@code ok} with
     * {@code groups}, or {@code unknown} with a {@code reason}.
     */
    public synchronized Map<String, Object> report() {
        Instant now = clock.instant();
        if (last != null && now.isBefore(lastAt.plus(settings.cacheFor()))) {
            return last;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checked_at", now.toString());
        if (settings.bootstrapServers() == null || settings.bootstrapServers().isBlank()) {
            out.put("status", "unknown");
            out.put("reason", "Kafka is not configured (swarmwatch.kafka.bootstrap-servers)");
        } else {
            try {
                List<Map<String, Object>> groups = new ArrayList<>();
                long deadline = System.nanoTime() + settings.timeout().toNanos();
                for (String group : settings.groups()) {
                    groups.add(group(group, deadline));
                }
                out.put("status", "ok");
                out.put("groups", groups);
            } catch (TimeoutException e) {
                out.put("status", "unknown");
                out.put("reason", "Kafka (" + settings.bootstrapServers() + ") did not answer within " + settings.timeout().toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.put("status", "unknown");
                out.put("reason", "interrupted");
            } catch (ExecutionException | KafkaException | IOException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                LOG.warn("cannot read the consumer lag from Kafka ({})", settings.bootstrapServers(), cause);
                out.put("status", "unknown");
                out.put("reason", "Kafka (" + settings.bootstrapServers() + ") refused: " + cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            }
        }
        last = java.util.Collections.unmodifiableMap(out);
        lastAt = now;
        return out;
    }

    private Map<String, Object> group(String group, long deadline) throws ExecutionException, InterruptedException, TimeoutException,
            IOException {
        Admin a = admin();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("group", group);
        ConsumerGroupDescription description;
        try {
            description = a.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
            description = null;
        }
        g.put("state", description == null ? "unknown" : description.groupState().toString());
        g.put("members", description == null ? 0 : description.members().size());
        Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(remaining(deadline), TimeUnit.NANOSECONDS);
        Map<String, List<TopicPartition>> byTopic = new TreeMap<>();
        committed.forEach((tp, o) -> {
            if (o != null) {
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp);
            }
        });
        if (byTopic.isEmpty()) {
            g.put("lag", null);
            g.put("reason", "the group has committed no offsets");
            g.put("topics", List.of());
            return g;
        }
        Map<String, TopicDescription> topics = a.describeTopics(byTopic.keySet()).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        topics.values().forEach(t -> t.partitions().forEach(p -> request.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = a.listOffsets(request).all()
                .get(remaining(deadline), TimeUnit.NANOSECONDS);
        List<Map<String, Object>> perTopic = new ArrayList<>();
        long total = 0;
        for (String topic : byTopic.keySet()) {
            long end = 0, done = 0, lag = 0;
            int partitions = 0, uncommitted = 0;
            for (TopicPartition tp : request.keySet()) {
                if (!tp.topic().equals(topic)) {
                    continue;
                }
                partitions++;
                long e = ends.get(tp).offset();
                end += e;
                OffsetAndMetadata c = committed.get(tp);
                if (c == null) {
                    uncommitted++;
                } else {
                    done += c.offset();
                    lag += Math.max(0, e - c.offset());
                }
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("topic", topic);
            t.put("partitions", partitions);
            t.put("uncommitted_partitions", uncommitted);
            t.put("end_offset", end);
            t.put("committed", done);
            t.put("lag", lag);
            perTopic.add(t);
            total += lag;
        }
        g.put("lag", total);
        g.put("topics", perTopic);
        return g;
    }

    private static long remaining(long deadline) throws TimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException();
        }
        return left;
    }

    private Admin admin() throws IOException {
        if (admin == null) {
            Properties p = new Properties();
            if (settings.configFile() != null) {
                try (Reader in = Files.newBufferedReader(settings.configFile(), StandardCharsets.UTF_8)) {
                    p.load(in);
                }
            }
            int ms = (int) Math.max(1, settings.timeout().toMillis());
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, "swarmwatch-dashboard");
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(ms, 10_000));
            p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Math.min(ms, 10_000));
            admin = Admin.create(p);
        }
        return admin;
    }

    @Override
    @PreDestroy
    public synchronized void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
    }
}
