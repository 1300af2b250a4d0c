package org.swarmwatch.classifier.incident;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.swarmwatch.classifier.match.Catalog;
import org.swarmwatch.classifier.match.CatalogMatch;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.ProbeRecord;

/**
 * Turns observations of listed hashes into incidents: one per subscriber pseudonym, content hash
 * and time window, de-duplicated by a deterministic id (so replaying the same records, or two
 * classifiers racing after a rebalance, update one incident and never make two).
 *
 * <p>An observation counts when its {@code source} (the endpoint it is about) is a subscriber,
 * the hash is listed and not allowed at the observation's time, its confidence reaches the
 * policy's minimum, and it is more than a lookup (unless the policy says otherwise). Bytes
 * uploaded and downloaded come from the flow records of the peer-wire flows that carried the
 * hash (handshake, correlated or metadata observations), from the subscriber's side, whichever
 * of flow and observation arrives first; tracker and DHT flows carry no content and are not
 * counted.
 *
 * <p>Bounded: at most {@code maxOpen} incidents and {@code maxFlows} flows are held (least
 * recently used go); an incident no longer held is read back from the {@link IncidentStore}
 * when it is touched again. One thread: the consumer's.
 */
public final class IncidentBuilder {
    private static final Set<String> TRANSFER_SEEN_IN = Set.of("handshake", "correlated", "metadata");

    private final Catalog catalog;
    private final IncidentPolicy policy;
    private final IncidentStore store;
    private final Map<String, Incident> open;
    /** flow id -> ids of incidents whose hash the flow carried (to add its bytes when its record comes). */
    private final Map<String, Set<String>> incidentsOfFlow;
    /** flow id -> the flow records seen (segments), for observations that come after them. */
    private final Map<String, List<FlowRecord>> recentFlows;

    public IncidentBuilder(Catalog catalog, IncidentPolicy policy, IncidentStore store, int maxOpen, int maxFlows) {
        this.catalog = catalog;
        this.policy = policy;
        this.store = store;
        this.open = lru(maxOpen);
        this.incidentsOfFlow = lru(maxFlows);
        this.recentFlows = lru(maxFlows);
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /** What one batch of records did to incidents. */
    public record Result(List<Incident> changed, long matched, long allowed) {
    }

    /**
     * A record with the probe's producer id and sequence (its Kafka headers), or a null producer
     * when unknown. An incident remembers the highest sequence it applied per producer, so an
     * observation read again (a batch replayed after a crash or an outage, before its offsets
     * were committed) is not counted twice: the probe's sequences grow within a partition, and
     * one subscriber's records share a partition.
     */
    public record Sourced(ProbeRecord record, String producer, long sequence) {
    }

    /** {@link #applySourced} for records without a known producer (every observation counts). */
    public Result apply(List<? extends ProbeRecord> batch) throws IOException {
        List<Sourced> sourced = new ArrayList<>(batch.size());
        batch.forEach(r -> sourced.add(new Sourced(r, null, 0)));
        return applySourced(sourced);
    }

    /**
     * Applies a batch of records (in their order) and returns the incidents it created or changed,
     * to be written.
     *
     * @throws IOException when incidents must be read back and the store cannot answer (the
     *                     caller retries the batch; nothing was changed)
     */
    public Result applySourced(List<Sourced> batch) throws IOException {
        // first find which incidents the batch touches, and read back those not held
        List<Object[]> work = new ArrayList<>();
        Set<String> missing = new HashSet<>();
        long allowed = 0;
        for (Sourced s : batch) {
            ProbeRecord r = s.record();
            if (r instanceof ObservationRecord o) {
                if (!o.source().subscriber() || o.confidence() < policy.minConfidence()
                        || o.role() == ObservationRole.LOOKING_UP && !policy.lookupsIncident()) {
                    continue;
                }
                CatalogMatch m = catalog.check(o.hash(), o.time());
                if (m.outcome() == CatalogMatch.Outcome.ALLOWED) {
                    allowed++;
                }
                if (m.outcome() != CatalogMatch.Outcome.LISTED) {
                    continue;
                }
                String id = incidentId(o.source().address(), m.entry().hash(), windowStart(o.time()));
                if (!open.containsKey(id)) {
                    missing.add(id);
                }
                work.add(new Object[] {o, m, id, s});
            } else if (r instanceof FlowRecord f) {
                work.add(new Object[] {f});
            }
        }
        if (!missing.isEmpty()) {
            open.putAll(store.load(missing));
        }
        Map<String, Incident> changed = new LinkedHashMap<>();
        long matched = 0;
        for (Object[] w : work) {
            if (w[0] instanceof FlowRecord f) {
                recentFlows.computeIfAbsent(f.flowId(), k -> new ArrayList<>(1)).add(f);
                for (String id : incidentsOfFlow.getOrDefault(f.flowId(), Set.of())) {
                    Incident in = open.get(id);
                    if (in != null && addFlowBytes(in, f)) {
                        changed.put(id, in);
                    }
                }
                continue;
            }
            ObservationRecord o = (ObservationRecord) w[0];
            CatalogMatch m = (CatalogMatch) w[1];
            String id = (String) w[2];
            Incident in = open.computeIfAbsent(id, k -> create(k, o, m));
            if (!in.firstTime((Sourced) w[3])) {
                continue; // applied before this batch was read again
            }
            observe(in, o, m);
            matched++;
            if (TRANSFER_SEEN_IN.contains(o.seenIn()) && o.flowId() != null) {
                Set<String> ids = incidentsOfFlow.computeIfAbsent(o.flowId(), k -> new HashSet<>(2));
                if (ids.size() < 8) {
                    ids.add(id);
                }
                for (FlowRecord f : recentFlows.getOrDefault(o.flowId(), List.of())) {
                    addFlowBytes(in, f);
                }
            }
            changed.put(id, in);
        }
        return new Result(List.copyOf(changed.values()), matched, allowed);
    }

    private Incident create(String id, ObservationRecord o, CatalogMatch m) {
        Instant start = windowStart(o.time());
        Incident in = new Incident(id, o.source().address(), m.entry().hash(), start, start.plus(policy.window()));
        in.hashKind = m.entry().kind().wireName();
        in.firstSeen = o.time();
        in.lastSeen = o.time();
        in.role = o.role();
        return in;
    }

    private static void observe(Incident in, ObservationRecord o, CatalogMatch m) {
        in.title = m.entry().title();
        in.rightsHolder = m.entry().rightsHolder();
        in.listId = m.entry().listId();
        in.listSha256 = m.version() == null ? null : m.version().sha256();
        if (o.hash().kind() != HashKind.BTIH && HashKind.BTIH.wireName().equals(in.hashKind)) {
            in.hashKind = o.hash().kind().wireName();
        }
        if (o.time().isBefore(in.firstSeen)) {
            in.firstSeen = o.time();
        }
        if (o.time().isAfter(in.lastSeen)) {
            in.lastSeen = o.time();
        }
        in.observations++;
        in.confidence = Math.max(in.confidence, o.confidence());
        if (Severity.of(o.role()).rank() > Severity.of(in.role).rank()) {
            in.role = o.role();
        }
        in.roles.add(o.role().wireName());
        Incident.addBounded(in.seenIn, o.seenIn(), Incident.MAX_NAMES);
        Incident.addBounded(in.clients, o.client(), Incident.MAX_NAMES);
        Incident.addBounded(in.observers, o.observer(), Incident.MAX_NAMES);
        if (o.role() == ObservationRole.OFFERING) {
            boolean tracker = o.seenIn().endsWith("_tracker");
            Incident.addBounded(in.seederEvidence, tracker ? "tracker_seeding" : "pieces_sent_" + o.seenIn(), Incident.MAX_NAMES);
        }
        if (TRANSFER_SEEN_IN.contains(o.seenIn()) && o.flowId() != null && !in.flows.contains(o.flowId())) {
            in.flowCount++;
            Incident.addBounded(in.flows, o.flowId(), Incident.MAX_FLOWS);
        }
    }

    /**
     * Adds a flow segment's bytes from the subscriber's side, once per segment; false when it was
     * counted already or the subscriber is on neither side.
     */
    private static boolean addFlowBytes(Incident in, FlowRecord f) {
        String segment = f.flowId() + "#" + f.segment();
        if (in.countedSegments.contains(segment) || in.countedSegments.size() >= Incident.MAX_SEGMENTS) {
            return false;
        }
        Endpoint mine, theirs;
        if (f.source().address().equals(in.subscriber)) {
            mine = f.source();
            theirs = f.destination();
        } else if (f.destination().address().equals(in.subscriber)) {
            mine = f.destination();
            theirs = f.source();
        } else {
            return false;
        }
        in.countedSegments.add(segment);
        in.bytesUploaded += mine.bytes();
        in.bytesDownloaded += theirs.bytes();
        return true;
    }

    Instant windowStart(Instant t) {
        long w = policy.window().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), w) * w);
    }

    /** 32 hex digits of SHA-256(subscriber | hash | window start): the same incident gets the same id everywhere. */
    static String incidentId(String subscriber, String hash, Instant windowStart) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest((subscriber + "|" + hash + "|" + windowStart).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
