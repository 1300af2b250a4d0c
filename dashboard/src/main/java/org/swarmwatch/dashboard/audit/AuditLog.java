package org.swarmwatch.dashboard.audit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.mapping.FieldType;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Service;
import org.swarmwatch.dashboard.elastic.ElasticsearchProperties;

/**
 * The append-only audit log, an Elasticsearch index ({@code swarmwatch-audit}): one document per
 * event, written with {@code op_type=create} under an id that is never reused, so that a record
 * cannot be replaced; this class (and the dashboard) has no way to update or delete one. Give the
 * dashboard's Elasticsearch user only {@code create_doc} on the index (docs/dashboard.md,
 * "Audit"), and the cluster refuses an overwrite or a delete too.
 *
 * <p>A record is written with {@code refresh=wait_for}: when {@link #record} returns, the record
 * is searchable, before what it records (an export) is handed out.
 */
@Service
public class AuditLog {
    /** Kept in each export's record so that its signature can be served again; not shown in the audit list. */
    public static final String SIGNATURE_FILE = "swarmwatch.signature.file";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String MAPPING = """
            {"dynamic": false,
             "properties": {
              "@timestamp": {"type": "date"},
              "event": {"properties": {"id": {"type": "keyword"}, "action": {"type": "keyword"}, "kind": {"type": "keyword"}}},
              "user": {"properties": {"name": {"type": "keyword"}, "roles": {"type": "keyword"}}},
              "swarmwatch": {"properties": {
               "export": {"properties": {"id": {"type": "keyword"}, "format": {"type": "keyword"}, "filter": {"type": "flattened"},
                 "rows": {"type": "long"}, "bytes": {"type": "long"}, "sha256": {"type": "keyword"}, "file_name": {"type": "keyword"}}},
               "signature": {"properties": {"algorithm": {"type": "keyword"}, "key_fingerprint": {"type": "keyword"},
                 "file": {"type": "keyword", "index": false, "doc_values": false}}},
               "incident": {"properties": {"id": {"type": "keyword"}}},
               "list": {"properties": {"file_name": {"type": "keyword"}, "outcome": {"type": "keyword"}, "id": {"type": "keyword"},
                 "sha256": {"type": "keyword"}, "bytes": {"type": "long"}, "entries": {"type": "long"}, "signer": {"type": "keyword"},
                 "key_fingerprint": {"type": "keyword"}, "reason": {"type": "text"}}},
               "search": {"properties": {"filter": {"type": "flattened"}, "page": {"type": "long"}, "size": {"type": "long"},
                 "rows": {"type": "long"}, "total": {"type": "long"}}},
               "access": {"properties": {"route": {"type": "keyword"}, "view": {"type": "keyword"}, "token": {"type": "keyword"}}}}}}}
            """;

    private final ElasticsearchClient client;
    private final String index;
    private volatile boolean indexReady;

    public AuditLog(ElasticsearchClient client, ElasticsearchProperties indices) {
        this.client = client;
        this.index = indices.audit();
    }

    /**
     * One audit record.
     *
     * @param id never reused: a random 128-bit id in hex
     * @param action what happened, dotted ({@code incidents.export})
     * @param swarmwatch what the action is about, under {@code swarmwatch.*}
     */
    public record Event(String id, Instant timestamp, String action, String user, List<String> roles, Map<String, Object> swarmwatch) {

        /** A record of {@code action} by {@code who}, now, under a new random id. */
        public static Event now(String action, Authentication who, Map<String, Object> swarmwatch) {
            byte[] id = new byte[16];
            RANDOM.nextBytes(id);
            return new Event(HexFormat.of().formatHex(id), Instant.now(), action, who.getName(), AuditLog.roles(who), swarmwatch);
        }
    }

    /** The person's roles without Spring's {@code ROLE_} prefix, sorted. */
    public static List<String> roles(Authentication who) {
        return who.getAuthorities().stream().map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_"))
                .map(a -> a.substring(5)).sorted().toList();
    }

    /**
     * Writes the record and waits until it is searchable; it cannot replace another (a reused id
     * fails with 409 from Elasticsearch).
     */
    public void record(Event e) throws IOException {
        write(e, Refresh.WaitFor);
    }

    /**
     * Writes the record without waiting for the index's next refresh (up to a second): durable
     * when this returns (Elasticsearch has it in its translog), searchable within the refresh
     * interval. For records made on every read of evidence, where a wait would slow each page.
     */
    public void recordNow(Event e) throws IOException {
        write(e, Refresh.False);
    }

    private void write(Event e, Refresh refresh) throws IOException {
        ensureIndex();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@timestamp", e.timestamp().toString());
        doc.put("event", Map.of("id", e.id(), "action", e.action(), "kind", "audit"));
        doc.put("user", Map.of("name", e.user(), "roles", e.roles()));
        doc.put("swarmwatch", e.swarmwatch());
        client.create(c -> c.index(index).id(e.id()).document(doc).refresh(refresh));
    }

    /** One record's document, or empty. */
    public Optional<Map<String, Object>> find(String id) throws IOException {
        try {
            GetResponse<ObjectNode> r = client.get(g -> g.index(index).id(id), ObjectNode.class);
            return r.found() ? Optional.of(JSON.convertValue(r.source(), MAP)) : Optional.empty();
        } catch (ElasticsearchException e) {
            if (e.status() == 404) { // no audit index yet
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Records newest first, one page: {@code total}, {@code page}, {@code size}, {@code events}.
     *
     * @param action only the records of this {@code event.action}; null for all
     */
    public Map<String, Object> page(int page, int size, String action) throws IOException {
        SearchResponse<ObjectNode> r = client.search(s -> s.index(index).ignoreUnavailable(true).allowNoIndices(true)
                .query(q -> action == null ? q.matchAll(m -> m) : q.term(t -> t.field("event.action").value(action)))
                .sort(o -> o.field(x -> x.field("@timestamp").order(SortOrder.Desc).unmappedType(
                        FieldType.Date)))
                .sort(o -> o.field(x -> x.field("event.id").order(SortOrder.Asc).unmappedType(
                        FieldType.Keyword)))
                .from(page * size).size(size).trackTotalHits(t -> t.enabled(true))
                .source(src -> src.filter(x -> x.excludes(SIGNATURE_FILE))), ObjectNode.class);
        List<Map<String, Object>> events = new ArrayList<>();
        for (Hit<ObjectNode> h : r.hits().hits()) {
            Map<String, Object> doc = JSON.convertValue(h.source(), MAP);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", h.id());
            e.put("timestamp", doc.get("@timestamp"));
            e.put("action", child(doc, "event").get("action"));
            e.put("user", child(doc, "user").get("name"));
            e.put("roles", child(doc, "user").get("roles"));
            e.putAll(child(doc, "swarmwatch"));
            events.add(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", r.hits().total() == null ? 0 : r.hits().total().value());
        out.put("page", page);
        out.put("size", size);
        out.put("events", events);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> doc, String name) {
        return doc.get(name) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Creates the index with its mapping on first use; nothing is asked of the cluster at start. */
    private void ensureIndex() throws IOException {
        if (indexReady) {
            return;
        }
        if (!client.indices().exists(x -> x.index(index)).value()) {
            try {
                client.indices().create(c -> c.index(index).settings(s -> s.numberOfShards("1"))
                        .mappings(m -> m.withJson(new StringReader(MAPPING))));
            } catch (ElasticsearchException e) {
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
            }
        }
        indexReady = true;
    }
}
