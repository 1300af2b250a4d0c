package org.swarmwatch.dashboard.security;

import java.util.Set;

/** A person who may sign in: a name, the bcrypt hash of the password, and roles. */
public record DashboardUser(String username, String passwordHash, Set<Role> roles) {
    public DashboardUser {
        roles = Set.copyOf(roles);
    }

    @Override
    public String toString() {
        // never the hash, not even in a log line or an exception message
        return "DashboardUser[" + username + " " + roles + "]";
    }
}
