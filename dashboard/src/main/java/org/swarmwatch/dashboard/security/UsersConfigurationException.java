package org.swarmwatch.dashboard.security;

/** The users are not configured, or their file is wrong: the dashboard does not start. */
public final class UsersConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsersConfigurationException(String message) {
        super(message);
    }

    public UsersConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
