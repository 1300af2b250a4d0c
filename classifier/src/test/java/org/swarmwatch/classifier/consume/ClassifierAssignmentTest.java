package org.swarmwatch.classifier.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.classifier.incident.IncidentBuilder;
import org.swarmwatch.classifier.incident.IncidentPolicy;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.index.ElasticsearchSettings;
import org.swarmwatch.classifier.match.ListCatalog;
import org.swarmwatch.embedded.EmbeddedKafka;

/**
 * What {@link Classifier#assignedPartitions()} reports, which readiness reads: unassigned before
 * the group gave anything, then the count; and zero, not unassigned, for a member the group's
 * rebalance gave nothing (more classifiers than partitions), on a real broker.
 */
class ClassifierAssignmentTest {

    @Test
    void aMemberLeftWithoutPartitionsKnowsItHasNoneWhileTheOtherHoldsThemAll(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka")).start();
                Elastic elastic = new Elastic(ElasticsearchSettings.of(URI.create("http://127.0.0.1:9")).withReplicas(0))) {
            ConsumerSettings topics = ConsumerSettings.of(kafka.bootstrapServers()).withTopicPrefix("a.");
            kafka.createTopics(1, topics.observations(), topics.flows(), topics.stats()); // one partition each: three in all
            Classifier first = classifier(topics, elastic), second = classifier(topics, elastic);
            assertEquals(Classifier.UNASSIGNED, first.assignedPartitions(), "nothing before it joined");
            List<Thread> loops = List.of(new Thread(first, "first"), new Thread(second, "second"));
            loops.forEach(Thread::start);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (System.nanoTime() < deadline && !settled(first, second)) {
                    Thread.sleep(100);
                }
                assertTrue(settled(first, second), "first " + first.assignedPartitions() + ", second " + second.assignedPartitions());
                // range assignment: each topic's one partition to the same member, none to the other
                assertEquals(3, Math.max(first.assignedPartitions(), second.assignedPartitions()));
                assertEquals(0, Math.min(first.assignedPartitions(), second.assignedPartitions()));
            } finally {
                first.close();
                second.close();
                for (Thread t : loops) {
                    t.join(30_000);
                }
            }
        }
    }

    private static boolean settled(Classifier a, Classifier b) {
        int x = a.assignedPartitions(), y = b.assignedPartitions();
        return x != Classifier.UNASSIGNED && y != Classifier.UNASSIGNED && x + y == 3;
    }

    private static Classifier classifier(ConsumerSettings topics, Elastic elastic) {
        return new Classifier(topics, elastic, new IncidentBuilder(new ListCatalog(), IncidentPolicy.DEFAULT, elastic, 100, 100),
                new SimpleMeterRegistry());
    }
}
