package org.swarmwatch.probe.export.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.events.RecordCodec;
import org.swarmwatch.events.StatsRecord;
import org.swarmwatch.probe.export.RecordSink;

/**
 * Streams records to Kafka, with nothing lost when the broker is away.
 *
 * <p>Every record is serialised on the calling (processing) thread and appended to the
 * {@link Spool} on disk; that is all the capture path waits for. A sender thread reads the spool
 * in order and produces to the record type's topic ({@code <prefix>flows}, {@code observations},
 * {@code stats}), keyed by the subscriber's pseudonym (so one subscriber's records stay in order
 * on one partition; stats by the observer's name), with two headers for de-duplication:
 * {@code swarmwatch.producer} (a random 64-bit id per probe run, hex) and
 * {@code swarmwatch.sequence} (1, 2, 3... per producer id; a gap downstream is a record the probe
 * dropped). Each batch is flushed and, once the broker acknowledged it, removed from the spool.
 * The producer is idempotent with {@code acks=all}, so its own retries during a broker outage
 * write nothing twice; records it gave up on are read from the spool again, and only those: the
 * records of a partly failed batch that the broker did take are remembered and skipped. A
 * producer that keeps failing is replaced by a new one. A probe restarted with records in its
 * spool sends them first.
 *
 * <p>A full spool drops the record (counted, logged, and reported in stats records as
 * {@code export_dropped}); a record that cannot be serialised is counted and logged, never sent.
 */
public final class KafkaSink implements RecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    private static final long LOG_EVERY_MILLIS = 60_000;
    static final int BATCH = 5000;
    static final int RENEW_AFTER_FAILURES = 3;
    static final String PRODUCER_HEADER = "swarmwatch.producer", SEQUENCE_HEADER = "swarmwatch.sequence";

    private final KafkaSettings settings;
    private final String[] topics;
    private final Spool spool;
    private final Map<String, Object> producerConfig;
    /** Replaced by the sender when it stops making progress (see {@link #send}); read by {@link #close}. */
    private volatile KafkaProducer<byte[], byte[]> producer;
    private final RecordCodec codec = new RecordCodec();
    private final long producerId = ThreadLocalRandom.current().nextLong();
    private final byte[] producerHeader;
    private long sequence;
    private final Thread sender;
    private volatile boolean closing, stop;
    private volatile long resendBelow;
    /** Spool positions past the acknowledged one that the broker took in a partly failed batch (sender thread only). */
    private final Set<Long> deliveredAhead = new HashSet<>();

    private final Counter spooled, produced, resent, dropped, unserialisable;
    private final Timer latency;
    private volatile long droppedCount, unserialisableCount, producedCount;
    private volatile String lastProblem;
    /** When the sender last had nothing left to send or had a batch acknowledged ({@link #stalledFor}). */
    private volatile long lastProgressNanos = System.nanoTime();
    private long lastDropLog, lastSendLog;

    /**
     * Opens the spool (sending what an earlier run left in it), creates or checks the topics when
     * the broker answers within {@code connectTimeout}, and starts sending. A broker that does not
     * answer yet is a degraded start, said on the log: records are spooled until it does.
     *
     * @throws IOException           the spool directory cannot be used
     * @throws IllegalStateException the topics are unsuitable or cannot be made (the message says why)
     */
    public KafkaSink(KafkaSettings settings, String observer, MeterRegistry metrics, Duration connectTimeout) throws IOException {
        this.settings = settings;
        this.topics = settings.topics();
        this.spool = new Spool(settings.spoolDirectory(), settings.spoolMaxBytes(), 64L << 20);
        this.producerHeader = HexFormat.of().formatHex(longBytes(producerId)).getBytes(StandardCharsets.US_ASCII);
        this.resendBelow = spool.backlogBytes() > 0 ? Long.MAX_VALUE : -1;
        if (spool.backlogBytes() > 0) {
            LOG.warn("the spool {} holds {} bytes of records from an earlier run: they are sent first", settings.spoolDirectory(),
                    spool.backlogBytes());
        }
        if (spool.tornBytes() > 0) {
            LOG.warn("the spool {} ended in a torn record ({} bytes, a crash in mid-write): cut off", settings.spoolDirectory(),
                    spool.tornBytes());
        }
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", settings.bootstrapServers());
        config.put("client.id", "swarmwatch-probe-" + observer);
        config.put("acks", "all");
        config.put("enable.idempotence", "true");
        config.put("max.in.flight.requests.per.connection", "5");
        config.put("compression.type", "lz4");
        config.put("linger.ms", "20");
        config.put("batch.size", Integer.toString(256 << 10));
        config.put("buffer.memory", Long.toString(64L << 20));
        config.put("delivery.timeout.ms", "120000");
        // a send waiting for a topic's metadata gives up after 15 s (not the default 60) so that the sender can start afresh
        config.put("max.block.ms", "15000");
        config.putAll(settings.clientProperties());
        this.producerConfig = Map.copyOf(config);
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        this.spooled = Counter.builder("swarmwatch.export.records").tag("outcome", "spooled").register(metrics);
        this.produced = Counter.builder("swarmwatch.export.records").tag("outcome", "produced").register(metrics);
        this.resent = Counter.builder("swarmwatch.export.records").tag("outcome", "resent").register(metrics);
        this.dropped = Counter.builder("swarmwatch.export.records").tag("outcome", "dropped").register(metrics);
        this.unserialisable = Counter.builder("swarmwatch.export.records").tag("outcome", "unserialisable").register(metrics);
        this.latency = Timer.builder("swarmwatch.export.batch.latency").description("send to acknowledgement of a batch").register(metrics);
        Gauge.builder("swarmwatch.export.spool.bytes", spool, Spool::backlogBytes).register(metrics);
        boolean ready;
        try {
            ready = ensureTopics(connectTimeout.toMillis(), true);
        } catch (RuntimeException e) {
            // no sink: leave no producer retrying in the background, and the spool closed for the next one
            producer.close(Duration.ZERO);
            spool.close();
            throw e;
        }
        if (!ready) {
            LOG.warn("Kafka at {} does not answer: degraded start, records go to the spool {} until it does",
                    settings.bootstrapServers(), settings.spoolDirectory());
        }
        this.sender = new Thread(() -> send(ready), "swarmwatch-kafka-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /**
     * True when the topics are there; false when the broker did not answer in time. Unsuitable
     * topics are an {@link IllegalStateException} at start, a logged problem later.
     */
    private boolean ensureTopics(long timeoutMillis, boolean atStart) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put("bootstrap.servers", settings.bootstrapServers());
        config.put("request.timeout.ms", (int) Math.max(1000, timeoutMillis));
        config.put("default.api.timeout.ms", (int) Math.max(1000, timeoutMillis));
        try (Admin admin = Admin.create(config)) {
            Topics.ensure(admin, settings, timeoutMillis);
            return true;
        } catch (IllegalStateException e) {
            if (atStart) {
                throw e;
            }
            problem("Kafka topics: " + e.getMessage());
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            if (atStart && !(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                throw new IllegalStateException("Kafka at " + settings.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (org.apache.kafka.common.KafkaException e) {
            if (atStart) {
                throw new IllegalStateException("Kafka client settings: " + e.getMessage(), e);
            }
            return false;
        }
    }

    @Override
    public void accept(ProbeRecord record) throws IOException {
        if (record instanceof StatsRecord s) {
            record = withExportCounters(s);
        }
        byte[] value;
        try {
            value = codec.encode(record);
        } catch (RuntimeException e) {
            unserialisable.increment();
            unserialisableCount++;
            LOG.error("a {} record could not be serialised and is not sent: {}", record.type().wireName(), e.toString());
            return;
        }
        long seq = ++sequence; // a dropped record leaves a gap downstream
        int topic = switch (record.type()) {
            case FLOW -> 0;
            case OBSERVATION -> 1;
            case STATS -> 2;
        };
        boolean appended;
        try {
            appended = spool.append(topic, producerId, seq, key(record), value);
        } catch (IOException e) {
            drop("cannot write the spool " + settings.spoolDirectory() + ": " + e.getMessage());
            return;
        }
        if (appended) {
            spooled.increment();
        } else {
            drop("the spool " + settings.spoolDirectory() + " is full (" + settings.spoolMaxBytes()
                    + " bytes): Kafka has not acknowledged records for a while");
        }
    }

    private void drop(String why) {
        dropped.increment();
        droppedCount++;
        long now = System.currentTimeMillis();
        if (now - lastDropLog >= LOG_EVERY_MILLIS) {
            lastDropLog = now;
            LOG.error("records dropped ({} so far): {}", droppedCount, why);
        }
    }

    /** The subscriber's pseudonym (the side the record is about first), else the observer. */
    static byte[] key(ProbeRecord record) {
        Endpoint a = null, b = null;
        if (record instanceof FlowRecord f) {
            a = f.source();
            b = f.destination();
        } else if (record instanceof ObservationRecord o) {
            a = o.source();
            b = o.destination();
        }
        String key = a == null ? record.observer() : a.subscriber() ? a.address() : b.subscriber() ? b.address() : a.address();
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private StatsRecord withExportCounters(StatsRecord s) {
        Map<String, Long> counters = new HashMap<>(s.decode());
        counters.put("export_produced", producedCount);
        counters.put("export_spool_bytes", spool.backlogBytes());
        if (droppedCount > 0) {
            counters.put("export_dropped", droppedCount);
        }
        if (unserialisableCount > 0) {
            counters.put("export_unserialisable", unserialisableCount);
        }
        return new StatsRecord(s.observer(), s.addressMode(), s.start(), s.end(), s.captureSource(), s.packets(), s.bytes(),
                s.captureReceived(), s.captureDropped(), s.interfaceDropped(), s.flowsActive(), s.flowsCreated(), s.flowsExported(),
                s.flowsEvicted(), counters, s.protocols());
    }

    /** The sender: spool to Kafka, in order, a batch at a time; failed batches are read again. */
    private void send(boolean topicsReady) {
        long backoff = 500;
        int failedInARow = 0;
        long lastSync = System.currentTimeMillis();
        while (!stop) {
            try {
                if (System.currentTimeMillis() - lastSync >= 1000) {
                    spool.sync();
                    lastSync = System.currentTimeMillis();
                }
                if (!topicsReady) {
                    topicsReady = ensureTopics(5000, false);
                    if (!topicsReady) {
                        pause(backoff);
                        backoff = Math.min(backoff * 2, 10_000);
                        continue;
                    }
                    LOG.warn("Kafka at {} answers: sending the spool", settings.bootstrapServers());
                }
                List<Spool.Entry> batch = spool.read(BATCH, 200);
                if (batch.isEmpty()) {
                    lastProgressNanos = System.nanoTime(); // everything read was acknowledged: nothing waits
                    if (closing) {
                        return;
                    }
                    continue;
                }
                int n = batch.size();
                AtomicIntegerArray delivered = new AtomicIntegerArray(n); // 1: the broker has it (set by callbacks, read after flush)
                AtomicReference<Exception> failure = new AtomicReference<>();
                KafkaProducer<byte[], byte[]> out = producer;
                long start = System.nanoTime();
                int earlier = 0;
                for (int i = 0; i < n; i++) {
                    Spool.Entry e = batch.get(i);
                    if (deliveredAhead.remove(e.position())) {
                        delivered.set(i, 1); // taken by the broker in an attempt that failed for other entries: not sent twice
                        earlier++;
                        continue;
                    }
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(PRODUCER_HEADER, e.producerId() == producerId ? producerHeader
                            : HexFormat.of().formatHex(longBytes(e.producerId())).getBytes(StandardCharsets.US_ASCII));
                    headers.add(SEQUENCE_HEADER, Long.toString(e.sequence()).getBytes(StandardCharsets.US_ASCII));
                    int index = i;
                    out.send(new ProducerRecord<>(topics[e.topic()], null, e.key(), e.value(), headers), (metadata, ex) -> {
                        if (ex == null) {
                            delivered.set(index, 1);
                        } else {
                            failure.compareAndSet(null, ex);
                        }
                    });
                }
                out.flush();
                int firstMissing = 0;
                while (firstMissing < n && delivered.get(firstMissing) == 1) {
                    firstMissing++;
                }
                long now = 0, again = 0, missing = 0;
                for (int i = 0; i < n; i++) {
                    if (delivered.get(i) == 0) {
                        missing++;
                    } else {
                        now++;
                        if (batch.get(i).position() < resendBelow) {
                            again++;
                        }
                    }
                }
                now -= earlier;
                produced.increment(now);
                producedCount += now;
                if (again > earlier) {
                    resent.increment(again - earlier);
                }
                if (firstMissing < n) {
                    // acknowledge the delivered prefix; remember what was delivered after the first miss so that
                    // reading the spool again from the miss sends only what the broker does not have
                    if (firstMissing > 0) {
                        spool.acknowledge(batch.get(firstMissing).position());
                    }
                    for (int i = firstMissing + 1; i < n; i++) {
                        if (delivered.get(i) == 1) {
                            deliveredAhead.add(batch.get(i).position());
                        }
                    }
                    Exception why = failure.get();
                    problem("Kafka at " + settings.bootstrapServers() + " did not take " + missing + " of " + n + " records of a batch (" + (why == null ? "no answer" : why.getMessage())
                            + "): kept in the spool and sent again");
                    resendBelow = Math.max(resendBelow, batch.get(n - 1).end());
                    spool.rewind();
                    if (++failedInARow % RENEW_AFTER_FAILURES == 0 && !stop) {
                        renewProducer();
                    }
                    pause(backoff);
                    backoff = Math.min(backoff * 2, 10_000);
                    continue;
                }
                backoff = 500;
                failedInARow = 0;
                latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                spool.acknowledge(batch.get(n - 1).end());
                lastProgressNanos = System.nanoTime();
                if (resendBelow == Long.MAX_VALUE && spool.backlogBytes() == 0) {
                    resendBelow = -1;
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException | Error e) {
                if (stop) {
                    return;
                }
                if (e instanceof Error && !(e instanceof InternalError)) {
                    LOG.error("the Kafka sender stops: {}", e.toString());
                    throw (Error) e;
                }
                problem("sending records: " + e);
                spool.rewind();
                pause(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /**
     * A producer whose batches keep failing may be stuck on stale metadata (a topic it first asked
     * for before it existed, a broker that came back with a new address) or in an idempotence
     * state it cannot leave: a new one starts from the bootstrap servers again. The spool makes
     * that safe: what the old one had in flight is read again, and duplicates are told apart
     * downstream by producer id and sequence.
     */
    private void renewProducer() {
        LOG.warn("Kafka at {}: {} batches in a row failed, starting a new producer", settings.bootstrapServers(),
                RENEW_AFTER_FAILURES);
        KafkaProducer<byte[], byte[]> old = producer;
        producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        old.close(Duration.ZERO);
        if (stop) {
            producer.close(Duration.ZERO); // close() may have closed the old one while this one was being made
        }
    }

    private void problem(String what) {
        lastProblem = what;
        long now = System.currentTimeMillis();
        if (now - lastSendLog >= LOG_EVERY_MILLIS) {
            lastSendLog = now;
            LOG.warn(what);
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = true;
        }
    }

    /** Records appended but not yet acknowledged by Kafka, in bytes. */
    public long backlogBytes() {
        return spool.backlogBytes();
    }

    /** Records acknowledged by Kafka so far in this run. */
    public long produced() {
        return producedCount;
    }

    /** Records dropped (spool full or unwritable) so far in this run. */
    public long dropped() {
        return droppedCount;
    }

    /**
     * How long records have been waiting without Kafka acknowledging any: zero-ish while the
     * sender keeps up (it had nothing left to send, or a batch was acknowledged, moments ago);
     * growing while the broker is away, refuses the records, or a flush hangs. Spooling for a
     * while is normal (a broker restart); the health endpoint's readiness turns down when this
     * passes its grace. Any thread.
     */
    public Duration stalledFor() {
        return Duration.ofNanos(System.nanoTime() - lastProgressNanos);
    }

    /** The last sending problem (rate-limited in the log), or null. */
    public String lastProblem() {
        return lastProblem;
    }

    @Override
    public void flush() throws IOException {
        spool.sync();
    }

    /**
     * Waits up to the drain timeout for Kafka to acknowledge the spool, then stops. What is left
     * stays in the spool for the next start (said on the log).
     */
    @Override
    public void close() throws IOException {
        closing = true;
        try {
            sender.join(settings.drainTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop = true;
        producer.close(Duration.ofSeconds(sender.isAlive() ? 0 : 5));
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = spool.backlogBytes();
        spool.close();
        if (left > 0) {
            LOG.warn("{} bytes of records were not acknowledged by Kafka at {}: they stay in the spool {} and are sent at the next start",
                    left, settings.bootstrapServers(), settings.spoolDirectory());
        }
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }
}
