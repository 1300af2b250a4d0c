package org.swarmwatch.probe.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line on a terminal's standard error, redrawn at most five times a second: which file, how
 * far through it (by bytes, estimated from the frames read), packets and packets per second.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private boolean drawn;

    ProgressBar(PrintStream err) {
        this.err = err;
    }

    void update(String label, double fraction, long packets, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDrawNanos < 200_000_000L) {
            return;
        }
        lastDrawNanos = now;
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        StringBuilder sb = new StringBuilder("\r");
        if (fraction >= 0) {
            int filled = (int) Math.round(Math.min(1, fraction) * WIDTH);
            sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%3.0f%% ", Math.min(100, fraction * 100)));
        }
        sb.append(String.format(Locale.ROOT, "%,d packets  %,.0f packets/s  %s", packets, packets / seconds, label));
        String line = sb.length() > 120 ? sb.substring(0, 120) : sb.toString();
        err.print(line + "\u001b[K");
        err.flush();
        drawn = true;
    }

    void finish() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }
}
