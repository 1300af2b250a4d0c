package org.swarmwatch.dashboard.api;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's API (OPERATOR or ADMIN, SecurityConfiguration): aggregates only, no incident
 * evidence. Public so that the pages ({@code web}) answer with the same checks and the same data.
 */
@RestController
public class TrafficController {
    private final TrafficQueries queries;
    private final Clock clock = Clock.systemUTC();

    TrafficController(TrafficQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/api/traffic")
    public Map<String, Object> traffic(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "1h") String interval, @RequestParam(required = false) String probe,
            @RequestParam(required = false) String link) throws IOException {
        Parameters.TimeRange range = Parameters.TimeRange.of(from, to, clock);
        return queries.traffic(range, Parameters.interval(interval, range), Parameters.text("probe", probe), Parameters.text("link", link));
    }

    @GetMapping("/api/subscribers/top")
    public Map<String, Object> topSubscribers(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer size) throws IOException {
        return queries.topSubscribers(Parameters.TimeRange.of(from, to, clock), Parameters.bounded("size", size, 10, 1, 100));
    }

    @GetMapping("/api/probes")
    public Map<String, Object> probes() throws IOException {
        return queries.probes();
    }
}
