package org.swarmwatch.dashboard.elastic;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The cluster's health, in {@code /actuator/health} (component {@code elasticsearch}). Not in the
 * liveness or readiness groups: restarting the dashboard or taking it out of service does not
 * bring Elasticsearch back, and its answers say what is wrong.
 */
@Component("elasticsearch")
class ElasticsearchHealthIndicator implements HealthIndicator {
    private final ElasticsearchClient client;

    ElasticsearchHealthIndicator(ElasticsearchClient client) {
        this.client = client;
    }

    @Override
    public Health health() {
        try {
            HealthResponse h = client.cluster().health();
            Health.Builder b = h.status() == HealthStatus.Red ? Health.down() : Health.up();
            return b.withDetail("cluster", h.clusterName()).withDetail("status", h.status().jsonValue()).build();
        } catch (Exception e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
        }
    }
}
