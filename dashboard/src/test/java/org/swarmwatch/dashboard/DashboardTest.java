package org.swarmwatch.dashboard;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real application on a random port, against the engine {@link SeededElasticsearch} filled
 * through the pipeline. Every subclass shares one Spring context and one engine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class DashboardTest {
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void elasticsearch(DynamicPropertyRegistry registry) {
        SeededElasticsearch.register(registry);
    }

    ApiClient api() {
        return new ApiClient(port);
    }

    static SeededElasticsearch seeded() {
        return SeededElasticsearch.get();
    }
}
