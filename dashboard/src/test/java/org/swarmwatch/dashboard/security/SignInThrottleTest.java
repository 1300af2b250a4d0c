package org.swarmwatch.dashboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The counting of failed sign-ins: per user and address, per address, the window, success, and the memory bound. */
class SignInThrottleTest {
    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final TestClock clock = new TestClock();
    final SignInThrottle throttle = new SignInThrottle(new SignInLimits(3, 5, Duration.ofMinutes(15), 100), clock);

    @Test
    void aUserFromAnAddressIsPausedAfterTheLimitUntilTheWindowEnds() {
        throttle.failed("carla", "10.0.0.1");
        throttle.failed("Carla", "10.0.0.1"); // the user store compares names without case
        assertNull(throttle.refusal("carla", "10.0.0.1"), "two failures of three");
        clock.now = clock.now.plusSeconds(60);
        throttle.failed("carla", "10.0.0.1");
        SignInThrottle.Refusal r = throttle.refusal("carla", "10.0.0.1");
        assertNotNull(r);
        assertEquals(14 * 60, r.retryAfterSeconds(), "until 15 minutes after the first failure");
        assertEquals("too many failed sign-ins for this user from this address; try again in 14 min", r.message());
        assertNull(throttle.refusal("carla", "10.0.0.2"), "not from another address: nobody can lock a colleague out from elsewhere");
        assertNull(throttle.refusal("dieter", "10.0.0.1"), "nor another user from the same address");
        clock.now = clock.now.plus(Duration.ofMinutes(14));
        assertNull(throttle.refusal("carla", "10.0.0.1"), "the window has ended");
        throttle.failed("carla", "10.0.0.1");
        assertNull(throttle.refusal("carla", "10.0.0.1"), "a new window, counting from one");
    }

    @Test
    void manyUserNamesFromOneAddressPauseThatAddress() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.0.0.9");
        }
        SignInThrottle.Refusal r = throttle.refusal("someone-else", "10.0.0.9");
        assertNotNull(r);
        assertEquals("too many failed sign-ins from this address; try again in 15 min", r.message());
        assertNull(throttle.refusal("someone-else", "10.0.0.8"));
    }

    @Test
    void memoryIsBoundedAndTheLeastRecentlyFailingAreForgottenFirst() {
        SignInThrottle small = new SignInThrottle(new SignInLimits(2, 1000, Duration.ofMinutes(15), 10), clock);
        small.failed("carla", "10.0.0.1");
        small.failed("carla", "10.0.0.1");
        assertNotNull(small.refusal("carla", "10.0.0.1"));
        for (int i = 0; i < 20; i++) { // each failure adds a pair and an address entry: the bound of 10 keeps the newest
            small.failed("u" + i, "10.1.0." + i);
        }
        assertNull(small.refusal("carla", "10.0.0.1"), "forgotten under the bound (a guesser gains a window, memory stays bounded)");
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new SignInLimits(0, 5, Duration.ofMinutes(1), 10));
        assertThrows(IllegalArgumentException.class, () -> new SignInLimits(3, 5, Duration.ZERO, 10));
    }

    @Test
    void userNamesAreLoggedPrintable() {
        assertEquals("carla?INFO forged", SignInThrottle.printable("carla\nINFO forged"));
        assertEquals("x".repeat(64) + "...", SignInThrottle.printable("x".repeat(200)));
    }
}
