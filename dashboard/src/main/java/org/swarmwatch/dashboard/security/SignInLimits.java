package org.swarmwatch.dashboard.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code swarmwatch.dashboard.sign-in.*}: how many failed sign-ins (a wrong password, an unknown
 * user) are taken before further attempts are refused unchecked until the window has passed
 * ({@link SignInThrottle}).
 *
 * @param maxFailures failures of one user name from one client address within the window
 * @param maxFailuresPerAddress failures of any user names from one client address within the window
 * @param window how long failures count, from the first one; the refusal lasts until it ends
 * @param maxTracked user name and address pairs (and addresses) remembered at most; the least
 *     recently failing are forgotten first
 */
@ConfigurationProperties("swarmwatch.dashboard.sign-in")
public record SignInLimits(@DefaultValue("5") int maxFailures, @DefaultValue("20") int maxFailuresPerAddress,
                           @DefaultValue("15m") Duration window, @DefaultValue("10000") int maxTracked) {

    public SignInLimits {
        if (maxFailures < 1 || maxFailuresPerAddress < 1 || maxTracked < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("swarmwatch.dashboard.sign-in: max-failures, max-failures-per-address and max-tracked must be "
                    + "at least 1 and window positive, got " + maxFailures + ", " + maxFailuresPerAddress + ", " + maxTracked + ", " + window);
        }
    }
}
