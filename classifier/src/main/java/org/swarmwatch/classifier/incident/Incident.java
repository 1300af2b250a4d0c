package org.swarmwatch.classifier.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.swarmwatch.events.ObservationRole;

/**
 * One incident: a subscriber pseudonym seen with one listed content hash in one time window, and
 * the evidence summary a compliance analyst reviews. Mutable, owned by one
 * {@link IncidentBuilder} thread; its JSON form ({@link #toJson}) is the Elasticsearch document
 * and the {@code incidents} topic's record, and {@link #fromJson} reads it back so that a
 * restarted classifier goes on adding to the same incident.
 *
 * <p>Sets of strings (where seen, clients, flows...) are bounded: an incident is evidence, not a
 * log; past {@link #MAX_FLOWS} flows the count goes on but the ids are not kept.
 */
public final class Incident {
    static final int MAX_FLOWS = 64, MAX_NAMES = 16, MAX_SEGMENTS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    final String id;
    final String subscriber;
    final String hash;
    String hashKind;
    final Instant windowStart, windowEnd;
    String title, rightsHolder, listId, listSha256;
    Instant firstSeen, lastSeen;
    long observations;
    double confidence;
    ObservationRole role; // the strongest seen
    final Set<String> roles = new TreeSet<>(), seenIn = new TreeSet<>(), clients = new TreeSet<>(), observers = new TreeSet<>(),
            flows = new TreeSet<>(), seederEvidence = new TreeSet<>(), countedSegments = new TreeSet<>();
    long flowCount, bytesUploaded, bytesDownloaded;
    /** producer id -> highest sequence applied (see {@link IncidentBuilder.Sourced}). */
    final java.util.Map<String, Long> applied = new java.util.TreeMap<>();

    Incident(String id, String subscriber, String hash, Instant windowStart, Instant windowEnd) {
        this.id = id;
        this.subscriber = subscriber;
        this.hash = hash;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    public String id() {
        return id;
    }

    public String subscriber() {
        return subscriber;
    }

    public String hash() {
        return hash;
    }

    public Instant firstSeen() {
        return firstSeen;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    public long observations() {
        return observations;
    }

    public ObservationRole role() {
        return role;
    }

    public Set<String> seenIn() {
        return Set.copyOf(seenIn);
    }

    public Set<String> seederEvidence() {
        return Set.copyOf(seederEvidence);
    }

    public long bytesUploaded() {
        return bytesUploaded;
    }

    public long bytesDownloaded() {
        return bytesDownloaded;
    }

    public String title() {
        return title;
    }

    /**
     * From the strongest role seen. Uploading counts as offering through the role itself: the
     * probe says {@code offering} for a peer-wire side that sent PIECE messages (and for a
     * tracker announce of a seeder); the flow bytes beside it are evidence, not a rule, since
     * every connection uploads some bytes (handshake, requests).
     */
    public Severity severity() {
        return Severity.of(role);
    }

    /**
     * Whether an observation is new to this incident, and if so remembers it: false for a producer
     * sequence at or below the highest applied. Bounded: past {@link #MAX_NAMES} producers (probe
     * restarts within one window) new producers are not remembered, and a replay of theirs counts again.
     */
    boolean firstTime(IncidentBuilder.Sourced s) {
        if (s.producer() == null) {
            return true;
        }
        Long high = applied.get(s.producer());
        if (high != null && s.sequence() <= high) {
            return false;
        }
        if (high != null || applied.size() < MAX_NAMES) {
            applied.put(s.producer(), s.sequence());
        }
        return true;
    }

    static void addBounded(Set<String> set, String value, int max) {
        if (value != null && (set.size() < max || set.contains(value))) {
            set.add(value);
        }
    }

    /** The document: ECS {@code @timestamp} and {@code event.*}, the rest under {@code swarmwatch.incident}. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("@timestamp", lastSeen.toString());
        ObjectNode event = root.putObject("event");
        event.put("kind", "alert");
        event.put("category", "network");
        event.put("start", firstSeen.toString());
        event.put("end", lastSeen.toString());
        event.put("severity", severity().rank());
        ObjectNode i = root.putObject("swarmwatch").putObject("incident");
        i.put("id", id);
        i.put("subscriber", subscriber);
        i.put("hash", hash);
        i.put("hash_kind", hashKind);
        i.putObject("window").put("start", windowStart.toString()).put("end", windowEnd.toString());
        i.put("title", title);
        i.put("rights_holder", rightsHolder);
        i.put("list_id", listId);
        i.put("list_sha256", listSha256);
        i.put("severity", severity().label());
        i.put("role", role.wireName());
        i.put("confidence", confidence);
        i.put("observations", observations);
        i.put("flow_count", flowCount);
        i.put("bytes_uploaded", bytesUploaded);
        i.put("bytes_downloaded", bytesDownloaded);
        i.put("seeder", !seederEvidence.isEmpty());
        array(i, "roles", roles);
        array(i, "seen_in", seenIn);
        array(i, "seeder_evidence", seederEvidence);
        array(i, "clients", clients);
        array(i, "observers", observers);
        array(i, "flows", flows);
        array(i, "counted_segments", countedSegments);
        ObjectNode a = i.putObject("applied");
        applied.forEach(a::put);
        return root;
    }

    private static void array(ObjectNode node, String name, Set<String> values) {
        ArrayNode a = node.putArray(name);
        values.forEach(a::add);
    }

    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(toJson());
        } catch (IOException e) {
            throw new IllegalStateException("an incident did not serialise", e);
        }
    }

    /** Reads a document written by {@link #toJson}; an {@link IllegalArgumentException} names what is missing. */
    public static Incident fromJson(JsonNode root) {
        JsonNode i = root.path("swarmwatch").path("incident");
        Incident in = new Incident(text(i, "id"), text(i, "subscriber"), text(i, "hash"), Instant.parse(text(i.path("window"), "start")),
                Instant.parse(text(i.path("window"), "end")));
        in.hashKind = text(i, "hash_kind");
        in.title = i.path("title").asText(null);
        in.rightsHolder = i.path("rights_holder").asText(null);
        in.listId = i.path("list_id").asText(null);
        in.listSha256 = i.path("list_sha256").asText(null);
        in.firstSeen = Instant.parse(text(root.path("event"), "start"));
        in.lastSeen = Instant.parse(text(root.path("event"), "end"));
        in.role = ObservationRole.fromWire(text(i, "role"));
        in.confidence = i.path("confidence").asDouble();
        in.observations = i.path("observations").asLong();
        in.flowCount = i.path("flow_count").asLong();
        in.bytesUploaded = i.path("bytes_uploaded").asLong();
        in.bytesDownloaded = i.path("bytes_downloaded").asLong();
        read(i, "roles", in.roles);
        read(i, "seen_in", in.seenIn);
        read(i, "seeder_evidence", in.seederEvidence);
        read(i, "clients", in.clients);
        read(i, "observers", in.observers);
        read(i, "flows", in.flows);
        read(i, "counted_segments", in.countedSegments);
        i.path("applied").fields().forEachRemaining(e -> in.applied.put(e.getKey(), e.getValue().asLong()));
        return in;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("incident document without " + field);
        }
        return v.asText();
    }

    private static void read(JsonNode node, String field, Set<String> into) {
        node.path(field).forEach(v -> into.add(v.asText()));
    }
}
