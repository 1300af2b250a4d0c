package org.swarmwatch.dashboard.api;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.indices.GetFieldMappingResponse;
import co.elastic.clients.util.NamedValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.swarmwatch.dashboard.elastic.ElasticsearchProperties;

/**
 * The operator's queries: aggregates of stats and flow records, never incidents or
 * observations. Subscribers appear only as pseudonyms ({@code sub_...}); an address in clear (a
 * lab-mode record, or an endpoint outside the subscriber networks) is never listed.
 */
@Service
public class TrafficQueries {
    /** Every protocol a dissector recognises is a P2P family; this one is everything else (events.md). */
    static final String NOT_P2P = "unknown";
    private static final Pattern PROTOCOL_FIELD = Pattern.compile("swarmwatch\\.stats\\.protocols\\.([a-z0-9_]{1,64})\\.bytes");
    private static final String PSEUDONYM = "sub_[0-9a-f]+";
    /** Probes and links listed for a page's pickers at most. */
    private static final int PICKER_SIZE = 500;

    /**
     * How long the protocol names read from the mappings are reused: a mapping request per
     * traffic call was a second round trip to the cluster on every chart refresh
     * (docs/benchmarks.md, "Dashboard"); a protocol seen for the first time shows within this.
     */
    private static final long PROTOCOLS_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private final ElasticsearchClient client;
    private final ElasticsearchProperties indices;
    private volatile List<String> protocolsSeen;
    private volatile long protocolsReadAt;

    public TrafficQueries(ElasticsearchClient client, ElasticsearchProperties indices) {
        this.client = client;
        this.indices = indices;
    }

    /**
     * Bytes and flows by protocol per interval, and the P2P share of the bytes, from the stats
     * records; of one probe ({@code observer.name}) and one link (the capture interface or file,
     * {@code swarmwatch.stats.source}) when they are given (null: all). Also the probes and links
     * that wrote stats in the range, whatever the selection, for a page's pickers.
     */
    public Map<String, Object> traffic(Parameters.TimeRange range, Duration interval, String probe, String link) throws IOException {
        List<String> protocols = protocols();
        Map<String, Aggregation> sums = new LinkedHashMap<>();
        for (String p : protocols) {
            sums.put("bytes_" + p, Aggregation.of(a -> a.sum(s -> s.field("swarmwatch.stats.protocols." + p + ".bytes"))));
            sums.put("flows_" + p, Aggregation.of(a -> a.sum(s -> s.field("swarmwatch.stats.protocols." + p + ".flows"))));
        }
        List<Query> selection = new ArrayList<>();
        if (probe != null) {
            selection.add(Query.of(q -> q.term(t -> t.field("observer.name").value(probe))));
        }
        if (link != null) {
            selection.add(Query.of(q -> q.term(t -> t.field("swarmwatch.stats.source").value(link))));
        }
        SearchResponse<Void> r = client.search(s -> s.index(indices.stats()).ignoreUnavailable(true).allowNoIndices(true).size(0)
                .query(timeRange(range))
                .aggregations("probes", a -> a.terms(t -> t.field("observer.name").size(PICKER_SIZE)))
                .aggregations("links", a -> a.terms(t -> t.field("swarmwatch.stats.source").size(PICKER_SIZE)))
                .aggregations("selected", a -> a.filter(f -> f.bool(b -> b.filter(selection)))
                        .aggregations("over_time", o -> o.dateHistogram(h -> h.field("@timestamp").fixedInterval(t -> t.time(interval.toSeconds() + "s"))
                                .minDocCount(0)
                                .extendedBounds(b -> b.min(FieldDateMath.of(m -> m.value((double) range.from().toEpochMilli())))
                                        .max(FieldDateMath.of(m -> m.value((double) (range.to().toEpochMilli() - 1))))))
                                .aggregations(sums))),
                Void.class);
        List<Map<String, Object>> buckets = new ArrayList<>();
        Aggregate selected = r.aggregations().get("selected");
        Aggregate overTime = selected == null ? null : selected.filter().aggregations().get("over_time");
        if (overTime != null) {
            for (DateHistogramBucket b : overTime.dateHistogram().buckets().array()) {
                Map<String, Object> byProtocol = new LinkedHashMap<>();
                long total = 0, p2p = 0;
                for (String p : protocols) {
                    long bytes = (long) b.aggregations().get("bytes_" + p).sum().value();
                    long flows = (long) b.aggregations().get("flows_" + p).sum().value();
                    byProtocol.put(p, Map.of("bytes", bytes, "flows", flows));
                    total += bytes;
                    p2p += p.equals(NOT_P2P) ? 0 : bytes;
                }
                Map<String, Object> bucket = new LinkedHashMap<>();
                bucket.put("start", Instant.ofEpochMilli(b.key()).toString());
                bucket.put("bytes", total);
                bucket.put("p2p_bytes", p2p);
                bucket.put("p2p_share", total == 0 ? 0.0 : (double) p2p / total);
                bucket.put("protocols", byProtocol);
                buckets.add(bucket);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", range.from().toString());
        out.put("to", range.to().toString());
        out.put("interval", interval.toSeconds() + "s");
        out.put("probe", probe);
        out.put("link", link);
        out.put("probes", keys(r.aggregations().get("probes")));
        out.put("links", keys(r.aggregations().get("links")));
        out.put("protocols", protocols);
        out.put("buckets", buckets);
        return out;
    }

    private static List<String> keys(Aggregate terms) {
        return terms == null ? List.of() : terms.sterms().buckets().array().stream().map(b -> b.key().stringValue()).sorted().toList();
    }

    /** The protocols the stats indices have seen, from their mappings (the fields are dynamic). */
    private List<String> protocols() throws IOException {
        List<String> seen = protocolsSeen;
        if (seen != null && !seen.isEmpty() && System.nanoTime() - protocolsReadAt < PROTOCOLS_TTL_NANOS) {
            return seen;
        }
        seen = readProtocols();
        protocolsSeen = seen;
        protocolsReadAt = System.nanoTime();
        return seen;
    }

    private List<String> readProtocols() throws IOException {
        GetFieldMappingResponse m = client.indices().getFieldMapping(g -> g.index(indices.stats()).fields("swarmwatch.stats.protocols.*.bytes")
                .ignoreUnavailable(true).allowNoIndices(true));
        TreeSet<String> names = new TreeSet<>();
        m.result().values().forEach(index -> index.mappings().keySet().forEach(field -> {
            Matcher f = PROTOCOL_FIELD.matcher(field);
            if (f.matches()) {
                names.add(f.group(1));
            }
        }));
        return List.copyOf(names);
    }

    /**
     * Subscribers by the P2P bytes of their flows (both directions), from the flow records of
     * recognised protocols. Terms aggregations are approximate over many indices; each side is
     * asked for four times {@code size} candidates.
     */
    public Map<String, Object> topSubscribers(Parameters.TimeRange range, int size) throws IOException {
        int candidates = Math.min(size * 4, 1000);
        SearchResponse<Void> r = client.search(s -> s.index(indices.flows()).ignoreUnavailable(true).allowNoIndices(true).size(0)
                .query(q -> q.bool(b -> b.filter(timeRange(range)).mustNot(n -> n.term(t -> t.field("network.protocol").value(NOT_P2P)))))
                .aggregations("as_source", side("source", "destination", candidates))
                .aggregations("as_destination", side("destination", "source", candidates)),
                Void.class);
        Map<String, long[]> totals = new HashMap<>();
        for (String side : List.of("as_source", "as_destination")) {
            Aggregate a = r.aggregations().get(side);
            if (a == null) {
                continue;
            }
            for (StringTermsBucket b : a.filter().aggregations().get("subscribers").sterms().buckets().array()) {
                long[] t = totals.computeIfAbsent(b.key().stringValue(), k -> new long[3]);
                t[0] += (long) b.aggregations().get("sent").sum().value();
                t[1] += (long) b.aggregations().get("received").sum().value();
                t[2] += b.docCount();
            }
        }
        List<Map<String, Object>> top = totals.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]))
                .limit(size)
                .map(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("subscriber", e.getKey());
                    m.put("bytes", e.getValue()[0] + e.getValue()[1]);
                    m.put("bytes_sent", e.getValue()[0]);
                    m.put("bytes_received", e.getValue()[1]);
                    m.put("flows", e.getValue()[2]);
                    return m;
                }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", range.from().toString());
        out.put("to", range.to().toString());
        out.put("subscribers", top);
        return out;
    }

    /** The subscribers on one side of the flows: that side is in the subscriber networks and pseudonymised. */
    private static Aggregation side(String self, String peer, int candidates) {
        return Aggregation.of(a -> a.filter(f -> f.bool(b -> b
                        .filter(q -> q.terms(t -> t.field("swarmwatch.subscriber").terms(v -> v.value(List.of(FieldValue.of(self), FieldValue.of("both"))))))
                        .filter(q -> q.term(t -> t.field("swarmwatch.addresses").value("pseudonymised")))))
                .aggregations("subscribers", s -> s.terms(t -> t.field(self + ".address").size(candidates).include(i -> i.regexp(PSEUDONYM))
                                .order(NamedValue.of("total", SortOrder.Desc)))
                        .aggregations("sent", x -> x.sum(m -> m.field(self + ".bytes")))
                        .aggregations("received", x -> x.sum(m -> m.field(peer + ".bytes")))
                        .aggregations("total", x -> x.sum(m -> m.field("network.bytes")))));
    }

    /** Each probe's latest stats record: packets, capture drops, export counters. */
    public Map<String, Object> probes() throws IOException {
        SearchResponse<Void> r = client.search(s -> s.index(indices.stats()).ignoreUnavailable(true).allowNoIndices(true).size(0)
                .aggregations("probes", a -> a.terms(t -> t.field("observer.name").size(1000))
                        .aggregations("latest", l -> l.topHits(h -> h.size(1).sort(o -> o.field(f -> f.field("@timestamp").order(SortOrder.Desc)))
                                .source(src -> src.filter(f -> f.includes("@timestamp", "event", "network", "observer", "swarmwatch.stats.source",
                                        "swarmwatch.stats.capture", "swarmwatch.stats.flows", "swarmwatch.stats.decode.export_*")))))),
                Void.class);
        List<Map<String, Object>> probes = new ArrayList<>();
        Aggregate a = r.aggregations().get("probes");
        if (a != null) {
            for (StringTermsBucket b : a.sterms().buckets().array()) {
                List<Hit<co.elastic.clients.json.JsonData>> hits = b.aggregations().get("latest").topHits().hits().hits();
                if (hits.isEmpty() || hits.get(0).source() == null) {
                    continue;
                }
                ObjectNode doc = hits.get(0).source().to(ObjectNode.class);
                JsonNode stats = doc.path("swarmwatch").path("stats");
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("observer", b.key().stringValue());
                p.put("last_seen", doc.path("@timestamp").asText(null));
                p.put("source", stats.path("source").asText(null));
                p.put("interval_start", doc.path("event").path("start").asText(null));
                p.put("packets", doc.path("network").path("packets").asLong());
                p.put("bytes", doc.path("network").path("bytes").asLong());
                p.put("capture_dropped", stats.path("capture").path("dropped").asLong());
                p.put("capture_interface_dropped", stats.path("capture").path("interface_dropped").asLong());
                p.put("flows_active", stats.path("flows").path("active").asLong());
                p.put("flows_evicted", stats.path("flows").path("evicted").asLong());
                JsonNode decode = stats.path("decode");
                p.put("export_produced", decode.path("export_produced").asLong());
                p.put("export_spool_bytes", decode.path("export_spool_bytes").asLong());
                p.put("export_dropped", decode.path("export_dropped").asLong());
                p.put("export_unserialisable", decode.path("export_unserialisable").asLong());
                probes.add(p);
            }
        }
        return Map.of("probes", probes);
    }

    static Query timeRange(Parameters.TimeRange range) {
        return Query.of(q -> q.range(r -> r.date(d -> d.field("@timestamp").gte(range.from().toString()).lt(range.to().toString()))));
    }
}
