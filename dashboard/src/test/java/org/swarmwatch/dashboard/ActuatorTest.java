package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Health groups for Kubernetes probes and the Prometheus scrape, as the main application serves
 * them (an administrator, or an ADMIN user's API token, which is how Prometheus scrapes with
 * {@code authorization: credentials_file}).
 */
class ActuatorTest extends DashboardTest {

    @Test
    void livenessAndReadinessAreUpAndDoNotDependOnElasticsearch() {
        for (String group : new String[] {"liveness", "readiness"}) {
            JsonNode h = api().json("/actuator/health/" + group, "admin");
            assertEquals("UP", h.path("status").asText(), h.toString());
            assertFalse(h.toString().contains("elasticsearch"), group + " has no Elasticsearch component: " + h);
        }
        JsonNode all = api().json("/actuator/health", "admin");
        assertEquals("UP", all.path("components").path("elasticsearch").path("status").asText(), all.toString());
    }

    @Test
    void prometheusScrapeByAnAdministratorsToken() {
        api().json("/api/probes", "operator"); // at least one API request to count
        HttpResponse<String> made = api().send("POST", "/api/admin/tokens?username=admin&label=prometheus", ApiClient.basic("admin"));
        String token = ApiClient.parse(made.body()).path("token").asText();
        HttpResponse<String> r = api().send("GET", "/actuator/prometheus", "Bearer " + token);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM meters");
        assertTrue(r.body().contains("http_server_requests_seconds_count{") && r.body().contains("uri=\"/api/probes\""),
                "HTTP server meters by route");
        assertEquals(401, api().send("GET", "/actuator/prometheus", null).statusCode(), "no anonymous scrape without metrics-public");
    }
}
