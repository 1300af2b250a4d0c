package org.swarmwatch.dashboard.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a users configuration error into Spring Boot's short "APPLICATION FAILED TO START" report. */
final class UsersConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<UsersConfigurationException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UsersConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), "Set " + UsersFile.PROPERTY + " to a users file (docs/dashboard.md, \"Users\"), "
                + "or, to try the dashboard out, run it with the 'demo' profile, which makes one user per role with a random password.",
                cause);
    }
}
