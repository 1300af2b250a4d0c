package org.swarmwatch.probe.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/** How a report is written: a table to read, Markdown for docs/accuracy.md, JSON for machines. */
public enum ReportFormat {
    TEXT {
        @Override
        public void write(EvalReport report, boolean perCapture, PrintStream out) {
            TextReport.write(report, perCapture, out);
        }
    },
    MARKDOWN {
        @Override
        public void write(EvalReport report, boolean perCapture, PrintStream out) {
            MarkdownReport.write(report, perCapture, out);
        }
    },
    JSON {
        @Override
        public void write(EvalReport report, boolean perCapture, PrintStream out) throws IOException {
            JsonReport.write(report, perCapture, out);
        }
    };

    /** Writes the summary, and with {@code perCapture} one entry per capture and tool. */
    public abstract void write(EvalReport report, boolean perCapture, PrintStream out) throws IOException;

    /** A fraction as a percentage with one decimal, or "-" where it is undefined (nothing expected, nothing labelled). */
    static String percent(Double fraction) {
        return fraction == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
