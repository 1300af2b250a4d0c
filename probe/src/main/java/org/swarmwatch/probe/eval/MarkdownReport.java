package org.swarmwatch.probe.eval;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The report as Markdown tables with the tools side by side, as docs/accuracy.md shows it. */
final class MarkdownReport {
    private MarkdownReport() {
    }

    static void write(EvalReport report, boolean perCapture, PrintStream out) {
        List<Scorecard> tools = report.tools();
        StringBuilder head = new StringBuilder("| P2P flows | expected |");
        StringBuilder rule = new StringBuilder("|---|--:|");
        for (Scorecard s : tools) {
            head.append(' ').append(s.tool()).append(": labelled | right | recall | precision |");
            rule.append("--:|--:|--:|--:|");
        }
        out.println(head);
        out.println(rule);
        for (String protocol : TextReport.protocols(report)) {
            Function<Scorecard, FlowCount> count = s -> protocol == null ? s.allP2p() : s.byProtocol().getOrDefault(protocol, FlowCount.ZERO);
            StringBuilder row = new StringBuilder("| ").append(protocol == null ? "all P2P" : protocol).append(" | ")
                    .append(same(tools, s -> String.valueOf(count.apply(s).expected()))).append(" |");
            for (Scorecard s : tools) {
                FlowCount c = count.apply(s);
                row.append(' ').append(c.detected()).append(" | ").append(c.truePositives()).append(" | ")
                        .append(ReportFormat.percent(c.recall())).append(" | ").append(ReportFormat.percent(c.precision())).append(" |");
            }
            out.println(row);
        }
        out.println();
        out.println("| content hashes |" + tools.stream().map(s -> " " + s.tool() + " |").collect(Collectors.joining()));
        out.println("|---|" + "--:|".repeat(tools.size()));
        out.println(hashRow(tools, "visible", h -> String.valueOf(h.visible())));
        out.println(hashRow(tools, "found (recall)", h -> h.found() + " (" + ReportFormat.percent(h.recall()) + ")"));
        out.println(hashRow(tools, "false hashes", h -> String.valueOf(h.falseHashes().size())));
        out.println(hashRow(tools, "kind right / unspecific / wrong (of those with a known kind)",
                h -> h.kindRight() + " / " + h.kindUnspecific() + " / " + h.kindWrong().size() + " (of " + h.kindKnown() + ")"));
        if (perCapture) {
            perCapture(report, out);
        }
        for (String s : report.skipped()) {
            out.println();
            out.println("Skipped: " + s);
        }
    }

    private static String hashRow(List<Scorecard> tools, String name, Function<HashScore, String> cell) {
        return "| " + name + " |" + tools.stream().map(s -> " " + cell.apply(s.hashes()) + " |").collect(Collectors.joining());
    }

    /** One value when every tool has the same, else each tool's, in the tools' order. */
    private static String same(List<Scorecard> tools, Function<Scorecard, String> value) {
        List<String> values = tools.stream().map(value).toList();
        return values.stream().distinct().count() == 1 ? values.get(0) : String.join(" / ", values);
    }

    private static void perCapture(EvalReport report, PrintStream out) {
        List<Scorecard> tools = report.tools();
        out.println();
        StringBuilder head = new StringBuilder("| capture | P2P flows expected |");
        StringBuilder rule = new StringBuilder("|---|--:|");
        for (Scorecard s : tools) {
            head.append(' ').append(s.tool()).append(": labelled (right) |");
            rule.append("--:|");
        }
        head.append(" hashes visible |");
        rule.append("--:|");
        for (Scorecard s : tools) {
            head.append(' ').append(s.tool()).append(": found, false |");
            rule.append("--:|");
        }
        out.println(head.append(" notes |"));
        out.println(rule.append("---|"));
        for (int i = 0; i < tools.get(0).captures().size(); i++) {
            int at = i;
            CaptureScore first = tools.get(0).captures().get(i);
            StringBuilder row = new StringBuilder("| ").append(first.capture()).append(" | ")
                    .append(same(tools, s -> String.valueOf(s.captures().get(at).allP2p().expected()))).append(" |");
            for (Scorecard s : tools) {
                FlowCount c = s.captures().get(i).allP2p();
                row.append(' ').append(c.detected()).append(" (").append(c.truePositives()).append(") |");
            }
            row.append(' ').append(first.hashes().visible()).append(" |");
            for (Scorecard s : tools) {
                HashScore h = s.captures().get(i).hashes();
                row.append(' ').append(h.found()).append(", ").append(h.falseHashes().size()).append(" |");
            }
            List<String> notes = new ArrayList<>();
            for (Scorecard s : tools) {
                List<String> n = TextReport.notes(s.captures().get(i), false);
                if (!n.isEmpty()) {
                    notes.add(s.tool() + ": " + String.join("; ", n));
                }
            }
            if (!first.note().isEmpty()) {
                notes.add("truth: " + first.note());
            }
            out.println(row.append(' ').append(String.join("<br>", notes).replace("|", "\\|")).append(" |"));
        }
    }
}
