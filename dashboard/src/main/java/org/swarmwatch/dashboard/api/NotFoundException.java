package org.swarmwatch.dashboard.api;

/** What the path names does not exist: answered 404. */
public final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
