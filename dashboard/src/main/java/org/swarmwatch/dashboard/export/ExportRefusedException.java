package org.swarmwatch.dashboard.export;

/** An export the dashboard will not make, with the HTTP status to answer and a sentence saying why and what to do. */
public final class ExportRefusedException extends RuntimeException {
    private final int status;

    public ExportRefusedException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
