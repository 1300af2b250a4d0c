package org.swarmwatch.probe.source;

/**
 * A capture that cannot start or cannot go on: a file that is not a capture, a truncated file, an
 * interface that cannot be opened. The message names the file or interface and, where known, the
 * position, so that a user can act on it without a stack trace.
 */
public final class CaptureException extends Exception {
    private final boolean environment;

    public CaptureException(String message) {
        this(message, false, null);
    }

    public CaptureException(String message, boolean environment, Throwable cause) {
        super(message, cause);
        this.environment = environment;
    }

    /** True when the machine, not the input, is at fault (libpcap missing, no permission to capture). */
    public boolean environment() {
        return environment;
    }
}
