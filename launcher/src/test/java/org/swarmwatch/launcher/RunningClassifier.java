package org.swarmwatch.launcher;

import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.swarmwatch.classifier.consume.Classifier;
import org.swarmwatch.classifier.consume.ConsumerSettings;
import org.swarmwatch.classifier.consume.OutputTopics;
import org.swarmwatch.classifier.incident.IncidentBuilder;
import org.swarmwatch.classifier.incident.IncidentPolicy;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.index.ElasticsearchSettings;
import org.swarmwatch.classifier.index.ListVersionIndexer;
import org.swarmwatch.classifier.lists.ListDirectory;
import org.swarmwatch.classifier.lists.ListLimits;
import org.swarmwatch.classifier.lists.ListLoader;
import org.swarmwatch.classifier.lists.SignaturePolicy;
import org.swarmwatch.classifier.lists.TrustedKeys;
import org.swarmwatch.classifier.match.ListCatalog;

/**
 * A classifier running in the test's JVM on real parts, assembled as the {@code classifier}
 * command assembles one (templates, output topics, lists recorded and matched, the consumer loop
 * on its own thread), with unsigned lists from a directory: for the end-to-end tests and the
 * benchmark. {@link #close} stops the loop after the batch in hand.
 */
final class RunningClassifier implements AutoCloseable {
    private final Elastic elastic;
    private final ListDirectory directory;
    private final Classifier classifier;
    private final Thread loop;

    private RunningClassifier(Elastic elastic, ListDirectory directory, Classifier classifier) {
        this.elastic = elastic;
        this.directory = directory;
        this.classifier = classifier;
        this.loop = new Thread(classifier, "classifier");
    }

    /** Starts a classifier of {@code topics}' group writing to the engine at {@code engineUrl}, matching the lists in {@code lists}. */
    static RunningClassifier start(ConsumerSettings topics, String engineUrl, Path lists) throws IOException {
        Elastic elastic = new Elastic(ElasticsearchSettings.of(URI.create(engineUrl)).withReplicas(0));
        ListDirectory directory = new ListDirectory(lists, new ListLoader(TrustedKeys.none(), SignaturePolicy.OPTIONAL, ListLimits.DEFAULTS,
                Clock.systemUTC()), Clock.systemUTC());
        try {
            elastic.ensureTemplates();
            OutputTopics.ensure(topics, 3, (short) 1, 30_000);
            ListCatalog catalog = new ListCatalog();
            directory.addListener(new ListVersionIndexer(elastic));
            directory.addListener(catalog);
            directory.scan();
            Classifier classifier = new Classifier(topics, elastic,
                    new IncidentBuilder(catalog, IncidentPolicy.DEFAULT, elastic, 100_000, 1_000_000), new SimpleMeterRegistry());
            RunningClassifier running = new RunningClassifier(elastic, directory, classifier);
            running.loop.start();
            return running;
        } catch (IOException | RuntimeException e) {
            directory.close();
            elastic.close();
            throw e;
        }
    }

    Elastic elastic() {
        return elastic;
    }

    /** The incidents in Elasticsearch now (their {@code swarmwatch.incident} objects), none if there is no index yet. */
    List<JsonNode> incidents() throws IOException {
        elastic.refresh();
        return elastic.client().search(s -> s.index(elastic.names().incidents()).ignoreUnavailable(true).size(100), ObjectNode.class)
                .hits().hits().stream().map(Hit::source).map(n -> (JsonNode) n.path("swarmwatch").path("incident")).toList();
    }

    @Override
    public void close() throws IOException {
        classifier.close();
        try {
            loop.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            directory.close();
            elastic.close();
        }
    }
}
