package org.swarmwatch.probe.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The report as one JSON document. Ratios are numbers from 0 to 1, or null where undefined
 * (recall with nothing expected, precision with nothing labelled).
 */
final class JsonReport {
    private JsonReport() {
    }

    static void write(EvalReport report, boolean perCapture, PrintStream out) throws IOException {
        try (JsonGenerator g = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build().createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("manifest", report.truth().manifest().toString());
            g.writeStringField("format", report.truth().format());
            g.writeStringField("truth", report.truth().description());
            g.writeStringField("dir", report.dir().toString());
            g.writeNumberField("captures", report.tools().get(0).captures().size());
            strings(g, "skipped", report.skipped());
            strings(g, "not_in_manifest", report.notInManifest());
            g.writeArrayFieldStart("tools");
            for (Scorecard s : report.tools()) {
                g.writeStartObject();
                g.writeStringField("tool", s.tool());
                g.writeNumberField("flows", s.flows());
                flows(g, s.byProtocol(), s.allP2p());
                hashes(g, s.hashes());
                if (perCapture) {
                    g.writeArrayFieldStart("per_capture");
                    for (CaptureScore c : s.captures()) {
                        g.writeStartObject();
                        g.writeStringField("capture", c.capture());
                        g.writeNumberField("flows", c.flows());
                        if (c.truthFlows() >= 0) {
                            g.writeNumberField("truth_flows_all_transports", c.truthFlows());
                        }
                        flows(g, c.byProtocol(), c.allP2p());
                        hashes(g, c.hashes());
                        if (!c.note().isEmpty()) {
                            g.writeStringField("truth_note", c.note());
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.println();
        out.flush();
    }

    private static void flows(JsonGenerator g, Map<String, FlowCount> byProtocol, FlowCount all) throws IOException {
        g.writeObjectFieldStart("p2p_flows");
        for (Map.Entry<String, FlowCount> e : byProtocol.entrySet()) {
            count(g, e.getKey(), e.getValue());
        }
        count(g, "all", all);
        g.writeEndObject();
    }

    private static void count(JsonGenerator g, String name, FlowCount c) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("expected", c.expected());
        g.writeNumberField("detected", c.detected());
        g.writeNumberField("true_positives", c.truePositives());
        ratio(g, "recall", c.recall());
        ratio(g, "precision", c.precision());
        g.writeEndObject();
    }

    private static void hashes(JsonGenerator g, HashScore h) throws IOException {
        g.writeObjectFieldStart("hashes");
        g.writeNumberField("visible", h.visible());
        g.writeNumberField("found", h.found());
        ratio(g, "recall", h.recall());
        g.writeNumberField("false", h.falseHashes().size());
        g.writeNumberField("kind_known", h.kindKnown());
        g.writeNumberField("kind_right", h.kindRight());
        g.writeNumberField("kind_unspecific", h.kindUnspecific());
        g.writeNumberField("kind_wrong", h.kindWrong().size());
        strings(g, "missed_hashes", h.missed());
        strings(g, "false_hashes", h.falseHashes());
        strings(g, "wrong_kinds", h.kindWrong());
        g.writeEndObject();
    }

    private static void ratio(JsonGenerator g, String name, Double value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
