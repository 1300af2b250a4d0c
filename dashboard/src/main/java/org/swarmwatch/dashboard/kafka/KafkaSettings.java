package org.swarmwatch.dashboard.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code swarmwatch.kafka.*}: where the dashboard reads the classifier's consumer lag, for probe
 * health. Optional: without {@code bootstrap-servers} the lag is shown as unknown.
 *
 * @param bootstrapServers the cluster the probes write to and the classifier reads ({@code host:port,...})
 * @param configFile further client settings (TLS, SASL: {@code security.protocol}, {@code ssl.*},
 *     {@code sasl.*}) as a properties file, as the classifier's {@code --kafka-config}
 * @param groups the classifier's consumer groups ({@code --kafka-group}); default {@code swarmwatch-classifier}
 * @param timeout how long one look at the lag may take, all calls to Kafka together
 * @param cacheFor how long an answer is reused, so that many open dashboards make one look
 */
@ConfigurationProperties("swarmwatch.kafka")
public record KafkaSettings(String bootstrapServers, Path configFile, @DefaultValue("swarmwatch-classifier") List<String> groups,
        @DefaultValue("3s") Duration timeout, @DefaultValue("5s") Duration cacheFor) {
}
