package org.swarmwatch.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.helm.RenderedChart.args;
import static org.swarmwatch.helm.RenderedChart.container;
import static org.swarmwatch.helm.RenderedChart.env;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chart rendered by Helm for the defaults and realistic value sets: what matters is checked field by field. */
class ChartTemplateTest {

    static final String PROBE = "sw-swarmwatch-probe";
    static final String CLASSIFIER = "sw-swarmwatch-classifier";
    static final String DASHBOARD = "sw-swarmwatch-dashboard";

    /** Every value set kept beside the tests, and the defaults (""). */
    static List<List<String>> allValueSets() {
        return List.of(List.of(), List.of("tls-sasl-kafka"), List.of("ingress-hpa"), List.of("chart-made-credentials"),
                List.of("api-key-exports"), List.of("lab"));
    }

    @Test
    void defaultsRenderEveryComponentWithItsGuardsAndNoSecretObject() {
        RenderedChart chart = RenderedChart.render();
        chart.get("DaemonSet", PROBE);
        chart.get("Deployment", CLASSIFIER);
        chart.get("Deployment", DASHBOARD);
        chart.get("Service", DASHBOARD);
        chart.get("ConfigMap", "sw-swarmwatch-kafka");
        chart.get("ConfigMap", DASHBOARD);
        chart.get("PodDisruptionBudget", CLASSIFIER);
        chart.get("PodDisruptionBudget", DASHBOARD);
        chart.get("NetworkPolicy", CLASSIFIER);
        chart.get("NetworkPolicy", DASHBOARD);
        assertEquals(0, chart.ofKind("Ingress").count(), "no ingress unless asked for");
        assertEquals(0, chart.ofKind("HorizontalPodAutoscaler").count(), "no autoscaler unless asked for");
        // defaults refer to Secrets by name; the chart makes none and inlines no secret data
        assertEquals(0, chart.ofKind("Secret").count(), "the defaults make no Secret");
        assertFalse(chart.text.contains("stringData"), "no stringData anywhere");
        assertEquals(2, chart.ofKind("Deployment").findFirst().orElseThrow().at("/spec/replicas").asInt());
        // the keys: by Secret name only
        assertEquals("swarmwatch-export-signing", chart.get("Deployment", DASHBOARD).at("/spec/template/spec/volumes").findParents("secretName")
                .stream().map(v -> v.path("secretName").asText()).filter(n -> n.contains("export")).findFirst().orElse(""));
    }

    @Test
    void probeRunsOnTapNodesInTheHostNetworkWithOnlyNetRawAndNetAdmin() {
        RenderedChart chart = RenderedChart.render("tls-sasl-kafka");
        JsonNode ds = chart.get("DaemonSet", PROBE);
        JsonNode pod = ds.at("/spec/template/spec");
        assertTrue(pod.path("hostNetwork").asBoolean(), "host network: the tap is a node interface");
        assertEquals("ClusterFirstWithHostNet", pod.path("dnsPolicy").asText());
        assertEquals("zrh-1", pod.at("/nodeSelector/swarmwatch.org~1tap").asText(), "node selector from values");
        assertEquals("tap", pod.at("/tolerations/0/value").asText());
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true));

        JsonNode sc = container(ds).path("securityContext");
        assertEquals(Set.of("NET_RAW", "NET_ADMIN"), strings(sc.at("/capabilities/add")), "exactly NET_RAW and NET_ADMIN added");
        assertEquals(Set.of("ALL"), strings(sc.at("/capabilities/drop")), "every other capability dropped");
        assertFalse(sc.path("privileged").asBoolean(true), "not privileged");
        assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true));
        assertTrue(sc.path("readOnlyRootFilesystem").asBoolean());
        assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText());

        List<String> args = args(container(ds));
        assertEquals("capture", args.get(0));
        assertTrue(args.contains("--interface=ens5f1"), args.toString());
        assertTrue(args.contains("--filter=tcp or udp and not port 53"), args.toString());
        assertTrue(args.contains("--subscriber-net=198.51.100.0/22,2001:db8:100::/40"), args.toString());
        assertTrue(args.contains("--observer=$(NODE_NAME)"), args.toString());
        assertTrue(args.contains("--kafka-partitions=24"), args.toString());
        assertTrue(args.contains("--no-kafka-create-topics"), args.toString());
        assertEquals("spec.nodeName", env(container(ds), "NODE_NAME").at("/valueFrom/fieldRef/fieldPath").asText());
    }

    @Test
    void probeTakesThePseudonymKeyFromTheNamedSecretOnly() {
        JsonNode c = container(RenderedChart.render().get("DaemonSet", PROBE));
        JsonNode key = env(c, "SWARMWATCH_PSEUDONYM_KEY");
        assertEquals("swarmwatch-pseudonym-key", key.at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("pseudonym.key", key.at("/valueFrom/secretKeyRef/key").asText());
        assertTrue(key.path("value").isMissingNode(), "never a value");
        assertTrue(args(c).stream().noneMatch(a -> a.startsWith("--subscriber-net")),
                "no subscriber networks given: the probe's default (every address pseudonymised)");
    }

    @Test
    void classifierAndDashboardRunAsNonRootWithoutCapabilitiesOnAReadOnlyRoot() {
        RenderedChart chart = RenderedChart.render();
        for (String name : List.of(CLASSIFIER, DASHBOARD)) {
            JsonNode d = chart.get("Deployment", name);
            JsonNode pod = d.at("/spec/template/spec");
            assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), name);
            assertTrue(pod.at("/securityContext/runAsUser").asInt() > 0, name);
            assertEquals("RuntimeDefault", pod.at("/securityContext/seccompProfile/type").asText(), name);
            JsonNode sc = container(d).path("securityContext");
            assertTrue(sc.path("runAsNonRoot").asBoolean(), name);
            assertEquals(Set.of("ALL"), strings(sc.at("/capabilities/drop")), name);
            assertTrue(sc.at("/capabilities/add").isMissingNode(), name + " adds no capability");
            assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), name);
            assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), name);
            assertFalse(pod.path("hostNetwork").asBoolean(false), name);
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tls-sasl-kafka", "ingress-hpa", "chart-made-credentials", "api-key-exports", "lab"})
    void everyContainerHasLivenessAndReadinessAndResources(String valueSet) {
        RenderedChart chart = valueSet.isEmpty() ? RenderedChart.render() : RenderedChart.render(valueSet);
        List<JsonNode> workloads = new ArrayList<>();
        chart.ofKind("DaemonSet").forEach(workloads::add);
        chart.ofKind("Deployment").forEach(workloads::add);
        assertFalse(workloads.isEmpty());
        for (JsonNode w : workloads) {
            String name = w.at("/metadata/name").asText();
            JsonNode c = container(w);
            assertFalse(c.path("livenessProbe").isMissingNode(), name + " liveness");
            assertFalse(c.path("readinessProbe").isMissingNode(), name + " readiness");
            assertFalse(c.at("/resources/requests/memory").isMissingNode(), name + " memory request");
            assertFalse(c.at("/resources/limits/memory").isMissingNode(), name + " memory limit");
            // the pod template carries the selector's labels, so the controller finds its pods
            JsonNode labels = w.at("/spec/template/metadata/labels");
            w.at("/spec/selector/matchLabels").fields().forEachRemaining(
                    e -> assertEquals(e.getValue().asText(), labels.path(e.getKey()).asText(), name + " label " + e.getKey()));
        }
    }

    /** The probe and the classifier are probed over HTTP on their health endpoints, on the port their arguments bind. */
    @Test
    void probeAndClassifierAreProbedOnTheirHealthEndpoints() {
        RenderedChart chart = RenderedChart.render();
        Map<JsonNode, Integer> components = new LinkedHashMap<>();
        components.put(chart.get("DaemonSet", PROBE), 9465);
        components.put(chart.get("Deployment", CLASSIFIER), 9466);
        for (Map.Entry<JsonNode, Integer> e : components.entrySet()) {
            JsonNode c = container(e.getKey());
            String name = e.getKey().at("/metadata/name").asText();
            assertEquals("health", c.at("/ports/0/name").asText(), name);
            assertEquals((int) e.getValue(), c.at("/ports/0/containerPort").asInt(), name);
            assertEquals("/health/live", c.at("/livenessProbe/httpGet/path").asText(), name);
            assertEquals("health", c.at("/livenessProbe/httpGet/port").asText(), name);
            assertEquals("/health/ready", c.at("/readinessProbe/httpGet/path").asText(), name);
            assertEquals("health", c.at("/readinessProbe/httpGet/port").asText(), name);
            assertEquals("/health/live", c.at("/startupProbe/httpGet/path").asText(), name);
            assertTrue(c.at("/livenessProbe/exec").isMissingNode(), name + ": no exec probe left");
            List<String> args = args(c);
            assertTrue(args.contains("--health-port=" + e.getValue()), name + " " + args);
            // the kubelet probes the pod's IP; 127.0.0.1, the command's default, would not answer it
            assertTrue(args.contains("--health-address=$(POD_IP)"), name + " " + args);
            assertEquals("status.podIP", env(c, "POD_IP").at("/valueFrom/fieldRef/fieldPath").asText(), name);
        }
    }

    @Test
    void dashboardIsProbedOnActuatorsKubernetesGroups() {
        JsonNode c = container(RenderedChart.render().get("Deployment", DASHBOARD));
        assertEquals("/actuator/health/liveness", c.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/actuator/health/readiness", c.at("/readinessProbe/httpGet/path").asText());
        assertEquals("http", c.at("/readinessProbe/httpGet/port").asText());
        assertEquals(8080, c.at("/ports/0/containerPort").asInt());
        assertEquals("/actuator/health/liveness", c.at("/startupProbe/httpGet/path").asText());
    }

    /**
     * Every secret-looking environment variable comes from a secretKeyRef, every password or key is
     * a mounted Secret file, and no credential given as a value appears in clear anywhere: only
     * base64-encoded, inside the Secrets the chart made of them.
     */
    @Test
    void credentialsAreReferencedNeverInlined() {
        Map<String, String> given = Map.of("probe-kafka-pw-7c1e", "sw-swarmwatch-kafka-probe",
                "classifier-kafka-pw-0d4b", "sw-swarmwatch-kafka-classifier",
                "dashboard-kafka-pw-e5a8", "sw-swarmwatch-kafka-dashboard",
                "classifier-es-pw-93aa", "sw-swarmwatch-es-classifier",
                "dashboard-es-pw-51f2", "sw-swarmwatch-es-dashboard");
        RenderedChart chart = RenderedChart.render("chart-made-credentials");
        given.forEach((password, secret) -> {
            assertFalse(chart.text.contains(password), "the password " + password + " in clear in the manifests");
            String stored = new String(Base64.getDecoder().decode(chart.get("Secret", secret).at("/data/password").asText()),
                    StandardCharsets.UTF_8);
            assertEquals(password, stored, secret);
        });
        // the classifier reads the ES user from the chart's Secret and the password from its mounted file
        JsonNode classifier = container(chart.get("Deployment", CLASSIFIER));
        assertEquals("sw-swarmwatch-es-classifier", env(classifier, "SWARMWATCH_ES_USER").at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("/etc/swarmwatch/es/password", env(classifier, "SWARMWATCH_ES_PASSWORD_FILE").path("value").asText());
        for (List<String> sets : allValueSets()) {
            assertSecretsReferenced(RenderedChart.render(sets, Map.of()), String.join(",", sets));
        }
    }

    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|PASSWORD|SECRET|TOKEN|USER).*");

    private static void assertSecretsReferenced(RenderedChart chart, String valueSet) {
        List<JsonNode> workloads = new ArrayList<>();
        chart.ofKind("DaemonSet").forEach(workloads::add);
        chart.ofKind("Deployment").forEach(workloads::add);
        for (JsonNode w : workloads) {
            for (JsonNode e : container(w).path("env")) {
                String name = e.path("name").asText();
                if (SECRET_NAME.matcher(name).matches() && !name.endsWith("_FILE")) {
                    assertFalse(e.at("/valueFrom/secretKeyRef/name").asText().isEmpty(),
                            valueSet + ": " + name + " of " + w.at("/metadata/name").asText() + " must come from a secretKeyRef: " + e);
                }
            }
            String options = env(container(w), "JAVA_TOOL_OPTIONS").path("value").asText();
            assertFalse(options.toLowerCase().contains("password"), valueSet + ": a password in JAVA_TOOL_OPTIONS: " + options);
        }
        // ConfigMaps carry settings and paths, never a credential
        chart.ofKind("ConfigMap").forEach(cm -> cm.path("data").fields().forEachRemaining(f -> {
            String text = f.getValue().asText();
            assertFalse(Pattern.compile("(?i)password\\s*[=:]\\s*[^$/\\s]").matcher(text.replace("password=\"${directory:", "")).find(),
                    valueSet + ": a password in ConfigMap " + cm.at("/metadata/name").asText() + ": " + text);
        }));
    }

    @Test
    void kafkaOverTlsAndSaslReadsCredentialsFromTheMountedSecretAtRunTime() {
        RenderedChart chart = RenderedChart.render("tls-sasl-kafka");
        String props = chart.get("ConfigMap", "sw-swarmwatch-kafka").at("/data/kafka.properties").asText();
        assertTrue(props.contains("security.protocol=SASL_SSL\n"), props);
        assertTrue(props.contains("sasl.mechanism=SCRAM-SHA-512\n"), props);
        assertTrue(props.contains("ssl.truststore.type=PEM\n"), props);
        assertTrue(props.contains("ssl.truststore.location=/etc/swarmwatch/kafka-tls/ca/ca.pem\n"), props);
        assertTrue(props.contains("ssl.keystore.location=/etc/swarmwatch/kafka-tls/keystore/keystore.pem\n"), props);
        assertTrue(props.contains("config.providers.directory.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider\n"), props);
        assertTrue(props.contains("sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"${directory:/etc/swarmwatch/kafka-sasl:username}\" password=\"${directory:/etc/swarmwatch/kafka-sasl:password}\";"),
                props);
        assertTrue(props.contains("client.rack=zrh-1\n"), props);
        // each component mounts its own Kafka user at the path the properties name
        assertEquals("kafka-user-swarmwatch-probe", volume(chart.get("DaemonSet", PROBE), "kafka-sasl").at("/secret/secretName").asText());
        assertEquals("kafka-user-swarmwatch-classifier",
                volume(chart.get("Deployment", CLASSIFIER), "kafka-sasl").at("/secret/secretName").asText());
        assertEquals("/etc/swarmwatch/kafka-sasl", mount(chart.get("DaemonSet", PROBE), "kafka-sasl").path("mountPath").asText());
        assertEquals("kafka-cluster-ca", volume(chart.get("Deployment", CLASSIFIER), "kafka-ca").at("/secret/secretName").asText());
        for (String w : List.of(PROBE, CLASSIFIER)) {
            JsonNode c = container(chart.ofKind("DaemonSet").filter(d -> w.equals(d.at("/metadata/name").asText())).findFirst()
                    .orElseGet(() -> chart.get("Deployment", w)));
            assertEquals("/etc/swarmwatch/kafka/kafka.properties", env(c, "SWARMWATCH_KAFKA_CONFIG").path("value").asText());
            assertEquals("kafka-0.kafka.svc:9093,kafka-1.kafka.svc:9093,kafka-2.kafka.svc:9093",
                    env(c, "SWARMWATCH_KAFKA").path("value").asText());
        }
        // Elasticsearch over https: the classifier's PEM CA, the dashboard's trust store
        assertTrue(args(container(chart.get("Deployment", CLASSIFIER))).contains("--es-ca-cert=/etc/swarmwatch/es-tls/ca.pem"));
        assertTrue(env(container(chart.get("Deployment", DASHBOARD)), "JAVA_TOOL_OPTIONS").path("value").asText()
                .contains("-Djavax.net.ssl.trustStore=/etc/swarmwatch/es-tls/truststore.p12"));
    }

    @Test
    void classifierGetsItsListsKeysAndSettingsAsOptions() {
        RenderedChart chart = RenderedChart.render();
        JsonNode d = chart.get("Deployment", CLASSIFIER);
        List<String> args = args(container(d));
        assertEquals("classifier", args.get(0));
        assertTrue(args.containsAll(List.of("--lists=/var/lib/swarmwatch/lists", "--trusted-keys=/etc/swarmwatch/list-keys",
                "--group=swarmwatch-classifier", "--es-index-prefix=swarmwatch-", "--retention-days=180")), args.toString());
        assertFalse(args.contains("--unsigned-lists"));
        assertEquals("swarmwatch-list-keys", volume(d, "list-keys").at("/secret/secretName").asText());
        assertEquals("swarmwatch-lists", volume(d, "lists").at("/persistentVolumeClaim/claimName").asText());
        assertEquals("https://elasticsearch:9200", env(container(d), "SWARMWATCH_ELASTICSEARCH").path("value").asText());

        JsonNode lab = RenderedChart.render("lab").get("Deployment", CLASSIFIER);
        assertTrue(args(container(lab)).contains("--unsigned-lists"));
        assertTrue(args(container(lab)).stream().noneMatch(a -> a.startsWith("--trusted-keys")));
        assertTrue(volume(lab, "es-credentials").isMissingNode(), "auth none: no credentials mounted");
    }

    @Test
    void ingressAndAutoscalerFollowTheValues() {
        RenderedChart chart = RenderedChart.render("ingress-hpa");
        JsonNode hpa = chart.get("HorizontalPodAutoscaler", CLASSIFIER);
        assertEquals(CLASSIFIER, hpa.at("/spec/scaleTargetRef/name").asText());
        assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
        assertEquals(12, hpa.at("/spec/maxReplicas").asInt());
        assertEquals(60, hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt());
        assertTrue(chart.get("Deployment", CLASSIFIER).at("/spec/replicas").isMissingNode(),
                "with an autoscaler the Deployment leaves the replica count to it");

        JsonNode ingress = chart.get("Ingress", DASHBOARD);
        assertEquals("nginx", ingress.at("/spec/ingressClassName").asText());
        assertEquals("swarmwatch.isp.example", ingress.at("/spec/rules/0/host").asText());
        assertEquals(DASHBOARD, ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText());
        assertEquals("http", ingress.at("/spec/rules/0/http/paths/0/backend/service/port/name").asText());
        assertEquals("swarmwatch-isp-example-tls", ingress.at("/spec/tls/0/secretName").asText());
        assertEquals("ingress-nginx", chart.get("NetworkPolicy", DASHBOARD)
                .at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText());
        JsonNode service = chart.get("Service", DASHBOARD);
        assertEquals("dashboard", service.at("/spec/selector/app.kubernetes.io~1component").asText());
    }

    @Test
    void networkPoliciesDenyByDefaultAndOpenOnlyWhatIsNeeded() {
        RenderedChart chart = RenderedChart.render("tls-sasl-kafka");
        JsonNode classifier = chart.get("NetworkPolicy", CLASSIFIER);
        assertEquals(Set.of("Ingress", "Egress"), strings(classifier.at("/spec/policyTypes")));
        assertEquals(0, classifier.at("/spec/ingress").size(), "nothing may connect to a classifier");
        Set<Integer> egressPorts = new HashSet<>();
        classifier.at("/spec/egress").forEach(rule -> rule.path("ports").forEach(p -> egressPorts.add(p.path("port").asInt())));
        assertEquals(Set.of(53, 9093, 9200), egressPorts);
        assertEquals("10.20.0.0/24", classifier.at("/spec/egress/1/to/0/ipBlock/cidr").asText());
        JsonNode dashboard = chart.get("NetworkPolicy", DASHBOARD);
        assertEquals(8080, dashboard.at("/spec/ingress/0/ports/0/port").asInt());
        assertEquals("dashboard", dashboard.at("/spec/podSelector/matchLabels/app.kubernetes.io~1component").asText());
        assertEquals(0, RenderedChart.render("lab").ofKind("NetworkPolicy").count(), "networkPolicy.enabled=false");
    }

    @Test
    void dashboardConfigurationNamesFilesNotSecrets() {
        RenderedChart chart = RenderedChart.render("api-key-exports");
        String app = chart.get("ConfigMap", DASHBOARD).at("/data/application.yaml").asText();
        assertTrue(app.contains("api-key-file: /etc/swarmwatch/es/api-key"), app);
        assertTrue(app.contains("users-file: /etc/swarmwatch/users/users.yaml"), app);
        assertTrue(app.contains("swarmwatch.exports.signing-key-file: /etc/swarmwatch/export-signing/signing-key.pem"), app);
        assertTrue(app.contains("org.swarmwatch: DEBUG"), app);
        JsonNode d = chart.get("Deployment", DASHBOARD);
        assertEquals("swarmwatch-export-signing", volume(d, "export-signing").at("/secret/secretName").asText());
        assertEquals("es-api-key-dashboard", volume(d, "es-credentials").at("/secret/secretName").asText());
        assertEquals("api-key", volume(d, "es-credentials").at("/secret/items/0/key").asText());
        assertEquals("swarmwatch-dashboard-users", volume(d, "users").at("/secret/secretName").asText());
        assertTrue(args(container(d)).contains("--spring.config.additional-location=file:/etc/swarmwatch/dashboard/"));
        JsonNode classifier = chart.get("Deployment", CLASSIFIER);
        assertEquals("swarmwatch-lists-small", volume(classifier, "lists").at("/configMap/name").asText());
        assertEquals("/etc/swarmwatch/es/api-key", env(container(classifier), "SWARMWATCH_ES_API_KEY_FILE").path("value").asText());
        assertTrue(args(container(classifier)).containsAll(List.of("--min-confidence=0.5", "--lookups-make-incidents")));
    }

    @Test
    void imagesComeFromValues() {
        RenderedChart chart = RenderedChart.render(List.of(), Map.of("probe.image.repository", "registry.isp.example/swarmwatch-pcap",
                "probe.image.tag", "0.1.0-pcap", "dashboard.image.repository", "registry.isp.example/swarmwatch-dashboard",
                "image.pullSecrets[0]", "isp-registry"));
        for (JsonNode w : List.of(chart.get("DaemonSet", PROBE), chart.get("Deployment", CLASSIFIER), chart.get("Deployment", DASHBOARD))) {
            assertEquals("isp-registry", w.at("/spec/template/spec/imagePullSecrets/0/name").asText(), w.at("/metadata/name").asText());
        }
        assertTrue(RenderedChart.render().get("DaemonSet", PROBE).at("/spec/template/spec/imagePullSecrets").isMissingNode());
        assertEquals("registry.isp.example/swarmwatch-pcap:0.1.0-pcap", container(chart.get("DaemonSet", PROBE)).path("image").asText());
        assertEquals("swarmwatch/swarmwatch:0.1.0-SNAPSHOT", container(chart.get("Deployment", CLASSIFIER)).path("image").asText(),
                "an empty tag is the chart's appVersion");
        assertEquals("registry.isp.example/swarmwatch-dashboard:0.1.0-SNAPSHOT",
                container(chart.get("Deployment", DASHBOARD)).path("image").asText());
    }

    private static JsonNode volume(JsonNode workload, String name) {
        for (JsonNode v : workload.at("/spec/template/spec/volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode mount(JsonNode workload, String name) {
        for (JsonNode m : container(workload).path("volumeMounts")) {
            if (name.equals(m.path("name").asText())) {
                return m;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
