package org.swarmwatch.probe.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.probe.cli.SwarmwatchCommand;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.CollectingSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.CaptureRunner;
import org.swarmwatch.probe.pipeline.ProbePipeline;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.pipeline.ReplaySpeed;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;
import org.swarmwatch.probe.source.PcapFileSource;

/**
 * {@code swarmwatch eval} on two real lab captures: the figures it prints must be what the
 * manifest implies for the records the probe writes today, worked out here without the eval code.
 */
class EvalCommandTest {
    static final Path LAB = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared/bt-captures/pcaps").normalize();
    /** A capture with a connection attempt that carried nothing, and the hybrid torrent (two hashes, kinds). */
    static final List<String> CAPTURES = List.of("e1_magnet_aria2_transmission.pcap", "f2_hybrid_libtorrent_qbittorrent.pcap");

    @TempDir
    static Path dir;
    static Path manifest;

    @BeforeAll
    static void twoCapturesAndTheirManifestRows() throws IOException {
        List<String> lines = Files.readAllLines(LAB.resolve("MANIFEST.tsv"));
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        for (String name : CAPTURES) {
            Files.copy(LAB.resolve(name), dir.resolve(name));
            kept.addAll(lines.stream().filter(l -> l.startsWith(name + "\t")).toList());
        }
        manifest = Files.write(dir.resolve("MANIFEST.tsv"), kept);
    }

    record Run(int exitCode, String out, String err) {
    }

    static synchronized Run eval(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> all = new ArrayList<>(List.of("eval"));
            all.addAll(List.of(args));
            int code = SwarmwatchCommand.execute(all.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** What the manifest implies for one capture, given the probe's records. */
    record Expected(long flows, long expected, long labelled, long right, int visible, int found, int falseHashes, int kindKnown,
                    int kindRight) {
    }

    static Expected expected(String capture) throws Exception {
        List<String> lines = Files.readAllLines(manifest);
        List<String> h = List.of(lines.get(0).split("\t", -1));
        String[] row = lines.stream().filter(l -> l.startsWith(capture + "\t")).findFirst().orElseThrow().split("\t", -1);
        Set<String> visible = new HashSet<>();
        for (String column : List.of("seen_in_handshake", "seen_in_tracker", "seen_in_dht_announce_peer")) {
            for (String x : row[h.indexOf(column)].split(",")) {
                if (!x.equals("-")) {
                    visible.add(x);
                }
            }
        }
        Map<String, String> kinds = new HashMap<>();
        String v1 = row[h.indexOf("infohash_v1")], v2 = row[h.indexOf("infohash_v2_sha256")];
        if (!v1.equals("-")) {
            kinds.put(v1, "btih_v1");
        }
        if (!v2.equals("-")) {
            kinds.put(v2, "btih_v2");
            kinds.put(v2.substring(0, 40), "btih_v2_truncated");
        }

        Map<String, Boolean> flows = new HashMap<>(); // 5-tuple -> labelled bittorrent by some record
        Map<String, Set<String>> reported = new HashMap<>();
        for (ProbeRecord r : replay(dir.resolve(capture))) {
            if (r instanceof FlowRecord f && (f.transport().equals("tcp") || f.transport().equals("udp"))) {
                assertTrue(f.source().ip().startsWith("10.77.0.") && f.destination().ip().startsWith("10.77.0."), "lab captures only");
                TreeSet<String> ends = new TreeSet<>(List.of(f.source().ip() + ":" + f.source().port(),
                        f.destination().ip() + ":" + f.destination().port()));
                flows.merge(f.transport() + " " + ends, f.protocol().equals("bittorrent"), Boolean::logicalOr);
            } else if (r instanceof ObservationRecord o) {
                reported.computeIfAbsent(o.hash().hex(), x -> new HashSet<>()).add(o.hash().kind().wireName());
            }
        }
        long labelled = flows.values().stream().filter(b -> b).count();
        int found = (int) visible.stream().filter(reported::containsKey).count();
        int falseHashes = (int) reported.keySet().stream().filter(x -> !kinds.containsKey(x)).count();
        int kindKnown = 0, kindRight = 0;
        for (Map.Entry<String, Set<String>> e : reported.entrySet()) {
            if (kinds.containsKey(e.getKey())) {
                kindKnown++;
                Set<String> definite = new HashSet<>(e.getValue());
                definite.remove("btih");
                if (definite.equals(Set.of(kinds.get(e.getKey())))) {
                    kindRight++;
                }
            }
        }
        // every flow among the lab's hosts is BitTorrent: expected = all of them
        return new Expected(flows.size(), flows.size(), labelled, labelled, visible.size(), found, falseHashes, kindKnown, kindRight);
    }

    static List<ProbeRecord> replay(Path capture) throws Exception {
        CollectingSink sink = new CollectingSink();
        ProbeSettings settings = new ProbeSettings("test", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()), AddressMode.RAW),
                Duration.ofSeconds(60));
        ProbePipeline pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
        try (PcapFileSource source = new PcapFileSource(capture)) {
            new CaptureRunner(source, pipeline, ReplaySpeed.MAX).run(null);
        }
        return sink.records();
    }

    @Test
    void theFiguresPrintedFollowFromTheManifestForWhatTheProbeFinds() throws Exception {
        Path ndpi = Files.createDirectories(dir.resolve("ndpi"));
        // ndpiReader's saved output: the transfer with its hash, a tracker flow it could not label; nothing for f2
        Files.writeString(ndpi.resolve(CAPTURES.get(0) + ".txt"), """
                \t1\tTCP 10.77.0.12:57721 <-> 10.77.0.11:6881 [proto: 37/BitTorrent][ClearText][BT Hash: 94eaa05c6b9afc7cb63ba58b12c194ba401cd9a0]
                \t2\tTCP 10.77.0.11:40681 <-> 10.77.0.1:6969 [proto: 0/Unknown][ClearText][Confidence: Unknown]
                """);
        Files.writeString(ndpi.resolve(CAPTURES.get(1) + ".txt"), "");

        Run run = eval(dir.toString(), "--manifest", manifest.toString(), "--ndpi-output", ndpi.toString(), "--format", "json",
                "--per-capture");

        assertEquals(0, run.exitCode(), run.err());
        Map<String, Object> report = Json.parse(run.out());
        List<Object> tools = Json.list(report.get("tools"));
        Map<String, Object> probe = Json.map(tools.get(0)), ndpiReader = Json.map(tools.get(1));
        assertEquals("swarmwatch", probe.get("tool"));
        Expected total = new Expected(0, 0, 0, 0, 0, 0, 0, 0, 0);
        List<Object> perCapture = Json.list(probe.get("per_capture"));
        for (int i = 0; i < CAPTURES.size(); i++) {
            Expected e = expected(CAPTURES.get(i));
            Map<String, Object> c = Json.map(perCapture.get(i));
            assertEquals(CAPTURES.get(i), c.get("capture"));
            assertFigures(e, c);
            total = new Expected(total.flows + e.flows, total.expected + e.expected, total.labelled + e.labelled, total.right + e.right,
                    total.visible + e.visible, total.found + e.found, total.falseHashes + e.falseHashes, total.kindKnown + e.kindKnown,
                    total.kindRight + e.kindRight);
        }
        assertFigures(total, probe);
        assertTrue(total.expected > total.labelled, "e1 holds a connection attempt that carried nothing: a miss, which the test needs");

        Map<String, Object> n = Json.map(Json.map(ndpiReader.get("p2p_flows")).get("bittorrent"));
        assertEquals(List.of(2L, 1L, 1L), List.of(n.get("expected"), n.get("detected"), n.get("true_positives")));
        Map<String, Object> nh = Json.map(ndpiReader.get("hashes"));
        assertEquals(List.of(3L, 1L, 0L, 1L, 0L, 1L), List.of(nh.get("visible"), nh.get("found"), nh.get("false"), nh.get("kind_known"),
                nh.get("kind_right"), nh.get("kind_unspecific")));

        Run text = eval(dir.toString(), "--manifest", manifest.toString(), "-q");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().matches("(?s).*\\nbittorrent +swarmwatch +" + total.expected + " +" + total.labelled + " +" + total.right + " .*"),
                text.out());
    }

    static void assertFigures(Expected e, Map<String, Object> tool) {
        Map<String, Object> flows = Json.map(Json.map(tool.get("p2p_flows")).get("bittorrent"));
        Map<String, Object> hashes = Json.map(tool.get("hashes"));
        assertEquals(e.flows, tool.get("flows"));
        assertEquals(List.of(e.expected, e.labelled, e.right), List.of(flows.get("expected"), flows.get("detected"), flows.get("true_positives")));
        assertEquals((double) e.right / e.expected, flows.get("recall"));
        assertEquals(List.of((long) e.visible, (long) e.found, (long) e.falseHashes, (long) e.kindKnown, (long) e.kindRight),
                List.of(hashes.get("visible"), hashes.get("found"), hashes.get("false"), hashes.get("kind_known"), hashes.get("kind_right")));
    }

    @Test
    void unusableInputIsExitCodeOneWithThePlaceNamed(@TempDir Path other) throws IOException {
        Path bad = Files.writeString(other.resolve("bad.tsv"), "file\tseen_in_handshake\tinfohash_v1\tinfohash_v2_sha256\n"
                + "x.pcap\tnot-a-hash\t" + "a".repeat(40) + "\t-\n");
        Run run = eval(other.toString(), "--manifest", bad.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("bad.tsv: line 2, column seen_in_handshake: 'not-a-hash'"), run.err());

        Run missing = eval(dir.toString(), "--manifest", manifest.toString(), "--ndpi-output", other.toString(), "-q");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no saved ndpiReader output for " + CAPTURES.get(0)), missing.err());

        assertEquals(2, eval(dir.toString(), "--manifest", manifest.toString(), "--format", "xml").exitCode());
        assertEquals(2, eval(dir.toString(), "--manifest", manifest.toString(), "--ndpi", "--ndpi-output", other.toString()).exitCode());
    }

    /** Just enough JSON reading for the report: objects, arrays, strings, numbers, null. */
    static final class Json {
        static Map<String, Object> parse(String text) throws IOException {
            try (JsonParser p = new JsonFactory().createParser(text)) {
                p.nextToken();
                return map(value(p));
            }
        }

        private static Object value(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT) {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                return m;
            }
            if (t == JsonToken.START_ARRAY) {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            return switch (t) {
                case VALUE_NUMBER_INT -> p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_NULL -> null;
                default -> p.getText();
            };
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> map(Object o) {
            return (Map<String, Object>) o;
        }

        @SuppressWarnings("unchecked")
        static List<Object> list(Object o) {
            return (List<Object>) o;
        }
    }
}
