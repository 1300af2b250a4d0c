package org.swarmwatch.classifier.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportUtils;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.classifier.incident.Incident;
import org.swarmwatch.classifier.incident.IncidentStore;

/**
 * The classifier's Elasticsearch: index templates, bulk writes that outlast an outage, reading
 * incidents back, and retention by deleting whole daily indices (no ILM: the embedded engine
 * lacks it, and deleting an index is cheap and final).
 *
 * <p>Bulk writes retry what the cluster could not take now (429, 5xx, connection failures) with
 * exponential backoff, for as long as the caller runs; a document the cluster refuses for what it
 * is (a mapping conflict, 400) comes back as a {@link Refused} for the dead-letter topic. Ids are
 * the caller's and deterministic, so a retried or replayed document overwrites itself.
 */
public final class Elastic implements IncidentStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Elastic.class);
    private static final String[] TEMPLATES = {"flows", "observations", "stats", "incidents", "lists"};

    /** A document to write. */
    public record Doc(String index, String id, byte[] json) {
    }

    /** A document the cluster refused, and why. */
    public record Refused(Doc doc, int status, String reason) {
    }

    private final ElasticsearchSettings settings;
    private final IndexNames names;
    private final RestClient rest;
    private final ElasticsearchClient client;
    private long lastOutageLog;
    /** When the current run of failed writes (or reads of incidents) began; {@link #NOT_FAILING} after a write went through. */
    private volatile long failingSinceNanos = NOT_FAILING;
    private volatile String lastFailure;
    private static final long NOT_FAILING = Long.MIN_VALUE;

    public Elastic(ElasticsearchSettings settings) throws IOException {
        this.settings = settings;
        this.names = new IndexNames(settings.indexPrefix());
        RestClientBuilder builder = RestClient.builder(HttpHost.create(settings.url().toString()));
        if (settings.apiKey() != null) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + settings.apiKey())});
        }
        javax.net.ssl.SSLContext tls = settings.caCertificate() == null ? null
                : TransportUtils.sslContextFromHttpCaCrt(settings.caCertificate().toFile());
        builder.setHttpClientConfigCallback(http -> {
            if (settings.username() != null) {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(settings.username(), settings.password()));
                http.setDefaultCredentialsProvider(credentials);
            }
            if (tls != null) {
                http.setSSLContext(tls);
            }
            return http;
        });
        this.rest = builder.build();
        this.client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    }

    public IndexNames names() {
        return names;
    }

    public ElasticsearchClient client() {
        return client;
    }

    /**
     * Puts the index templates (idempotent: a template of the same name is replaced).
     *
     * @throws IOException naming the cluster when it cannot be reached or refuses
     */
    public void ensureTemplates() throws IOException {
        for (String t : TEMPLATES) {
            String json;
            try (InputStream in = Elastic.class.getResourceAsStream("template-" + t + ".json")) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .replace("{prefix}", settings.indexPrefix())
                        .replace("{replicas}", Integer.toString(settings.replicas()));
            }
            String body = json;
            try {
                client.indices().putIndexTemplate(b -> b.name(settings.indexPrefix() + t).withJson(new StringReader(body)));
            } catch (ElasticsearchException e) {
                throw new IOException(settings + " refused the index template " + settings.indexPrefix() + t + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new IOException(settings + " cannot be reached: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes the documents, retrying what can succeed later until it does or {@code running}
     * turns false (then {@link InterruptedException}); returns the documents refused for good.
     */
    public List<Refused> write(List<Doc> docs, BooleanSupplier running) throws InterruptedException {
        List<Refused> refused = new ArrayList<>();
        List<Doc> pending = docs;
        long backoff = 200;
        while (!pending.isEmpty()) {
            if (!running.getAsBoolean()) {
                throw new InterruptedException("stopped with " + pending.size() + " documents unwritten");
            }
            List<Doc> retry = new ArrayList<>();
            try {
                List<BulkOperation> ops = new ArrayList<>(pending.size());
                for (Doc d : pending) {
                    ops.add(BulkOperation.of(b -> b.index(i -> i.index(d.index()).id(d.id())
                            .document(BinaryData.of(d.json(), ContentType.APPLICATION_JSON)))));
                }
                BulkResponse response = client.bulk(b -> b.operations(ops));
                List<BulkResponseItem> items = response.items();
                for (int i = 0; i < items.size(); i++) {
                    BulkResponseItem item = items.get(i);
                    int status = item.status();
                    if (status >= 200 && status < 300) {
                        continue;
                    }
                    if (status == 429 || status >= 500) {
                        retry.add(pending.get(i));
                    } else {
                        String reason = item.error() == null ? "status " + status : item.error().type() + ": " + item.error().reason();
                        refused.add(new Refused(pending.get(i), status, reason));
                    }
                }
                if (!retry.isEmpty()) {
                    outage(retry.size() + " of " + pending.size() + " documents not taken now (busy or failing shards)");
                } else {
                    failingSinceNanos = NOT_FAILING;
                }
            } catch (IOException | ElasticsearchException e) {
                outage(e.getMessage());
                retry = pending;
            }
            if (!retry.isEmpty()) {
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
            pending = retry;
        }
        return refused;
    }

    private void outage(String what) {
        failing(what);
        long now = System.currentTimeMillis();
        if (now - lastOutageLog > 30_000) {
            lastOutageLog = now;
            LOG.warn("{}: {}; retrying (offsets are not committed meanwhile)", settings, what);
        }
    }

    @Override
    public Map<String, Incident> load(Collection<String> ids) throws IOException {
        Map<String, Incident> found = new LinkedHashMap<>();
        try {
            MgetResponse<ObjectNode> got = client.mget(m -> m.index(names.incidents()).ids(List.copyOf(ids)), ObjectNode.class);
            for (MultiGetResponseItem<ObjectNode> item : got.docs()) {
                if (item.isResult() && item.result().found() && item.result().source() != null) {
                    Incident in = Incident.fromJson(item.result().source());
                    found.put(in.id(), in);
                }
            }
        } catch (ElasticsearchException e) {
            if (e.status() != 404) {
                failing("reading incidents back: " + e.getMessage());
                throw new IOException(settings + ": reading incidents back: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            failing("reading incidents back: " + e.getMessage());
            throw e;
        }
        return found;
    }

    private void failing(String what) {
        lastFailure = what;
        if (failingSinceNanos == NOT_FAILING) {
            failingSinceNanos = System.nanoTime();
        }
    }

    /**
     * How long writes have been failing (documents the cluster could not take now, or incidents
     * it could not give back), or zero when the last write went through. The health endpoint's
     * readiness turns down when this passes its grace. Any thread.
     */
    public Duration failingFor() {
        long since = failingSinceNanos;
        return since == NOT_FAILING ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** What the last failed write or read said (the cluster's or the connection's message), or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Deletes the daily indices whose day is older than the retention; returns their names. */
    public List<String> deleteExpired(Clock clock) throws IOException {
        LocalDate oldestKept = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(settings.retentionDays());
        List<String> expired = new ArrayList<>();
        for (String family : List.of(IndexNames.FLOWS, IndexNames.OBSERVATIONS, IndexNames.STATS)) {
            for (String index : client.indices().get(g -> g.index(names.pattern(family)).allowNoIndices(true)).result().keySet()) {
                names.dayOf(family, index).filter(day -> day.isBefore(oldestKept)).ifPresent(day -> expired.add(index));
            }
        }
        if (!expired.isEmpty()) {
            client.indices().delete(d -> d.index(expired));
            LOG.info("retention ({} days): deleted {}", settings.retentionDays(), expired);
        }
        return expired;
    }

    /** Makes recent writes visible to searches now (tests and the end of a replay). */
    public void refresh() throws IOException {
        client.indices().refresh(r -> r.index(names.prefix() + "*").allowNoIndices(true));
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}
