package org.swarmwatch.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.helm.RenderedChart.container;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probe's and the classifier's arguments and environment, as the chart renders them and as
 * the kubelet hands them over ({@code $(VAR)} expanded), are accepted by the real commands'
 * parsers (picocli, with the options' converters: sizes, durations, numbers), and the JVM
 * accepts the rendered {@code JAVA_TOOL_OPTIONS}: a child JVM per container, with exactly the
 * container's environment (a Secret's value stands in as a placeholder).
 */
class CommandLineCompatibilityTest {

    /** What the kubelet puts in POD_IP (status.podIP) in these runs. */
    private static final String POD_IP = "192.0.2.17";
    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "tls-sasl-kafka", "ingress-hpa", "chart-made-credentials", "api-key-exports", "lab"})
    void renderedCommandLinesParse(String valueSet) throws Exception {
        RenderedChart chart = valueSet.equals("defaults") ? RenderedChart.render() : RenderedChart.render(valueSet);
        Result probe = parse(container(chart.get("DaemonSet", ChartTemplateTest.PROBE)));
        assertEquals(0, probe.exitCode, valueSet + " probe: " + probe.output);
        assertTrue(probe.output.contains("parsed capture"), probe.output);
        assertTrue(probe.output.contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=70"),
                "the container's environment reached the JVM: " + probe.output);
        Result classifier = parse(container(chart.get("Deployment", ChartTemplateTest.CLASSIFIER)));
        assertEquals(0, classifier.exitCode, valueSet + " classifier: " + classifier.output);
        assertTrue(classifier.output.contains("parsed classifier"), classifier.output);
    }

    /**
     * The health endpoint the kubelet's probes ask is switched on by the rendered arguments, as the
     * real commands parse them: the port the probes name, bound on the pod's address, with the
     * thresholds from the values.
     */
    @Test
    void theHealthEndpointIsOnThePortTheKubeletProbesOnThePodsAddress() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), Map.of("probe.health.port", "9555", "probe.health.exportGrace", "5m",
                "classifier.health.elasticsearchGrace", "PT90S"));
        Result probe = parse(container(chart.get("DaemonSet", ChartTemplateTest.PROBE)));
        assertEquals(0, probe.exitCode, probe.output);
        assertTrue(probe.output.contains("option --health-port=9555"), probe.output);
        assertTrue(probe.output.contains("option --health-address=" + POD_IP), probe.output);
        assertTrue(probe.output.contains("option --health-stall-timeout=PT1M"), probe.output);
        assertTrue(probe.output.contains("option --health-export-grace=PT5M"), probe.output);
        Result classifier = parse(container(chart.get("Deployment", ChartTemplateTest.CLASSIFIER)));
        assertEquals(0, classifier.exitCode, classifier.output);
        assertTrue(classifier.output.contains("option --health-port=9466"), classifier.output);
        assertTrue(classifier.output.contains("option --health-address=" + POD_IP), classifier.output);
        assertTrue(classifier.output.contains("option --health-stall-timeout=PT5M"), classifier.output);
        assertTrue(classifier.output.contains("option --health-elasticsearch-grace=PT1M30S"), classifier.output);
    }

    /** The check is not vacuous: an option the probe does not have is refused, by name. */
    @Test
    void anUnknownOptionIsRefused() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of(), Map.of("probe.extraArgs[0]", "--no-such-option"));
        Result probe = parse(container(chart.get("DaemonSet", ChartTemplateTest.PROBE)));
        assertEquals(2, probe.exitCode, probe.output);
        assertTrue(probe.output.contains("--no-such-option"), probe.output);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result parse(JsonNode container) throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            String value;
            if (e.has("value")) {
                value = expand(e.path("value").asText(), env);
            } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("spec.nodeName")) {
                value = "tap-node-1";
            } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("status.podIP")) {
                value = POD_IP;
            } else {
                value = "placeholder-for-" + e.at("/valueFrom/secretKeyRef/name").asText();
            }
            env.put(name, value);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParseCommandLine.class.getName()));
        for (JsonNode a : container.path("args")) {
            command.add(expand(a.asText(), env));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the parsing JVM did not finish: " + output);
        }
        return new Result(p.exitValue(), output);
    }

    /** The kubelet's expansion of $(VAR) from variables defined earlier in the container's env. */
    private static String expand(String s, Map<String, String> env) {
        Matcher m = VAR.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}
