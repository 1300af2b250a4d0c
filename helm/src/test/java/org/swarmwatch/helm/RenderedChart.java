package org.swarmwatch.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart rendered by the real Helm (helm-java embeds Helm's library): the manifests as text and
 * parsed, with finders by kind and name. Rendering enforces values.schema.json and the chart's own
 * {@code fail} checks; a refusal comes out as the exception Helm gives, its message intact.
 */
final class RenderedChart {

    static final String RELEASE = "sw";
    static final String NAMESPACE = "swarmwatch";
    /** The Kubernetes version rendered for (helm-java's own default is 1.20, older than the chart allows). */
    static final String KUBE_VERSION = "v1.31.0";
    private static final YAMLMapper YAML = new YAMLMapper();

    final String text;
    final List<JsonNode> manifests;

    private RenderedChart(String text, List<JsonNode> manifests) {
        this.text = text;
        this.manifests = manifests;
    }

    /** The chart's folder: helm/swarmwatch, beside this module's pom. */
    static Path chartDir() {
        Path dir = Path.of("swarmwatch").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException("chart not found at " + dir + " (tests run from the helm module's folder)");
        }
        return dir;
    }

    /** A value set kept beside the tests: src/test/resources/values/NAME.yaml. */
    static Path valuesFile(String name) {
        Path file = Path.of("src/test/resources/values", name + ".yaml").toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no value set " + file);
        }
        return file;
    }

    /** Renders with the default values, plus the named value sets in order, plus {@code sets}. */
    static RenderedChart render(List<String> valueSets, Map<String, Object> sets) {
        TemplateCommand template = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (String set : valueSets) {
            template = template.withValuesFile(valuesFile(set));
        }
        for (Map.Entry<String, Object> e : sets.entrySet()) {
            template = template.set(e.getKey(), e.getValue());
        }
        return parse(template.call());
    }

    static RenderedChart render(String... valueSets) {
        return render(List.of(valueSets), Map.of());
    }

    static RenderedChart parse(String text) {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(text)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered manifests are not YAML", e);
        }
        return new RenderedChart(text, List.copyOf(docs));
    }

    Stream<JsonNode> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.path("kind").asText()));
    }

    /** The one object of this kind and name; fails naming what there is otherwise. */
    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among "
                + manifests.stream().map(m -> m.path("kind").asText() + "/" + m.at("/metadata/name").asText()).toList()));
    }

    java.util.Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).filter(m -> name.equals(m.at("/metadata/name").asText())).findFirst();
    }

    /** The first container of a workload's pod template. */
    static JsonNode container(JsonNode workload) {
        return workload.at("/spec/template/spec/containers/0");
    }

    /** The environment variable NAME of a container, or a missing node. */
    static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static List<String> args(JsonNode container) {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    /** Every manifest as JSON, one per line: what the Kubernetes schema check reads. */
    String asJsonLines() {
        ObjectMapper json = new ObjectMapper();
        StringBuilder out = new StringBuilder();
        for (JsonNode m : manifests) {
            try {
                out.append(json.writeValueAsString(m)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    static ObjectNode object() {
        return YAML.createObjectNode();
    }
}
