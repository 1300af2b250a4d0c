package org.swarmwatch.dashboard.api;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.swarmwatch.dashboard.elastic.ElasticsearchProperties;

/** The compliance queries: incidents (classifier.md, "Incidents") and list versions. */
@Service
public class IncidentQueries {
    /** Kept by the classifier for its own bookkeeping (de-duplication), not evidence. */
    private static final String[] INTERNAL = {"swarmwatch.incident.applied", "swarmwatch.incident.counted_segments"};
    /** How long a scan's point in time lives between two of its pages. */
    private static final String PIT_KEEP_ALIVE = "2m";

    private final ElasticsearchClient client;
    private final ElasticsearchProperties indices;

    public IncidentQueries(ElasticsearchClient client, ElasticsearchProperties indices) {
        this.client = client;
        this.indices = indices;
    }

    /** The filters of an incident search; null means "any". */
    public record Filter(Instant from, Instant to, String rightsHolder, String title, String hash, String subscriber, String severity,
            Double minConfidence) {

        /** The filters given (parameter name to value, in the API's form), for audit records and export headers. */
        public Map<String, String> parameters() {
            Map<String, String> given = new LinkedHashMap<>();
            put(given, "from", from == null ? null : from.toString());
            put(given, "to", to == null ? null : to.toString());
            put(given, "rightsHolder", rightsHolder);
            put(given, "title", title);
            put(given, "hash", hash);
            put(given, "subscriber", subscriber);
            put(given, "severity", severity);
            put(given, "minConfidence", minConfidence == null ? null : minConfidence.toString());
            return given;
        }

        private static void put(Map<String, String> m, String name, String value) {
            if (value != null) {
                m.put(name, value);
            }
        }
    }

    /** The filter as an Elasticsearch query. */
    private static Query query(Filter f) {
        List<Query> filters = new ArrayList<>();
        if (f.from() != null || f.to() != null) {
            filters.add(Query.of(q -> q.range(r -> r.date(d -> {
                d.field("@timestamp");
                if (f.from() != null) {
                    d.gte(f.from().toString());
                }
                if (f.to() != null) {
                    d.lt(f.to().toString());
                }
                return d;
            }))));
        }
        term(filters, "swarmwatch.incident.rights_holder", f.rightsHolder());
        term(filters, "swarmwatch.incident.hash", f.hash());
        term(filters, "swarmwatch.incident.subscriber", f.subscriber());
        term(filters, "swarmwatch.incident.severity", f.severity());
        if (f.title() != null) {
            filters.add(Query.of(q -> q.match(m -> m.field("swarmwatch.incident.title").query(f.title()).operator(Operator.And))));
        }
        if (f.minConfidence() != null) {
            filters.add(Query.of(q -> q.range(r -> r.number(n -> n.field("swarmwatch.incident.confidence").gte(f.minConfidence())))));
        }
        return Query.of(q -> q.bool(b -> b.filter(filters)));
    }

    /** Incidents matching the filter, last seen first, one page. */
    public Map<String, Object> search(Filter f, int page, int size) throws IOException {
        Query query = query(f);
        SearchResponse<ObjectNode> r = client.search(s -> s.index(indices.incidents()).ignoreUnavailable(true).allowNoIndices(true)
                .query(query)
                .sort(o -> o.field(x -> x.field("@timestamp").order(SortOrder.Desc)))
                .sort(o -> o.field(x -> x.field("swarmwatch.incident.id").order(SortOrder.Asc)))
                .from(page * size).size(size).trackTotalHits(t -> t.enabled(true))
                .source(src -> src.filter(x -> x.excludes(List.of(INTERNAL)))),
                ObjectNode.class);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", r.hits().total() == null ? 0 : r.hits().total().value());
        out.put("page", page);
        out.put("size", size);
        out.put("incidents", r.hits().hits().stream().map(Hit::source).map(IncidentQueries::incident).toList());
        return out;
    }

    /** Receives the incidents of a {@link #scan}, one at a time. */
    public interface Scan {
        /** Called once, before any incident, with how many will follow. */
        void total(long total) throws IOException;

        void incident(Map<String, Object> incident) throws IOException;
    }

    /** Thrown by {@link #scan} when the filter matches more incidents than it may hand out; nothing was handed out. */
    public static final class TooManyIncidents extends Exception {
        private final long total;

        TooManyIncidents(long total) {
            super(null, null, false, false);
            this.total = total;
        }

        public long total() {
            return total;
        }
    }

    /**
     * Every incident matching the filter, last seen first (as {@link #search}), handed to
     * {@code out} a page at a time from one point in time, so that the set is consistent and
     * memory stays at one page whatever the count.
     *
     * @throws TooManyIncidents when more than {@code max} match, before any is handed out
     */
    public void scan(Filter f, long max, int pageSize, Scan out) throws IOException, TooManyIncidents {
        Query query = query(f);
        String pit;
        try {
            pit = client.openPointInTime(o -> o.index(indices.incidents()).keepAlive(k -> k.time(PIT_KEEP_ALIVE))).id();
        } catch (ElasticsearchException e) {
            if (e.status() == 404) { // no incident index yet: nothing to export
                out.total(0);
                return;
            }
            throw e;
        }
        try {
            List<FieldValue> after = null;
            boolean first = true;
            while (true) {
                List<FieldValue> from = after;
                String id = pit;
                SearchResponse<ObjectNode> r = client.search(s -> {
                    s.pit(p -> p.id(id).keepAlive(k -> k.time(PIT_KEEP_ALIVE))).query(query)
                            .sort(o -> o.field(x -> x.field("@timestamp").order(SortOrder.Desc)))
                            .sort(o -> o.field(x -> x.field("swarmwatch.incident.id").order(SortOrder.Asc)))
                            .size(pageSize).trackTotalHits(t -> t.enabled(from == null))
                            .source(src -> src.filter(x -> x.excludes(List.of(INTERNAL))));
                    if (from != null) {
                        s.searchAfter(from);
                    }
                    return s;
                }, ObjectNode.class);
                if (r.pitId() != null) {
                    pit = r.pitId();
                }
                if (first) {
                    long total = r.hits().total() == null ? 0 : r.hits().total().value();
                    if (total > max) {
                        throw new TooManyIncidents(total);
                    }
                    out.total(total);
                    first = false;
                }
                for (Hit<ObjectNode> h : r.hits().hits()) {
                    out.incident(incident(h.source()));
                }
                if (r.hits().hits().size() < pageSize) {
                    return;
                }
                after = r.hits().hits().get(r.hits().hits().size() - 1).sort();
            }
        } finally {
            String id = pit;
            try {
                client.closePointInTime(c -> c.id(id));
            } catch (IOException | ElasticsearchException e) {
                // it expires by itself after PIT_KEEP_ALIVE
            }
        }
    }

    /** One incident by its id, with all its evidence fields. */
    public Optional<Map<String, Object>> get(String id) throws IOException {
        SearchResponse<ObjectNode> r = client.search(s -> s.index(indices.incidents()).ignoreUnavailable(true).allowNoIndices(true)
                .query(q -> q.term(t -> t.field("swarmwatch.incident.id").value(id))).size(1)
                .source(src -> src.filter(x -> x.excludes(List.of(INTERNAL)))),
                ObjectNode.class);
        return r.hits().hits().stream().findFirst().map(Hit::source).map(IncidentQueries::incident);
    }

    /**
     * The evidence timeline of one incident: the observations it was built from, oldest first
     * (events.md, "type: observation"): the subscriber's observations of the incident's hash (a
     * 40-digit hash also as the start of a 64-digit one) between first and last seen. At most
     * {@code size}; {@code total} says how many there are.
     */
    public Optional<Map<String, Object>> evidence(String id, int size) throws IOException {
        Optional<Map<String, Object>> incident = get(id);
        if (incident.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> in = incident.get();
        String hash = String.valueOf(in.get("hash"));
        List<FieldValue> hashes = new ArrayList<>(List.of(FieldValue.of(hash)));
        if (hash.length() == 64) {
            hashes.add(FieldValue.of(hash.substring(0, 40)));
        }
        String first = String.valueOf(in.get("first_seen"));
        String last = String.valueOf(in.get("last_seen"));
        SearchResponse<ObjectNode> r = client.search(s -> s.index(indices.observations()).ignoreUnavailable(true).allowNoIndices(true)
                .query(q -> q.bool(b -> b
                        .filter(f -> f.term(t -> t.field("source.address").value(String.valueOf(in.get("subscriber")))))
                        .filter(f -> f.terms(t -> t.field("hash").terms(v -> v.value(hashes))))
                        .filter(f -> f.range(g -> g.date(d -> d.field("@timestamp").gte(first).lte(last))))))
                .sort(o -> o.field(x -> x.field("@timestamp").order(SortOrder.Asc)))
                .size(size).trackTotalHits(t -> t.enabled(true)),
                ObjectNode.class);
        List<Map<String, Object>> observations = new ArrayList<>();
        for (Hit<ObjectNode> h : r.hits().hits()) {
            JsonNode doc = h.source();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("timestamp", doc.path("@timestamp").asText(null));
            o.put("observer", doc.path("observer").path("name").asText(null));
            o.put("protocol", doc.path("network").path("protocol").asText(null));
            o.put("transport", doc.path("network").path("transport").asText(null));
            o.put("seen_in", doc.path("seen_in").asText(null));
            o.put("role", doc.path("role").asText(null));
            o.put("confidence", doc.path("confidence").isNumber() ? doc.path("confidence").asDouble() : null);
            o.put("client", doc.path("client").asText(null));
            o.put("hash", doc.path("hash").asText(null));
            o.put("hash_kind", doc.path("hash_kind").asText(null));
            // the subscriber as its pseudonym; the peer as the record has it (outside the subscriber networks: in clear)
            o.put("subscriber", doc.path("source").path("address").asText(null));
            o.put("subscriber_port", doc.path("source").path("port").asLong());
            o.put("peer", doc.path("destination").path("address").asText(null));
            o.put("peer_port", doc.path("destination").path("port").asLong());
            o.put("flow", doc.path("swarmwatch").path("flow").path("id").asText(null));
            observations.add(o);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("incident", id);
        out.put("total", r.hits().total() == null ? 0 : r.hits().total().value());
        out.put("observations", observations);
        return Optional.of(out);
    }

    /** List versions loaded, files rejected and lists removed, newest first. */
    public Map<String, Object> lists(int size) throws IOException {
        SearchResponse<ObjectNode> r = client.search(s -> s.index(indices.lists()).ignoreUnavailable(true).allowNoIndices(true)
                .sort(o -> o.field(x -> x.field("@timestamp").order(SortOrder.Desc))).size(size).trackTotalHits(t -> t.enabled(true)),
                ObjectNode.class);
        List<Map<String, Object>> events = new ArrayList<>();
        for (Hit<ObjectNode> h : r.hits().hits()) {
            JsonNode doc = h.source();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("timestamp", doc.path("@timestamp").asText(null));
            e.put("action", doc.path("event").path("action").asText(null));
            e.put("reason", doc.path("event").path("reason").asText(null));
            e.put("list", Documents.map(doc.path("swarmwatch").path("list")));
            events.add(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", r.hits().total() == null ? 0 : r.hits().total().value());
        out.put("events", events);
        return out;
    }

    /** The incident's own fields, with first and last seen beside them. */
    private static Map<String, Object> incident(ObjectNode doc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_seen", doc.path("@timestamp").asText(null));
        m.put("first_seen", doc.path("event").path("start").asText(null));
        m.putAll(Documents.map(doc.path("swarmwatch").path("incident")));
        return m;
    }

    private static void term(List<Query> filters, String field, String value) {
        if (value != null) {
            filters.add(Query.of(q -> q.term(t -> t.field(field).value(value))));
        }
    }
}
