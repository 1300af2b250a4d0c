package org.swarmwatch.probe.eval;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The report as plain-text tables, for a terminal. */
final class TextReport {
    private TextReport() {
    }

    static void write(EvalReport report, boolean perCapture, PrintStream out) {
        GroundTruth truth = report.truth();
        int captures = report.tools().get(0).captures().size();
        out.printf(Locale.ROOT, "%d capture(s) in %s scored against %s (%s)%n", captures, report.dir(), truth.manifest(), truth.format());
        out.println("truth: " + truth.description());
        out.println();
        List<String> protocols = protocols(report);
        out.printf(Locale.ROOT, "%-14s %-11s %9s %9s %7s %8s %10s%n", "P2P flows", "tool", "expected", "labelled", "right", "recall",
                "precision");
        for (String protocol : protocols) {
            for (Scorecard s : report.tools()) {
                FlowCount c = protocol == null ? s.allP2p() : s.byProtocol().getOrDefault(protocol, FlowCount.ZERO);
                out.printf(Locale.ROOT, "%-14s %-11s %9d %9d %7d %8s %10s%n", protocol == null ? "all P2P" : protocol, s.tool(),
                        c.expected(), c.detected(), c.truePositives(), ReportFormat.percent(c.recall()), ReportFormat.percent(c.precision()));
            }
        }
        out.println();
        out.printf(Locale.ROOT, "%-14s %-11s %9s %9s %7s %8s   %s%n", "content hashes", "tool", "visible", "found", "recall",
                "false", "kind: right/unspecific/wrong of known");
        for (Scorecard s : report.tools()) {
            HashScore h = s.hashes();
            out.printf(Locale.ROOT, "%-14s %-11s %9d %9d %7s %8d   %d/%d/%d of %d%n", "", s.tool(), h.visible(), h.found(),
                    ReportFormat.percent(h.recall()), h.falseHashes().size(), h.kindRight(), h.kindUnspecific(), h.kindWrong().size(),
                    h.kindKnown());
        }
        if (perCapture) {
            perCapture(report, out);
        }
        for (String s : report.skipped()) {
            out.println("skipped: " + s);
        }
    }

    /** The protocols to list: every one expected or labelled, then "all P2P" (null) when there are several. */
    static List<String> protocols(EvalReport report) {
        TreeSet<String> names = new TreeSet<>();
        report.tools().forEach(s -> names.addAll(s.byProtocol().keySet()));
        List<String> list = new ArrayList<>(names);
        if (list.size() != 1) {
            list.add(null);
        }
        return list;
    }

    private static void perCapture(EvalReport report, PrintStream out) {
        int width = 7;
        for (CaptureScore c : report.tools().get(0).captures()) {
            width = Math.max(width, c.capture().length());
        }
        String row = "%-" + width + "s %-11s %6s %9s %9s %6s %7s %6s %6s %12s  %s";
        out.println();
        out.println(String.format(Locale.ROOT, row, "capture", "tool", "flows", "expected", "labelled", "right", "hashes", "found",
                "false", "kinds r/u/w", "notes").stripTrailing());
        int n = report.tools().get(0).captures().size();
        for (int i = 0; i < n; i++) {
            for (Scorecard s : report.tools()) {
                CaptureScore c = s.captures().get(i);
                HashScore h = c.hashes();
                out.println(String.format(Locale.ROOT, row, c.capture(), s.tool(), c.flows(), c.allP2p().expected(),
                        c.allP2p().detected(), c.allP2p().truePositives(), h.visible(), h.found(), h.falseHashes().size(),
                        h.kindRight() + "/" + h.kindUnspecific() + "/" + h.kindWrong().size(),
                        String.join("; ", notes(c, s == report.tools().get(0)))).stripTrailing());
            }
        }
    }

    /** What a reader needs to see behind one capture's numbers; the truth's own note goes with the first tool. */
    static List<String> notes(CaptureScore c, boolean withTruthNote) {
        List<String> notes = new ArrayList<>();
        boolean onlyExpected = c.byProtocol().values().stream().allMatch(p -> p.detected() == 0 || p.expected() > 0);
        if (!onlyExpected || c.byProtocol().size() > 1) {
            for (Map.Entry<String, FlowCount> p : c.byProtocol().entrySet()) {
                notes.add(p.getKey() + " " + p.getValue().detected() + " labelled of " + p.getValue().expected());
            }
        }
        HashScore h = c.hashes();
        h.missed().forEach(x -> notes.add("missed " + x));
        h.falseHashes().forEach(x -> notes.add("false " + x));
        h.kindWrong().forEach(x -> notes.add("wrong kind " + x));
        if (withTruthNote && !c.note().isEmpty()) {
            notes.add("truth: " + c.note());
        }
        return notes;
    }
}
