package org.swarmwatch.dashboard;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The real application on a random port, against the engine {@link SeededElasticsearch} filled
 * through the pipeline. Every subclass shares one Spring context and one engine.
 *
 * <p>The shared context's tests sign in with wrong passwords on purpose, all from 127.0.0.1 (the
 * authorization tests), so its failed-sign-in limits are far above the defaults;
 * {@link SignInThrottleAppTest} tests the limits in a context of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"swarmwatch.dashboard.sign-in.max-failures=100000",
        "swarmwatch.dashboard.sign-in.max-failures-per-address=100000"})
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
