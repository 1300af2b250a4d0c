package org.swarmwatch.events.health;

/**
 * One named check of a health endpoint. Called on the health server's single thread at every
 * request: it must answer at once from state the component keeps (a volatile field, a
 * timestamp), never do I/O or wait, and never name subscriber data in its detail.
 */
@FunctionalInterface
public interface HealthCheck {

    /** The check's state now; an exception counts as down. */
    Status check();

    /**
     * @param up     whether the check passes
     * @param detail a short sentence for the operator (why it is down, or what it saw)
     */
    record Status(boolean up, String detail) {
        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }
}
