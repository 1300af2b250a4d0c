package org.swarmwatch.classifier.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.swarmwatch.classifier.consume.Classifier;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.lists.ActiveLists;
import org.swarmwatch.classifier.lists.ListDirectory;
import org.swarmwatch.events.health.HealthCheck;
import org.swarmwatch.events.health.HealthServer;
import org.swarmwatch.events.health.Heartbeat;

/**
 * The classifier's health endpoint ({@code --health-port}). Liveness: the poll loop beats within
 * the stall timeout (it beats at every poll and at every retry of a write Elasticsearch could not
 * take, so an outage is not a wedge). Readiness: live, and at least one rights list version
 * loaded, partitions assigned (or the group's last rebalance gave this member none: more
 * classifiers than partitions), and Elasticsearch writes not failing for longer than the grace.
 * The parts are handed over as the command builds them; until then their checks say "starting".
 */
final class ClassifierHealth {
    private final Duration stallTimeout, elasticsearchGrace;
    private volatile Elastic elastic;
    private volatile ListDirectory lists;
    private volatile Classifier classifier;

    ClassifierHealth(Duration stallTimeout, Duration elasticsearchGrace) {
        if (stallTimeout.isNegative() || stallTimeout.isZero() || elasticsearchGrace.isNegative() || elasticsearchGrace.isZero()) {
            throw new IllegalArgumentException("--health-stall-timeout and --health-elasticsearch-grace must be positive");
        }
        this.stallTimeout = stallTimeout;
        this.elasticsearchGrace = elasticsearchGrace;
    }

    void elastic(Elastic e) {
        elastic = e;
    }

    void lists(ListDirectory d) {
        lists = d;
    }

    void classifier(Classifier c) {
        classifier = c;
    }

    HealthServer start(InetSocketAddress bind) throws IOException {
        Map<String, HealthCheck> live = new LinkedHashMap<>();
        live.put("loop", this::loop);
        Map<String, HealthCheck> ready = new LinkedHashMap<>();
        ready.put("lists", this::lists);
        ready.put("partitions", this::partitions);
        ready.put("elasticsearch", this::elasticsearch);
        return HealthServer.start(bind, live, ready);
    }

    private HealthCheck.Status loop() {
        Classifier c = classifier;
        return c == null ? HealthCheck.Status.up("starting (templates, topics, lists)") : c.heartbeat().check(stallTimeout).check();
    }

    private HealthCheck.Status lists() {
        ListDirectory d = lists;
        if (d == null) {
            return HealthCheck.Status.down("starting: lists not read yet");
        }
        ActiveLists active = d.active();
        int n = active.versions().size();
        return n > 0
                ? HealthCheck.Status.up(n + (n == 1 ? " list" : " lists") + " active, " + active.entryCount() + " entries")
                : HealthCheck.Status.down("no rights list active: nothing to match (" + d.rejections().size()
                        + " files rejected; docs/rights-lists.md)");
    }

    private HealthCheck.Status partitions() {
        Classifier c = classifier;
        if (c == null) {
            return HealthCheck.Status.down("starting: not in the consumer group yet");
        }
        int n = c.assignedPartitions();
        if (n == Classifier.UNASSIGNED) {
            return HealthCheck.Status.down("waiting for partitions (joining the consumer group, or a rebalance)");
        }
        return HealthCheck.Status.up(n == 0 ? "no partitions assigned: the group has more classifiers than the topics have partitions"
                : n + " partitions assigned");
    }

    private HealthCheck.Status elasticsearch() {
        Elastic e = elastic;
        if (e == null) {
            return HealthCheck.Status.down("starting");
        }
        Duration failing = e.failingFor();
        if (failing.isZero()) {
            return HealthCheck.Status.up("writes go through");
        }
        String why = e.lastFailure();
        if (why != null && why.length() > 300) {
            why = why.substring(0, 300) + "...";
        }
        String detail = "writes failing for " + Heartbeat.seconds(failing) + " (grace " + Heartbeat.seconds(elasticsearchGrace) + ")"
                + (why == null ? "" : ": " + why);
        return failing.compareTo(elasticsearchGrace) < 0 ? HealthCheck.Status.up(detail) : HealthCheck.Status.down(detail);
    }
}
