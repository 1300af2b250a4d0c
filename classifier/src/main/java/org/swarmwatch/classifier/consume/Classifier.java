package org.swarmwatch.classifier.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.classifier.incident.Incident;
import org.swarmwatch.classifier.incident.IncidentBuilder;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.index.IndexNames;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.health.Heartbeat;
import org.swarmwatch.events.RecordCodec;
import org.swarmwatch.events.RecordFormatException;

/**
 * The classifier's loop: poll the probe's topics as one consumer of a group, decode, index flows,
 * observations and stats in their daily indices, turn listed hashes into incidents, write
 * everything in one bulk request, publish changed incidents and dead letters, and only then
 * commit the offsets. A crash anywhere before the commit replays the batch; every document has a
 * deterministic id (the probe's producer id and sequence, or the record's topic, partition and
 * offset; the incident's id), so a replay overwrites and never duplicates.
 *
 * <p>A record that cannot be decoded, or that Elasticsearch refuses for what it is, goes to the
 * dead-letter topic with the reason and its origin in headers ({@code swarmwatch.reason},
 * {@code swarmwatch.origin}), and the loop goes on. While Elasticsearch is away, the loop waits
 * and retries (no commit, so no loss); {@code max.poll.interval.ms} is 10 minutes, and a longer
 * outage costs a rebalance and a replay, not records.
 *
 * <p>Partitions are assigned by range, so that partition N of every probe topic (the same
 * subscribers, by the probe's keying) goes to the same classifier and a flow's bytes meet its
 * observations.
 */
public final class Classifier implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Classifier.class);
    static final String REASON_HEADER = "swarmwatch.reason", ORIGIN_HEADER = "swarmwatch.origin";

    private final ConsumerSettings settings;
    private final Elastic elastic;
    private final IncidentBuilder incidents;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final RecordCodec codec = new RecordCodec();
    private final Counter indexed, deadLettered, matched, allowed, incidentsWritten;
    private volatile boolean running = true;
    private volatile long batches;
    private final Heartbeat heartbeat = new Heartbeat("poll loop");
    /** Partitions assigned now; {@link #UNASSIGNED} before the first assignment and during a rebalance. */
    private volatile int assigned = UNASSIGNED;
    public static final int UNASSIGNED = -1;

    public Classifier(ConsumerSettings settings, Elastic elastic, IncidentBuilder incidents, MeterRegistry metrics) {
        this.settings = settings;
        this.elastic = elastic;
        this.incidents = incidents;
        Map<String, Object> c = new HashMap<>(settings.clientProperties());
        c.put("bootstrap.servers", settings.bootstrapServers());
        c.put("group.id", settings.groupId());
        c.put("enable.auto.commit", "false");
        c.put("auto.offset.reset", "earliest");
        c.put("max.poll.records", "2000");
        c.put("max.poll.interval.ms", "600000");
        c.put("partition.assignment.strategy", RangeAssignor.class.getName());
        c.put("client.id", "swarmwatch-classifier");
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = new HashMap<>(settings.clientProperties());
        p.put("bootstrap.servers", settings.bootstrapServers());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("compression.type", "lz4");
        p.put("client.id", "swarmwatch-classifier-out");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.indexed = counter(metrics, "swarmwatch.classifier.records", "outcome", "indexed", "records written to Elasticsearch");
        this.deadLettered = counter(metrics, "swarmwatch.classifier.records", "outcome", "dead_lettered",
                "records sent to the dead-letter topic");
        this.matched = counter(metrics, "swarmwatch.matches", "result", "listed", "observations of a listed hash that count");
        this.allowed = counter(metrics, "swarmwatch.matches", "result", "allowed", "observations of an allow-listed hash");
        this.incidentsWritten = counter(metrics, "swarmwatch.classifier.incidents", "outcome", "written", "incident versions written");
    }

    private static Counter counter(MeterRegistry m, String name, String tag, String value, String description) {
        return Counter.builder(name).tag(tag, value).description(description).register(m);
    }

    /** Polls until {@link #close()} (from another thread) or an unrecoverable error. */
    @Override
    public void run() {
        consumer.subscribe(List.of(settings.flows(), settings.observations(), settings.stats()), new ConsumerRebalanceListener() {
            // called on this thread, inside poll; eager (range) assignment revokes everything at a rebalance's start
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                assigned = UNASSIGNED;
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assigned = consumer.assignment().size(); // also after a rebalance that gave this member nothing
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                assigned = UNASSIGNED;
            }
        });
        long backoff = 500;
        try {
            while (running) {
                heartbeat.beat();
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
                if (polled.isEmpty()) {
                    continue;
                }
                try {
                    process(polled);
                } catch (KafkaOutputException e) {
                    // read the batch again: its documents and incidents overwrite themselves
                    LOG.warn("{}; the batch is read again", e.getMessage());
                    for (TopicPartition tp : polled.partitions()) {
                        consumer.seek(tp, polled.records(tp).get(0).offset());
                    }
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 30_000);
                    continue;
                }
                backoff = 500;
                try {
                    consumer.commitSync();
                    batches++;
                } catch (CommitFailedException | RebalanceInProgressException e) {
                    // the group moved on (an outage longer than max.poll.interval.ms): whoever owns the
                    // partitions now reads the batch again, and its documents overwrite themselves
                    LOG.warn("offsets not committed ({}): the batch will be read again", e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            if (running) {
                throw new IllegalStateException("classifier interrupted", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
            producer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Beaten at every poll and at every retry of a write Elasticsearch could not take: an outage
     * keeps it beating (readiness says the cluster is away), a loop blocked somewhere does not.
     */
    public Heartbeat heartbeat() {
        return heartbeat;
    }

    /**
     * Partitions of the probe topics this member holds now: 0 when the group's last rebalance gave
     * it none (more classifiers than partitions), {@link #UNASSIGNED} before it joined the group
     * and while a rebalance is under way. Any thread.
     */
    public int assignedPartitions() {
        return assigned;
    }

    /** Batches processed and committed so far. */
    public long batches() {
        return batches;
    }

    private void process(ConsumerRecords<byte[], byte[]> polled) throws InterruptedException, KafkaOutputException {
        List<IncidentBuilder.Sourced> decoded = new ArrayList<>(polled.count());
        List<Elastic.Doc> docs = new ArrayList<>(polled.count() + 16);
        Map<Elastic.Doc, ConsumerRecord<byte[], byte[]>> origin = new HashMap<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : polled) {
            ProbeRecord record;
            try {
                record = codec.decode(r.value() == null ? new byte[0] : r.value());
            } catch (RecordFormatException | RuntimeException e) {
                sent.add(deadLetter(r, "undecodable record: " + e.getMessage()));
                continue;
            }
            decoded.add(sourced(record, r));
            String family = switch (record.type()) {
                case FLOW -> IndexNames.FLOWS;
                case OBSERVATION -> IndexNames.OBSERVATIONS;
                case STATS -> IndexNames.STATS;
            };
            Elastic.Doc doc = new Elastic.Doc(elastic.names().daily(family, record.timestamp()), documentId(r), r.value());
            docs.add(doc);
            origin.put(doc, r);
        }
        IncidentBuilder.Result result;
        long backoff = 500;
        while (true) {
            try {
                result = incidents.applySourced(decoded);
                break;
            } catch (IOException e) {
                LOG.warn("reading incidents back failed ({}); retrying", e.getMessage());
                heartbeat.beat();
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
                if (!running) {
                    throw new InterruptedException("stopped");
                }
            }
        }
        for (Incident in : result.changed()) {
            docs.add(new Elastic.Doc(elastic.names().incidents(), in.id(), in.toBytes()));
        }
        int refusedRecords = 0;
        for (Elastic.Refused refused : elastic.write(docs, () -> {
            heartbeat.beat();
            return running;
        })) {
            ConsumerRecord<byte[], byte[]> r = origin.get(refused.doc());
            if (r != null) {
                sent.add(deadLetter(r, "Elasticsearch refused it (" + refused.status() + "): " + refused.reason()));
                refusedRecords++;
            } else {
                LOG.error("Elasticsearch refused incident {} ({}): {}", refused.doc().id(), refused.status(), refused.reason());
            }
        }
        indexed.increment(docs.size() - result.changed().size() - refusedRecords);
        matched.increment(result.matched());
        allowed.increment(result.allowed());
        for (Incident in : result.changed()) {
            sent.add(producer.send(new ProducerRecord<>(settings.incidents(), in.id().getBytes(StandardCharsets.US_ASCII), in.toBytes())));
        }
        incidentsWritten.increment(result.changed().size());
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new KafkaOutputException("Kafka did not take an incident or dead letter: " + e.getCause().getMessage());
            }
        }
    }

    /** The incidents or dead-letter topic did not take a record: the batch is not committed. */
    private static final class KafkaOutputException extends Exception {
        KafkaOutputException(String message) {
            super(message);
        }
    }

    private Future<RecordMetadata> deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        deadLettered.increment();
        LOG.warn("dead letter from {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), reason);
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            headers.add(h);
        }
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN_HEADER, (r.topic() + "-" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
        return producer.send(new ProducerRecord<>(settings.deadLetters(), null, r.key(), r.value(), headers));
    }

    private static IncidentBuilder.Sourced sourced(ProbeRecord record, ConsumerRecord<byte[], byte[]> r) {
        Header producerId = r.headers().lastHeader("swarmwatch.producer");
        Header sequence = r.headers().lastHeader("swarmwatch.sequence");
        if (producerId != null && sequence != null) {
            try {
                return new IncidentBuilder.Sourced(record, new String(producerId.value(), StandardCharsets.US_ASCII),
                        Long.parseLong(new String(sequence.value(), StandardCharsets.US_ASCII)));
            } catch (NumberFormatException e) {
                // not the probe's header: the observation counts every time it is read
            }
        }
        return new IncidentBuilder.Sourced(record, null, 0);
    }

    /** The probe's producer id and sequence when it sent them, else the record's place in Kafka. */
    static String documentId(ConsumerRecord<byte[], byte[]> r) {
        Header producerId = r.headers().lastHeader("swarmwatch.producer");
        Header sequence = r.headers().lastHeader("swarmwatch.sequence");
        if (producerId != null && sequence != null) {
            return new String(producerId.value(), StandardCharsets.US_ASCII) + "-" + new String(sequence.value(), StandardCharsets.US_ASCII);
        }
        return r.topic() + "-" + r.partition() + "-" + r.offset();
    }

    /**
     * Stops the loop (from any thread): {@link #run()} returns after committing the batch in hand,
     * or without committing it when Elasticsearch is away (it is read again next time).
     */
    @Override
    public void close() {
        running = false;
    }
}
