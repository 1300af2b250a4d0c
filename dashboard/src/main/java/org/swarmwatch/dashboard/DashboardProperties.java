package org.swarmwatch.dashboard;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code swarmwatch.dashboard.*}.
 *
 * @param usersFile the users file (docs/dashboard.md, "Users"); required unless the {@code demo}
 *     profile is active
 * @param metricsPublic whether {@code /actuator/prometheus} answers without signing in (for a
 *     scraper inside a network that only it reaches); otherwise it needs ADMIN
 */
@ConfigurationProperties("swarmwatch.dashboard")
public record DashboardProperties(Path usersFile, boolean metricsPublic) {
}
