package org.swarmwatch.events.health;

import java.time.Duration;
import java.util.Locale;

/**
 * When a loop last made progress. The loop calls {@link #beat()} each time round (a volatile write
 * of {@link System#nanoTime()}: cheap enough for once per batch, not meant for once per packet);
 * the {@link #check(Duration) liveness check} is down once the last beat is older than the stall
 * timeout. Before the first beat the loop is "starting", which counts as alive: a component's
 * start has its own bounds (connection timeouts), and readiness says when it is done.
 */
public final class Heartbeat {
    private final String what;
    private volatile long lastNanos;
    private volatile boolean started;

    /** @param what the loop, for the check's detail ("capture reader", "poll loop") */
    public Heartbeat(String what) {
        this.what = what;
    }

    /** The loop made progress (or waited as it should, e.g. for the next packet). Any thread. */
    public void beat() {
        lastNanos = System.nanoTime();
        if (!started) {
            started = true;
        }
    }

    /** Whether {@link #beat()} was called at least once. */
    public boolean started() {
        return started;
    }

    /** Time since the last beat; zero before the first. */
    public Duration age() {
        return started ? Duration.ofNanos(System.nanoTime() - lastNanos) : Duration.ZERO;
    }

    /** A check that is down when the last beat is older than {@code stallTimeout}. */
    public HealthCheck check(Duration stallTimeout) {
        return () -> {
            if (!started) {
                return HealthCheck.Status.up(what + " starting");
            }
            Duration age = age();
            String ago = seconds(age);
            return age.compareTo(stallTimeout) < 0
                    ? HealthCheck.Status.up(what + " made progress " + ago + " ago")
                    : HealthCheck.Status.down(what + " made no progress for " + ago + " (stall timeout " + seconds(stallTimeout) + ")");
        };
    }

    /** "1.5 s", for details. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
