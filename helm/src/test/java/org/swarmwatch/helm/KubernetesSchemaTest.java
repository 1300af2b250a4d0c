package org.swarmwatch.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rendered manifests checked offline against the Kubernetes API's schemas (see {@link KubernetesSchemas}). */
class KubernetesSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "tls-sasl-kafka", "ingress-hpa", "chart-made-credentials", "api-key-exports", "lab"})
    void renderedManifestsAreValidKubernetesObjects(String valueSet) throws Exception {
        RenderedChart chart = valueSet.equals("defaults") ? RenderedChart.render() : RenderedChart.render(valueSet);
        KubernetesSchemas.Verdict verdict = KubernetesSchemas.validate(valueSet, chart.text);
        assertEquals(List.of(), verdict.invalid(), valueSet);
        assertEquals(0, verdict.exitCode(), valueSet + ": " + verdict.lines());
        assertEquals(chart.manifests.size(), verdict.valid(), valueSet + ": every object checked: " + verdict.lines());
    }

    /** The check is not vacuous: a Deployment without a selector, a port given as text, an unknown kind. */
    @Test
    void brokenManifestsAreReported() throws Exception {
        String broken = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: no-selector
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          image: i
                          ports:
                            - containerPort: http
                ---
                apiVersion: swarmwatch.org/v1
                kind: Probe
                metadata:
                  name: unknown-kind
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: fine
                spec:
                  ports:
                    - port: 80
                """;
        KubernetesSchemas.Verdict verdict = KubernetesSchemas.validate("broken", broken);
        assertEquals(1, verdict.exitCode());
        List<String> invalid = verdict.invalid();
        assertEquals(2, invalid.size(), invalid.toString());
        assertTrue(invalid.get(0).contains("no-selector") && invalid.get(0).contains("selector")
                && invalid.get(0).contains("containerPort must be integer"), invalid.get(0));
        assertTrue(invalid.get(1).contains("no model for swarmwatch.org/v1 Probe"), invalid.get(1));
        assertEquals(1, verdict.valid(), verdict.lines().toString());
    }
}
