package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The deployment docs/dashboard.md describes for a Prometheus without credentials: actuator on
 * its own port ({@code management.server.port}, reachable only from the monitoring network) with
 * {@code metrics-public}. The scrape answers there without signing in; the API on the main port
 * still needs its roles. (Its own Spring context: other properties.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "swarmwatch.dashboard.metrics-public=true"})
class ManagementPortTest {
    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void elasticsearch(DynamicPropertyRegistry registry) {
        SeededElasticsearch.register(registry);
    }

    @Test
    void prometheusAndProbesOnTheManagementPortWithoutSigningIn() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode(), scrape.body());
        assertTrue(scrape.body().contains("jvm_memory_used_bytes"));
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals(401, new ApiClient(port).get("/api/traffic", null).statusCode(), "the API still needs credentials");
        assertEquals(401, new ApiClient(managementPort).get("/actuator/env", null).statusCode(), "other actuator endpoints too");
    }
}
