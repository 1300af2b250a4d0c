package org.swarmwatch.helm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values the chart refuses at render time (values.schema.json, or the chart's checks across
 * values), each with a message that names the value: Helm's error reaches the operator as is.
 */
class ChartRefusalTest {

    static Stream<Arguments> refusals() {
        return Stream.of(
                // schema: unknown keys (a typo, or an attempt to loosen what the chart fixes)
                Arguments.of(List.of(), Map.of("probe.interfase", "eth0"), List.of("interfase", "additional properties")),
                Arguments.of(List.of(), Map.of("probe.securityContext.privileged", true), List.of("securityContext", "additional properties")),
                Arguments.of(List.of(), Map.of("classifier.replicaCount", 3), List.of("replicaCount")),
                // schema: malformed values
                Arguments.of(List.of(), Map.of("kafka.bootstrapServers", "kafka"), List.of("bootstrapServers")),
                Arguments.of(List.of(), Map.of("elasticsearch.url", "elasticsearch:9200"), List.of("url")),
                Arguments.of(List.of(), Map.of("probe.subscriberNetworks[0]", "198.51.100.0"), List.of("subscriberNetworks")),
                Arguments.of(List.of(), Map.of("probe.interface", ""), List.of("interface")),
                Arguments.of(List.of(), Map.of("kafka.partitions", 0), List.of("partitions")),
                Arguments.of(List.of(), Map.of("elasticsearch.auth.type", "token"), List.of("type")),
                Arguments.of(List.of(), Map.of("kafka.sasl.mechanism", "GSSAPI"), List.of("mechanism")),
                Arguments.of(List.of(), Map.of("probe.spool.maxSize", "lots"), List.of("maxSize")),
                Arguments.of(List.of(), Map.of("probe.flows", "some"), List.of("flows")),
                // schema: no secrets in the ConfigMaps or in JVM options
                Arguments.of(List.of(), Map.of("kafka.extraProperties.ssl\\.truststore\\.password", "x"), List.of("ssl.truststore.password")),
                Arguments.of(List.of(), Map.of("dashboard.javaOptions", "-Djavax.net.ssl.trustStorePassword=changeit"), List.of("javaOptions")),
                // across values: consumers beyond partitions
                Arguments.of(List.of(), Map.of("classifier.replicas", 7),
                        List.of("classifier.replicas (7) exceeds kafka.partitions (6)")),
                Arguments.of(List.of("ingress-hpa"), Map.of("classifier.autoscaling.maxReplicas", 13),
                        List.of("classifier.autoscaling.maxReplicas (13) exceeds kafka.partitions (12)")),
                // across values: missing references
                Arguments.of(List.of(), Map.of("probe.pseudonymKey.existingSecret", ""),
                        List.of("probe.pseudonymKey.existingSecret", "pseudonymisation key")),
                Arguments.of(List.of(), Map.of("dashboard.users.existingSecret", ""), List.of("dashboard.users.existingSecret")),
                Arguments.of(List.of(), Map.of("classifier.trustedKeys.existingSecret", ""),
                        List.of("classifier.trustedKeys.existingSecret is empty")),
                Arguments.of(List.of(), Map.of("kafka.sasl.enabled", true),
                        List.of("kafka.sasl.classifier: SASL is enabled but no credentials are given")),
                // SASL and the consumer lag on, the dashboard without its own Kafka user
                Arguments.of(List.of("tls-sasl-kafka"), Map.of("kafka.sasl.dashboard.existingSecret", ""),
                        List.of("kafka.sasl.dashboard: SASL is enabled but no credentials are given", "dashboard.kafkaLag.enabled=false")),
                Arguments.of(List.of("chart-made-credentials"), Map.of("kafka.sasl.dashboard.password", ""),
                        List.of("kafka.sasl.dashboard: SASL is enabled but no credentials are given")),
                Arguments.of(List.of("tls-sasl-kafka"), Map.of("kafka.sasl.dashboard.password", "pw"),
                        List.of("kafka.sasl.dashboard: set either existingSecret or username and password, not both")),
                // the consumer group in one place: the classifier's --group is the dashboard's lag group
                Arguments.of(List.of(), Map.of("classifier.extraArgs[0]", "--group=other"),
                        List.of("classifier.extraArgs: --group is set by classifier.consumerGroup")),
                Arguments.of(List.of(), Map.of("dashboard.kafkaLag.enabeld", false), List.of("enabeld", "additional properties")),
                Arguments.of(List.of(), Map.of("dashboard.kafkaLag.timeout", "0s"), List.of("timeout")),
                Arguments.of(List.of(), Map.of("elasticsearch.auth.classifier.existingSecret", ""),
                        List.of("elasticsearch.auth.classifier: auth.type is basic")),
                Arguments.of(List.of(), Map.of("elasticsearch.auth.dashboard.password", "pw"),
                        List.of("elasticsearch.auth.dashboard: set either existingSecret or the credentials themselves, not both")),
                Arguments.of(List.of(), Map.of("classifier.lists.configMap", "lists"),
                        List.of("classifier.lists: set either existingClaim or configMap, not both")));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusedWithAMessageNamingTheValue(List<String> valueSets, Map<String, Object> sets, List<String> expected) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RenderedChart.render(valueSets, sets),
                "the chart rendered with " + sets);
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), "the message should name '" + part + "': " + e.getMessage());
        }
    }
}
