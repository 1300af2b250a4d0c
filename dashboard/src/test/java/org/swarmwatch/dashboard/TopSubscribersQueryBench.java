package org.swarmwatch.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.http.HttpHost;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.index.ElasticsearchSettings;
import org.swarmwatch.embedded.EmbeddedElasticsearch;

/**
 * Where the time of the top-subscribers aggregation goes (docs/benchmarks.md, "Dashboard"): one
 * day of flow records (as {@link DashboardBench} makes them), then variants of the query
 * {@code TrafficQueries.topSubscribers} sends, each timed by Elasticsearch's own {@code took}
 * (the request cache off), in alternating rounds so that a change of load on the machine hits all
 * of them alike.
 *
 * <p>usage: {@code TopSubscribersQueryBench [flows] [runs]} (default 150000 30)
 */
public final class TopSubscribersQueryBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopSubscribersQueryBench() {
    }

    public static void main(String[] args) throws Exception {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 150_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = Files.createTempDirectory("swarmwatch-top-subscribers-bench");
        Instant now = Instant.now();
        Map<String, String[]> variants = new LinkedHashMap<>();
        // {include regex, order, sides}
        variants.put("as served: both sides, include sub_..., by bytes", new String[] {"include", "total", "2"});
        variants.put("without the include regex", new String[] {"", "total", "2"});
        variants.put("ordered by flow count", new String[] {"include", "_count", "2"});
        variants.put("one side only, by bytes", new String[] {"include", "total", "1"});
        try (EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es")).start();
                Elastic elastic = new Elastic(ElasticsearchSettings.of(URI.create(engine.url())).withReplicas(0));
                RestClient rest = RestClient.builder(HttpHost.create(engine.url())).build()) {
            elastic.ensureTemplates();
            DashboardBench.loadFlows(elastic, flows, now, Duration.ofDays(1));
            elastic.refresh();
            Map<String, long[]> took = new LinkedHashMap<>();
            variants.keySet().forEach(v -> took.put(v, new long[runs]));
            for (int i = 0; i < runs; i++) {
                for (var v : variants.entrySet()) {
                    Instant to = now.minusSeconds(i + 1);
                    Request q = new Request("POST", "/swarmwatch-flows-*/_search?request_cache=false");
                    q.setJsonEntity(query(to.minus(Duration.ofHours(23)), to, v.getValue()));
                    took.get(v.getKey())[i] = JSON.readTree(EntityUtils.toString(rest.performRequest(q).getEntity())).path("took").asLong();
                }
            }
            System.out.printf("%,d flows over one day; %d runs each; load %s%n", flows, runs, Files.readString(Path.of("/proc/loadavg")).strip());
            System.out.printf("%-52s %8s %8s%n", "variant", "p50 ms", "p90 ms");
            took.forEach((v, t) -> {
                Arrays.sort(t);
                System.out.printf("%-52s %8d %8d%n", v, t[runs / 2], t[(int) Math.ceil(runs * 0.9) - 1]);
            });
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String query(Instant from, Instant to, String[] v) {
        StringBuilder aggs = new StringBuilder();
        String[][] sides = {{"source", "destination"}, {"destination", "source"}};
        for (int s = 0; s < Integer.parseInt(v[2]); s++) {
            String self = sides[s][0], peer = sides[s][1];
            aggs.append(s == 0 ? "" : ",").append("""
                    "as_%1$s": {"filter": {"bool": {"filter": [{"terms": {"swarmwatch.subscriber": ["%1$s", "both"]}},
                                                            {"term": {"swarmwatch.addresses": "pseudonymised"}}]}},
                      "aggs": {"subscribers": {"terms": {"field": "%1$s.address", "size": 40, %3$s "order": {"%4$s": "desc"}},
                        "aggs": {"sent": {"sum": {"field": "%1$s.bytes"}}, "received": {"sum": {"field": "%2$s.bytes"}},
                                 "total": {"sum": {"field": "network.bytes"}}}}}}
                    """.formatted(self, peer, v[0].isEmpty() ? "" : "\"include\": \"sub_[0-9a-f]+\",", v[1]));
        }
        return """
                {"size": 0, "query": {"bool": {"filter": [{"range": {"@timestamp": {"gte": "%s", "lt": "%s"}}}],
                                              "must_not": [{"term": {"network.protocol": "unknown"}}]}},
                 "aggs": {%s}}
                """.formatted(from, to, aggs);
    }
}
