package org.swarmwatch.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded engine is a real Elasticsearch, driven by the Java client the classifier uses, and
 * its child JVM never outlives its user: not after {@code close()}, not after the parent is
 * killed.
 */
class EmbeddedElasticsearchTest {

    @Test
    void indexesCountsAndSearchesThenLeavesNoProcess(@TempDir Path dir) throws Exception {
        EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir);
        long pid = -1;
        try {
            long t0 = System.nanoTime();
            engine.start();
            System.out.printf("cold start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            pid = engine.pid();
            assertTrue(engine.url().matches("http://127\\.0\\.0\\.1:\\d+"), engine.url());
            try (RestClientTransport transport = new RestClientTransport(RestClient.builder(HttpHost.create(engine.url())).build(),
                    new JacksonJsonpMapper())) {
                ElasticsearchClient client = new ElasticsearchClient(transport);
                assertTrue(client.info().version().number().startsWith("8.19."), client.info().version().number());

                client.indices().create(c -> c.index("flows").mappings(m -> m
                        .properties("protocol", p -> p.keyword(k -> k))
                        .properties("bytes", p -> p.long_(l -> l))
                        .properties("seen", p -> p.date(d -> d))));
                BulkRequest.Builder bulk = new BulkRequest.Builder().refresh(Refresh.True);
                long bittorrentBytes = 0;
                for (int i = 0; i < 1000; i++) {
                    String protocol = i % 4 == 0 ? "edonkey" : "bittorrent";
                    long bytes = 1000L + i;
                    if (protocol.equals("bittorrent")) {
                        bittorrentBytes += bytes;
                    }
                    Map<String, Object> doc = Map.of("protocol", protocol, "bytes", bytes, "seen", "2026-11-23T10:00:00Z");
                    String id = "flow-" + i;
                    bulk.operations(op -> op.index(x -> x.index("flows").id(id).document(doc)));
                }
                BulkResponse indexed = client.bulk(bulk.build());
                assertFalse(indexed.errors(), () -> indexed.items().stream().filter(item -> item.error() != null).findFirst()
                        .map(item -> item.error().reason()).orElse(""));

                assertEquals(1000, client.count(c -> c.index("flows")).count());
                @SuppressWarnings("rawtypes")
                SearchResponse<Map> found = client.search(s -> s.index("flows")
                        .query(q -> q.term(t -> t.field("protocol").value("bittorrent")))
                        .aggregations("bytes", a -> a.sum(sum -> sum.field("bytes")))
                        .size(5), Map.class);
                assertNotNull(found.hits().total());
                assertEquals(750, found.hits().total().value());
                assertEquals(5, found.hits().hits().size());
                assertEquals("bittorrent", found.hits().hits().get(0).source().get("protocol"));
                assertEquals(bittorrentBytes, (long) found.aggregations().get("bytes").sum().value());
            }
        } finally {
            engine.close();
        }
        assertFalse(engine.running());
        assertFalse(alive(pid), "the child JVM " + pid + " is still running after close()");
    }

    /** A parent killed with SIGKILL runs no shutdown hook: its child notices stdin's end and exits. */
    @Test
    void childExitsWhenItsParentIsKilled(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String property : new String[] {"swarmwatch.root", "swarmwatch.home", EmbeddedElasticsearch.CLASSPATH_PROPERTY,
            EmbeddedElasticsearch.HEAP_PROPERTY}) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of(EmbeddedElasticsearch.class.getName(), dir.resolve("engine").toString()));
        File parentLog = dir.resolve("parent.log").toFile();
        Process parent = new ProcessBuilder(command).redirectError(parentLog).start();
        long child = -1;
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while (child < 0 && (line = out.readLine()) != null) {
                    if (line.startsWith("elasticsearch.pid=")) {
                        child = Long.parseLong(line.substring("elasticsearch.pid=".length()));
                    }
                }
            }
            assertTrue(child > 0, () -> "the parent JVM gave no child pid; its log:\n" + EmbeddedElasticsearch.tail(parentLog.toPath(), 40));
            assertTrue(alive(child));

            parent.destroyForcibly();
            assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "the parent JVM did not die");
            long deadline = System.currentTimeMillis() + 30_000;
            while (alive(child) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(alive(child), "the child JVM " + child + " outlived its killed parent");
            assertTrue(Files.readString(dir.resolve("engine/elasticsearch.log")).contains("stopped"),
                    "the node stopped in order (its log says 'stopped')");
        } finally {
            parent.destroyForcibly();
            if (child > 0) {
                ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
