package org.swarmwatch.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import org.junit.jupiter.api.Test;

/** NOTES.txt, as {@code helm install} prints it (a client-only dry run: no cluster). */
class ChartNotesTest {

    private static String notes(String valueSet) {
        return notes(valueSet, java.util.Map.of());
    }

    private static String notes(String valueSet, java.util.Map<String, Object> sets) {
        InstallCommand install = new Helm(RenderedChart.chartDir()).install().withName(RenderedChart.RELEASE)
                .withNamespace(RenderedChart.NAMESPACE).withKubeVersion(RenderedChart.KUBE_VERSION).clientOnly().dryRun();
        if (valueSet != null) {
            install = install.withValuesFile(RenderedChart.valuesFile(valueSet));
        }
        for (var e : sets.entrySet()) {
            install = install.set(e.getKey(), e.getValue());
        }
        return install.call().getOutput();
    }

    @Test
    void notesNameEverySecretToCreateAndHowToReachTheDashboard() {
        String notes = notes(null);
        for (String expected : new String[] {
                "swarmwatch-pseudonym-key (key pseudonym.key)",
                "kubectl -n swarmwatch create secret generic swarmwatch-pseudonym-key --from-file=pseudonym.key=pseudonym.key",
                "swarmwatch-list-keys", "swarmwatch-dashboard-users (key users.yaml)",
                "swarmwatch-export-signing (key signing-key.pem): the Ed25519 key that signs exports",
                "swarmwatch-es-classifier: the classifier's Elasticsearch user (keys username, password)",
                "PersistentVolumeClaim swarmwatch-lists",
                "kubectl label node NODE swarmwatch.org/tap=true",
                "--describe --group swarmwatch-classifier",
                "port-forward service/sw-swarmwatch-dashboard 8080:80"}) {
            assertTrue(notes.contains(expected), "NOTES should say '" + expected + "':\n" + notes);
        }
    }

    @Test
    void notesFollowTheValues() {
        String notes = notes("tls-sasl-kafka");
        assertTrue(notes.contains("kafka-user-swarmwatch-probe: the probe's Kafka SASL user"), notes);
        assertTrue(notes.contains("kafka-user-swarmwatch-dashboard: the dashboard's Kafka SASL user"), notes);
        assertTrue(notes.contains("probe health shows the lag of consumer group swarmwatch-classifier, read from "
                + "kafka-0.kafka.svc:9093,kafka-1.kafka.svc:9093,kafka-2.kafka.svc:9093 as the dashboard's own Kafka user"), notes);
        assertTrue(notes.contains("(SASL_SSL), 24 partitions per probe topic"), notes);
        assertTrue(notes.contains("kafka-cluster-ca (key ca.crt): the Kafka cluster's CA certificate"), notes);
        assertTrue(notes.contains("es-http-truststore (key truststore.p12): the Elasticsearch trust store"), notes);
        String ingress = notes("ingress-hpa");
        assertTrue(ingress.contains("https://swarmwatch.isp.example/"), ingress);
        assertFalse(ingress.contains("port-forward"), ingress);
        assertTrue(ingress.contains("probe health shows the lag of consumer group swarmwatch-classifier, read from kafka:9092."), ingress);
        String noLag = notes("tls-sasl-kafka", java.util.Map.of("dashboard.kafkaLag.enabled", false));
        assertTrue(noLag.contains("probe health shows no Kafka consumer lag (dashboard.kafkaLag.enabled=false)"), noLag);
        assertFalse(noLag.contains("kafka-user-swarmwatch-dashboard"), "no dashboard Kafka user to create\n" + noLag);
        String lab = notes("lab");
        assertFalse(lab.contains("swarmwatch-list-keys"), "unsigned lists: no key Secret named\n" + lab);
        assertFalse(lab.contains("Dashboard:"), lab);
    }
}
