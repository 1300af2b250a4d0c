package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The seeded engine's audit index, for tests: its records through the admin's API, a refresh, a write block. */
final class AuditIndex {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AuditIndex() {
    }

    /** The records of {@code action} matching {@code which}, newest first, after a refresh of the audit index. */
    static List<JsonNode> records(ApiClient api, String action, Predicate<JsonNode> which) throws Exception {
        refresh();
        List<JsonNode> out = new ArrayList<>();
        for (int page = 0; page < 50; page++) {
            JsonNode r = api.json("/api/admin/audit?action=" + action + "&size=200&page=" + page, "admin");
            r.path("events").forEach(e -> {
                if (which.test(e)) {
                    out.add(e);
                }
            });
            if (r.path("events").size() < 200) {
                break;
            }
        }
        return out;
    }

    /**
     * Makes every record written so far searchable (readings and uploads are recorded without
     * waiting for a refresh); no audit index yet (nothing recorded so far) is no error.
     */
    static void refresh() throws Exception {
        engine("POST", "/swarmwatch-audit/_refresh?ignore_unavailable=true", null);
    }

    /** Sets or lifts a write block on the audit index: the cluster then refuses every new record (403). */
    static void blockWrites(boolean block) throws Exception {
        engine("PUT", "/swarmwatch-audit/_settings", "{\"index.blocks.write\": " + block + "}");
    }

    private static void engine(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SeededElasticsearch.get().engine.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
    }
}
