package org.swarmwatch.dashboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The dashboard: a read-only JSON API over what the classifier writes to Elasticsearch, for
 * network operators (traffic, never incident evidence), compliance analysts (incidents, lists)
 * and administrators (users). See docs/dashboard.md.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DashboardApplication {
    public static void main(String[] args) {
        SpringApplication.run(DashboardApplication.class, args);
    }
}
