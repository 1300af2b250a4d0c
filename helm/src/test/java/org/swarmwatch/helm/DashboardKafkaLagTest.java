package org.swarmwatch.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.swarmwatch.helm.RenderedChart.args;
import static org.swarmwatch.helm.RenderedChart.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * The dashboard reads the classifier's Kafka consumer lag ({@code dashboard.kafkaLag}): its
 * Spring configuration names the cluster, the shared client properties and the classifier's group;
 * its pod mounts those properties, the TLS material and its own SASL user; its NetworkPolicy lets
 * it reach Kafka. The rendered configuration is bound, strictly, by Spring Boot's Binder to the
 * dashboard's own {@code KafkaSettings}, compiled from the dashboard module's source.
 */
class DashboardKafkaLagTest {

    static final String DASHBOARD = ChartTemplateTest.DASHBOARD;
    static final String CLASSIFIER = ChartTemplateTest.CLASSIFIER;
    static final Path KAFKA_SETTINGS = Path.of("../dashboard/src/main/java/org/swarmwatch/dashboard/kafka/KafkaSettings.java");
    private static final YAMLMapper YAML = new YAMLMapper();

    private static Class<?> kafkaSettings;

    /** The dashboard's KafkaSettings, compiled from its source against the Spring Boot on this class path. */
    @BeforeAll
    static void compileKafkaSettings(@TempDir Path classes) throws Exception {
        assertTrue(Files.isRegularFile(KAFKA_SETTINGS), "the dashboard's KafkaSettings at " + KAFKA_SETTINGS.toAbsolutePath());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String springBoot = Path.of(ConfigurationProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-d", classes.toString(), "-cp", springBoot, "-parameters", "-proc:none"), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(KAFKA_SETTINGS)).call();
        assertTrue(ok, "KafkaSettings.java does not compile: " + errors);
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, DashboardKafkaLagTest.class.getClassLoader());
        kafkaSettings = Class.forName("org.swarmwatch.dashboard.kafka.KafkaSettings", true, loader);
    }

    @Test
    void dashboardGetsTheClusterTheSharedPropertiesAndTheClassifiersGroup() throws Exception {
        RenderedChart chart = RenderedChart.render("tls-sasl-kafka");
        JsonNode kafka = applicationYaml(chart).at("/swarmwatch/kafka");
        assertEquals(Set.of("bootstrap-servers", "config-file", "groups", "timeout"), keys(kafka));
        assertEquals("kafka-0.kafka.svc:9093,kafka-1.kafka.svc:9093,kafka-2.kafka.svc:9093", kafka.path("bootstrap-servers").asText());
        assertEquals("/etc/swarmwatch/kafka/kafka.properties", kafka.path("config-file").asText());
        assertEquals("3s", kafka.path("timeout").asText());
        assertEquals("--group=" + kafka.path("groups").asText(), classifierGroupArg(chart), "the group the classifier consumes in");
        assertEquals("swarmwatch-classifier", kafka.path("groups").asText());

        // the config file is the shared Kafka ConfigMap, mounted where the configuration says
        JsonNode d = chart.get("Deployment", DASHBOARD);
        assertEquals("sw-swarmwatch-kafka", volume(d, "kafka-config").at("/configMap/name").asText());
        assertTrue(chart.get("ConfigMap", "sw-swarmwatch-kafka").at("/data/kafka.properties").isTextual());
        assertEquals(Path.of(kafka.path("config-file").asText()).getParent().toString(), mount(d, "kafka-config").path("mountPath").asText());
        assertTrue(mount(d, "kafka-config").path("readOnly").asBoolean());
        // TLS: the cluster CA and the client keystore, where the properties point
        String props = chart.get("ConfigMap", "sw-swarmwatch-kafka").at("/data/kafka.properties").asText();
        assertEquals("kafka-cluster-ca", volume(d, "kafka-ca").at("/secret/secretName").asText());
        assertTrue(props.contains("ssl.truststore.location=" + mount(d, "kafka-ca").path("mountPath").asText() + "/ca.pem\n"), props);
        assertEquals("swarmwatch-kafka-client", volume(d, "kafka-keystore").at("/secret/secretName").asText());
        assertTrue(props.contains("ssl.keystore.location=" + mount(d, "kafka-keystore").path("mountPath").asText() + "/keystore.pem\n"), props);
        // SASL: the dashboard's own user, at the path the properties read it from, not another component's
        assertEquals("kafka-user-swarmwatch-dashboard", volume(d, "kafka-sasl").at("/secret/secretName").asText());
        assertEquals("/etc/swarmwatch/kafka-sasl", mount(d, "kafka-sasl").path("mountPath").asText());
        assertTrue(props.contains("${directory:" + mount(d, "kafka-sasl").path("mountPath").asText() + ":password}"), props);
        // a changed Kafka ConfigMap restarts the dashboard as it does the classifier
        assertEquals(chart.get("Deployment", CLASSIFIER).at("/spec/template/metadata/annotations/checksum~1kafka-config").asText(),
                d.at("/spec/template/metadata/annotations/checksum~1kafka-config").asText());
        assertFalse(d.at("/spec/template/metadata/annotations/checksum~1kafka-config").asText().isEmpty());

        // the NetworkPolicy: the classifier's Kafka rule, for the dashboard too
        JsonNode kafkaRule = egressRuleWithPort(chart.get("NetworkPolicy", CLASSIFIER), 9093);
        assertEquals("10.20.0.0/24", kafkaRule.at("/to/0/ipBlock/cidr").asText());
        assertEquals(kafkaRule, egressRuleWithPort(chart.get("NetworkPolicy", DASHBOARD), 9093));
        assertEquals(Set.of(53, 9093, 9200), egressPorts(chart.get("NetworkPolicy", DASHBOARD)));
    }

    @Test
    void theRenderedConfigurationBindsToTheDashboardsKafkaSettingsWithNothingLeftOver() throws Exception {
        for (String valueSet : List.of("tls-sasl-kafka", "chart-made-credentials", "api-key-exports", "ingress-hpa")) {
            RenderedChart chart = RenderedChart.render(valueSet);
            Object settings = bind(chart.get("ConfigMap", DASHBOARD).at("/data/application.yaml").asText());
            assertEquals(bootstrapServers(valueSet), component(settings, "bootstrapServers"), valueSet);
            assertEquals(Path.of("/etc/swarmwatch/kafka/kafka.properties"), component(settings, "configFile"), valueSet);
            assertEquals(List.of(classifierGroupArg(chart).substring("--group=".length())), component(settings, "groups"), valueSet);
            assertEquals(Duration.ofSeconds(3), component(settings, "timeout"), valueSet);
        }
        // the group and the timeout follow the values
        RenderedChart chart = RenderedChart.render(List.of(), Map.of("classifier.consumerGroup", "isp-a.classifier",
                "dashboard.kafkaLag.timeout", "1500ms"));
        Object settings = bind(chart.get("ConfigMap", DASHBOARD).at("/data/application.yaml").asText());
        assertEquals(List.of("isp-a.classifier"), component(settings, "groups"));
        assertEquals("--group=isp-a.classifier", classifierGroupArg(chart));
        assertEquals(Duration.ofMillis(1500), component(settings, "timeout"));
        assertEquals("kafka:9092", component(settings, "bootstrapServers"));
    }

    /** The strict binding is not vacuous: a key KafkaSettings does not have is refused, naming it. */
    @Test
    void aKeyKafkaSettingsDoesNotBindIsRefused() {
        String app = RenderedChart.render().get("ConfigMap", DASHBOARD).at("/data/application.yaml").asText();
        assertTrue(app.contains("bootstrap-servers:"), app);
        Exception e = assertThrows(Exception.class, () -> bind(app.replace("bootstrap-servers:", "bootstrap-server:")));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("swarmwatch.kafka.bootstrap-server"), messages.toString());
    }

    @Test
    void chartMadeDashboardSaslUserIsASecretNeverInlined() {
        RenderedChart chart = RenderedChart.render("chart-made-credentials");
        assertFalse(chart.text.contains("dashboard-kafka-pw-e5a8"), "the dashboard's Kafka password in clear in the manifests");
        JsonNode secret = chart.get("Secret", "sw-swarmwatch-kafka-dashboard");
        assertEquals("dashboard-kafka-pw-e5a8", decode(secret.at("/data/password")));
        assertEquals("dashboard-user", decode(secret.at("/data/username")));
        assertEquals("dashboard", secret.at("/metadata/labels/app.kubernetes.io~1component").asText());
        JsonNode d = chart.get("Deployment", DASHBOARD);
        assertEquals("sw-swarmwatch-kafka-dashboard", volume(d, "kafka-sasl").at("/secret/secretName").asText());
        assertEquals(288, volume(d, "kafka-sasl").at("/secret/defaultMode").asInt(), "0440: owner and the pod's group only");
        assertTrue(volume(d, "kafka-ca").isMissingNode(), "no TLS: no CA mounted");
        String app = applicationYaml(chart).toString();
        assertFalse(app.contains("dashboard-user") || app.contains("pw-"), "no credential in the dashboard's configuration: " + app);
    }

    @Test
    void lagDisabledRendersNoneOfIt() throws Exception {
        RenderedChart chart = RenderedChart.render(List.of("tls-sasl-kafka"), Map.of("dashboard.kafkaLag.enabled", false));
        assertTrue(applicationYaml(chart).at("/swarmwatch/kafka").isMissingNode(), chart.get("ConfigMap", DASHBOARD).toString());
        assertEquals(null, component(bind(chart.get("ConfigMap", DASHBOARD).at("/data/application.yaml").asText()), "bootstrapServers"),
                "no bootstrap servers: the dashboard says the lag is unknown");
        JsonNode d = chart.get("Deployment", DASHBOARD);
        for (String name : List.of("kafka-config", "kafka-ca", "kafka-keystore", "kafka-sasl")) {
            assertTrue(volume(d, name).isMissingNode(), name + " volume");
            assertTrue(mount(d, name).isMissingNode(), name + " mount");
        }
        assertTrue(d.at("/spec/template/metadata/annotations/checksum~1kafka-config").isMissingNode());
        assertFalse(chart.get("Deployment", DASHBOARD).toString().contains("kafka-user-swarmwatch-dashboard"));
        assertEquals(Set.of(53, 9200), egressPorts(chart.get("NetworkPolicy", DASHBOARD)), "no egress to Kafka");
        // the classifier keeps its Kafka
        assertEquals(Set.of(53, 9093, 9200), egressPorts(chart.get("NetworkPolicy", CLASSIFIER)));

        // SASL on, lag off: no dashboard credentials needed, and none made from values given anyway
        RenderedChart noUser = RenderedChart.render(List.of("chart-made-credentials"), Map.of("dashboard.kafkaLag.enabled", false,
                "kafka.sasl.dashboard.username", "", "kafka.sasl.dashboard.password", ""));
        assertTrue(noUser.find("Secret", "sw-swarmwatch-kafka-dashboard").isEmpty());
        RenderedChart given = RenderedChart.render(List.of("chart-made-credentials"), Map.of("dashboard.kafkaLag.enabled", false));
        assertTrue(given.find("Secret", "sw-swarmwatch-kafka-dashboard").isEmpty(), "a Secret nobody mounts");
        given.find("Secret", "sw-swarmwatch-kafka-classifier").orElseThrow();
    }

    @Test
    void theSharedKafkaPropertiesAreRenderedForADashboardOnlyRelease() {
        RenderedChart dashboardOnly = RenderedChart.render(List.of("tls-sasl-kafka"), Map.of("probe.enabled", false, "classifier.enabled", false));
        assertTrue(dashboardOnly.find("DaemonSet", ChartTemplateTest.PROBE).isEmpty());
        assertTrue(dashboardOnly.find("Deployment", CLASSIFIER).isEmpty());
        assertTrue(dashboardOnly.get("ConfigMap", "sw-swarmwatch-kafka").at("/data/kafka.properties").asText().contains("security.protocol=SASL_SSL"));
        assertEquals("sw-swarmwatch-kafka", volume(dashboardOnly.get("Deployment", DASHBOARD), "kafka-config").at("/configMap/name").asText());
        assertEquals("swarmwatch-classifier", applicationYaml(dashboardOnly).at("/swarmwatch/kafka/groups").asText(),
                "the group of the classifiers the release would run (classifier.consumerGroup)");

        RenderedChart noKafkaClient = RenderedChart.render(List.of(), Map.of("probe.enabled", false, "classifier.enabled", false,
                "dashboard.kafkaLag.enabled", false));
        assertTrue(noKafkaClient.find("ConfigMap", "sw-swarmwatch-kafka").isEmpty(), "no Kafka client in the release: no Kafka properties");
        assertTrue(RenderedChart.render("lab").find("Secret", "sw-swarmwatch-kafka-dashboard").isEmpty());
    }

    private static String bootstrapServers(String valueSet) {
        return valueSet.equals("tls-sasl-kafka") ? "kafka-0.kafka.svc:9093,kafka-1.kafka.svc:9093,kafka-2.kafka.svc:9093" : "kafka:9092";
    }

    /**
     * The dashboard's application.yaml, loaded by Spring Boot's YAML loader and bound by its Binder
     * to KafkaSettings with the dashboard's conversions; any key under the prefix that KafkaSettings
     * does not bind fails the binding (NoUnboundElementsBindHandler).
     */
    private static Object bind(String applicationYaml) throws Exception {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yaml",
                new ByteArrayResource(applicationYaml.getBytes(StandardCharsets.UTF_8)));
        Binder binder = new Binder(ConfigurationPropertySources.from(sources), null, ApplicationConversionService.getSharedInstance());
        String prefix = kafkaSettings.getAnnotation(ConfigurationProperties.class).value();
        assertEquals("swarmwatch.kafka", prefix, "the prefix KafkaSettings binds");
        return binder.bindOrCreate(prefix, Bindable.of(kafkaSettings), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
    }

    private static Object component(Object settings, String name) throws Exception {
        return kafkaSettings.getMethod(name).invoke(settings);
    }

    /** The first document of the dashboard's application.yaml (the second, if any, is extraConfig). */
    private static JsonNode applicationYaml(RenderedChart chart) {
        try {
            return YAML.readTree(chart.get("ConfigMap", DASHBOARD).at("/data/application.yaml").asText());
        } catch (Exception e) {
            throw new AssertionError("the dashboard's application.yaml is not YAML", e);
        }
    }

    private static String classifierGroupArg(RenderedChart chart) {
        List<String> groups = new ArrayList<>(args(container(chart.get("Deployment", CLASSIFIER))).stream()
                .filter(a -> a.startsWith("--group")).toList());
        assertEquals(1, groups.size(), groups.toString());
        return groups.get(0);
    }

    private static JsonNode egressRuleWithPort(JsonNode policy, int port) {
        for (JsonNode rule : policy.at("/spec/egress")) {
            for (JsonNode p : rule.path("ports")) {
                if (p.path("port").asInt() == port) {
                    return rule;
                }
            }
        }
        return MissingNode.getInstance();
    }

    private static Set<Integer> egressPorts(JsonNode policy) {
        Set<Integer> ports = new HashSet<>();
        policy.at("/spec/egress").forEach(rule -> rule.path("ports").forEach(p -> ports.add(p.path("port").asInt())));
        return ports;
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new HashSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static String decode(JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
    }

    private static JsonNode volume(JsonNode workload, String name) {
        for (JsonNode v : workload.at("/spec/template/spec/volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return MissingNode.getInstance();
    }

    private static JsonNode mount(JsonNode workload, String name) {
        for (JsonNode m : container(workload).path("volumeMounts")) {
            if (name.equals(m.path("name").asText())) {
                return m;
            }
        }
        return MissingNode.getInstance();
    }
}
