package org.swarmwatch.dashboard.audit;

/** The audit log could not take a record that must precede an answer (503; the answer is not given). */
public class AuditUnavailableException extends RuntimeException {
    public AuditUnavailableException(String message) {
        super(message);
    }
}
