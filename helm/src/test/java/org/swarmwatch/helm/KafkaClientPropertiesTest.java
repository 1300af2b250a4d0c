package org.swarmwatch.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka client properties the chart renders (no credential in them) resolve, in the real
 * Kafka client, to the SASL credentials of a Secret mounted the way the kubelet mounts one
 * (files that are symbolic links into a {@code ..data} directory).
 */
class KafkaClientPropertiesTest {

    @Test
    void saslCredentialsResolveFromTheMountedSecretInProducerConsumerAndAdmin(@TempDir Path dir) throws Exception {
        Path secret = mountSecret(dir, Map.of("username", "swarmwatch-probe", "password", "s3cret/with spaces"));
        Map<String, Object> config = properties("tls-sasl-kafka", secret);
        assertEquals("SASL_SSL", config.get("security.protocol"));
        String expected = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"swarmwatch-probe\" "
                + "password=\"s3cret/with spaces\";";

        Map<String, Object> producer = new HashMap<>(config);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        ProducerConfig p = new ProducerConfig(producer);
        assertEquals(expected, p.getPassword("sasl.jaas.config").value());
        assertEquals("SCRAM-SHA-512", p.getString("sasl.mechanism"));
        assertEquals("PEM", p.getString("ssl.truststore.type"));

        Map<String, Object> consumer = new HashMap<>(config);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        assertEquals(expected, new ConsumerConfig(consumer).getPassword("sasl.jaas.config").value());
        assertEquals(expected, new AdminClientConfig(config).getPassword("sasl.jaas.config").value());
    }

    /**
     * The dashboard's consumer lag: the file its configuration names is the shared properties the
     * pod mounts there, and its Admin client (built as ConsumerLag builds it: the file, then the
     * bootstrap servers) logs in as the dashboard's own user, from its own Secret.
     */
    @Test
    void theDashboardsAdminClientLogsInAsTheDashboardsOwnUser(@TempDir Path dir) throws Exception {
        RenderedChart chart = RenderedChart.render("tls-sasl-kafka");
        var dashboard = chart.get("Deployment", ChartTemplateTest.DASHBOARD);
        String app = chart.get("ConfigMap", ChartTemplateTest.DASHBOARD).at("/data/application.yaml").asText();
        var kafka = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(app).at("/swarmwatch/kafka");
        Path configFile = Path.of(kafka.path("config-file").asText());
        String configMap = null;
        String mountPath = null;
        for (var v : dashboard.at("/spec/template/spec/volumes")) {
            if (v.path("name").asText().equals("kafka-config")) {
                configMap = v.at("/configMap/name").asText();
            }
        }
        for (var m : RenderedChart.container(dashboard).path("volumeMounts")) {
            if (m.path("name").asText().equals("kafka-config")) {
                mountPath = m.path("mountPath").asText();
            }
        }
        assertEquals(Path.of(mountPath), configFile.getParent(), "the config file is in the mounted ConfigMap");
        String text = chart.get("ConfigMap", configMap).at("/data/" + configFile.getFileName()).asText();
        assertTrue(text.contains("security.protocol=SASL_SSL"), text);

        Path secret = mountSecret(dir, Map.of("username", "swarmwatch-dashboard", "password", "lag-only"));
        Map<String, Object> config = load(text, secret);
        config.put("bootstrap.servers", kafka.path("bootstrap-servers").asText());
        AdminClientConfig admin = new AdminClientConfig(config);
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"swarmwatch-dashboard\" password=\"lag-only\";",
                admin.getPassword("sasl.jaas.config").value());
        assertEquals(java.util.List.of("kafka-0.kafka.svc:9093", "kafka-1.kafka.svc:9093", "kafka-2.kafka.svc:9093"),
                admin.getList("bootstrap.servers"));
        assertEquals("PEM", admin.getString("ssl.truststore.type"));
    }

    @Test
    void plainAndScram256PickTheirLoginModules(@TempDir Path dir) throws Exception {
        Path secret = mountSecret(dir, Map.of("username", "u", "password", "p"));
        Map<String, Object> scram256 = properties("chart-made-credentials", secret);
        assertEquals("SCRAM-SHA-256", scram256.get("sasl.mechanism"));
        assertEquals("SASL_PLAINTEXT", scram256.get("security.protocol"));
        assertTrue(new AdminClientConfig(scram256).getPassword("sasl.jaas.config").value()
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\""));

        String text = RenderedChart.render(java.util.List.of("chart-made-credentials"), Map.of("kafka.sasl.mechanism", "PLAIN"))
                .get("ConfigMap", "sw-swarmwatch-kafka").at("/data/kafka.properties").asText();
        Map<String, Object> plain = load(text, secret);
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";",
                new AdminClientConfig(plain).getPassword("sasl.jaas.config").value());
    }

    @Test
    void withoutTlsAndSaslThePropertiesSayPlaintextOnly() throws Exception {
        String text = RenderedChart.render().get("ConfigMap", "sw-swarmwatch-kafka").at("/data/kafka.properties").asText();
        Properties p = new Properties();
        p.load(new StringReader(text));
        assertEquals(Map.of("security.protocol", "PLAINTEXT"), Map.copyOf(p));
        assertFalse(text.contains("sasl"));
    }

    private static Map<String, Object> properties(String valueSet, Path secret) throws Exception {
        String text = RenderedChart.render(valueSet).get("ConfigMap", "sw-swarmwatch-kafka").at("/data/kafka.properties").asText();
        assertFalse(text.contains("s3cret") || text.contains("\"p\""), "no credential in the ConfigMap");
        return load(text, secret);
    }

    /** Read as the probe and the classifier read --kafka-config (java.util.Properties), the mount path moved to the test's. */
    private static Map<String, Object> load(String text, Path secret) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text.replace("/etc/swarmwatch/kafka-sasl", secret.toString())));
        Map<String, Object> config = new HashMap<>();
        p.forEach((k, v) -> config.put((String) k, v));
        config.put("bootstrap.servers", "127.0.0.1:9");
        return config;
    }

    /** A Secret volume as the kubelet lays it out: KEY -> ..data/KEY, ..data -> ..TIMESTAMP/. */
    private static Path mountSecret(Path dir, Map<String, String> data) throws Exception {
        Path mount = Files.createDirectories(dir.resolve("kafka-sasl"));
        Path version = Files.createDirectories(mount.resolve("..2026_11_23_12_00_00.000000001"));
        Files.createSymbolicLink(mount.resolve("..data"), version.getFileName());
        for (Map.Entry<String, String> e : data.entrySet()) {
            Files.writeString(version.resolve(e.getKey()), e.getValue());
            Files.createSymbolicLink(mount.resolve(e.getKey()), Path.of("..data", e.getKey()));
        }
        return mount;
    }
}
