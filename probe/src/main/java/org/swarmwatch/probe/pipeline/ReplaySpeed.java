package org.swarmwatch.probe.pipeline;

import java.util.Locale;

/**
 * How fast a capture file is replayed: as fast as possible ({@code max}), or at the recorded pace
 * times a factor ({@code 1x}, {@code 10x}, {@code 0.5x}).
 *
 * @param factor recorded time divided by replay time; 0 means as fast as possible
 */
public record ReplaySpeed(double factor) {
    public static final ReplaySpeed MAX = new ReplaySpeed(0);

    public ReplaySpeed {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("speed factor must be a positive number, got " + factor);
        }
    }

    public static ReplaySpeed parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("max")) {
            return MAX;
        }
        if (t.endsWith("x")) {
            try {
                double f = Double.parseDouble(t.substring(0, t.length() - 1));
                if (f > 0 && f <= 1_000_000) {
                    return new ReplaySpeed(f);
                }
            } catch (NumberFormatException e) {
                // fall through to the message
            }
        }
        throw new IllegalArgumentException("speed '" + text + "' must be max or a factor such as 1x, 10x, 0.5x (up to 1000000x)");
    }

    public boolean paced() {
        return factor > 0;
    }

    @Override
    public String toString() {
        return paced() ? factor + "x" : "max";
    }
}
