package org.swarmwatch.dashboard.security;

/**
 * The dashboard's roles (DESIGN.md, "Who uses it"). A person may hold several; none implies
 * another: an administrator reads incident evidence only with {@link #COMPLIANCE} too.
 */
public enum Role {
    /** Traffic aggregates, pseudonymous top subscribers, probe health. */
    OPERATOR,
    /** Incidents and their evidence, rights-holder list versions. */
    COMPLIANCE,
    /** Users and roles (later: keys, retention, the audit log); also the traffic views and metrics. */
    ADMIN
}
