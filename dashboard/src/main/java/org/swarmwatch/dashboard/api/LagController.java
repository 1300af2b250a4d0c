package org.swarmwatch.dashboard.api;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.swarmwatch.dashboard.kafka.ConsumerLag;

/** Probe health's Kafka side (OPERATOR or ADMIN, SecurityConfiguration): the classifier's consumer lag. */
@RestController
class LagController {
    private final ConsumerLag lag;

    LagController(ConsumerLag lag) {
        this.lag = lag;
    }

    /** Per consumer group and topic, end offsets minus committed offsets; {@code unknown} with a reason when Kafka is not configured or does not answer in time. */
    @GetMapping("/api/probes/lag")
    Map<String, Object> lag() {
        return lag.report();
    }
}
