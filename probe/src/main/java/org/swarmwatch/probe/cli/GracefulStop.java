package org.swarmwatch.probe.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.swarmwatch.probe.pipeline.CaptureRunner;

/**
 * Ctrl-C and SIGTERM stop a command cleanly: the running capture is cancelled, every flow still
 * in the table is written, and the output is flushed and closed before the JVM exits (waiting at
 * most {@value #WAIT_SECONDS} s). Open it before the output and close it after.
 */
final class GracefulStop implements AutoCloseable {
    private static final int WAIT_SECONDS = 10;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::stop, "swarmwatch-shutdown");
    private volatile CaptureRunner current;
    private volatile boolean requested;

    GracefulStop() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The runner to cancel on a stop request; cancelled at once if one came already. */
    void watch(CaptureRunner runner) {
        current = runner;
        if (requested) {
            runner.cancel();
        }
    }

    /** Whether a stop was requested (then no further capture should start). */
    boolean requested() {
        return requested;
    }

    /** Requests a stop as a signal would (used by --duration). */
    void stop() {
        requested = true;
        CaptureRunner runner = current;
        if (runner != null) {
            runner.cancel();
        }
        if (Thread.currentThread() == hook) {
            try {
                finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and the hook is waiting for us: nothing to remove
        }
    }
}
