package org.swarmwatch.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code helm lint --strict} on the chart with its defaults and with each value set. helm-java's
 * lint takes no values file, so a value set is linted on a copy of the chart (in target/) whose
 * values.yaml is the defaults with the set merged in, as Helm itself would merge them.
 */
class ChartLintTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void defaultsPassStrictLint() {
        LintResult lint = new Helm(RenderedChart.chartDir()).lint().strict().call();
        assertFalse(lint.isFailed(), "lint: " + lint.getMessages());
        assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")), lint.getMessages().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tls-sasl-kafka", "ingress-hpa", "chart-made-credentials", "api-key-exports", "lab"})
    void valueSetPassesStrictLint(String valueSet) throws IOException {
        LintResult lint = new Helm(chartWith(valueSet, Map.of())).lint().strict().call();
        assertFalse(lint.isFailed(), valueSet + ": " + lint.getMessages());
        assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")), lint.getMessages().toString());
    }

    /**
     * Lint is not vacuous: it applies values.schema.json (a probe without an interface fails it, with
     * the path). Helm's lint mode turns {@code fail} and {@code required} into notes, so the chart's
     * checks across values are proven by rendering, in {@link ChartRefusalTest}.
     */
    @Test
    void lintFailsOnValuesTheSchemaRefuses() throws IOException {
        LintResult lint = new Helm(chartWith("lab", Map.of("probe", Map.of("interface", "")))).lint().strict().call();
        assertTrue(lint.isFailed(), "lint passed a probe without an interface: " + lint.getMessages());
        assertTrue(lint.getMessages().stream().anyMatch(m -> m.contains("/probe/interface")), lint.getMessages().toString());
    }

    private static Path chartWith(String valueSet, Map<String, Object> more) throws IOException {
        Path source = RenderedChart.chartDir();
        Path copy = Path.of("target", "lint", valueSet + (more.isEmpty() ? "" : "-" + Integer.toHexString(more.hashCode())), "swarmwatch")
                .toAbsolutePath();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        ObjectNode values = (ObjectNode) YAML.readTree(source.resolve("values.yaml").toFile());
        merge(values, YAML.readTree(RenderedChart.valuesFile(valueSet).toFile()));
        merge(values, YAML.valueToTree(more));
        YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
        return copy;
    }

    /** Helm's merge: maps merge key by key, anything else (lists too) replaces. */
    private static void merge(ObjectNode into, JsonNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }
}
