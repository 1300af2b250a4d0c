package org.swarmwatch.dashboard.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Service;

/**
 * Failed sign-ins counted per user name and client address, and per client address, within a
 * window ({@link SignInLimits}); past the limit, further attempts for that pair (or from that
 * address) are refused before their password is checked ({@link SignInThrottleFilter}), until the
 * window that began with the first failure has passed. Someone guessing passwords gets a few
 * guesses per window, and costs the server no bcrypt check beyond them. A successful sign-in
 * clears its pair's count.
 *
 * <p>Keyed by address as well as name, so that a stranger cannot lock a colleague out from
 * elsewhere; behind a proxy, the address is the proxy's unless the dashboard is told to trust its
 * forwarding headers ({@code server.forward-headers-strategy}, docs/dashboard.md). Both HTTP Basic
 * on the API and the sign-in form count (Spring Security's authentication events); API tokens
 * are random and checked by hash, not guessed this way. Memory is bounded by
 * {@link SignInLimits#maxTracked}: the least recently failing entries are forgotten first.
 */
@Service
public class SignInThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(SignInThrottle.class);

    private final SignInLimits limits;
    private final Clock clock;
    private final Map<String, Window> failures;

    @Autowired
    public SignInThrottle(SignInLimits limits) {
        this(limits, Clock.systemUTC());
    }

    SignInThrottle(SignInLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > limits.maxTracked();
            }
        };
    }

    /** Failures counted from {@code start}. */
    private static final class Window {
        Instant start;
        int count;
    }

    /** Why a sign-in of {@code username} from {@code address} is refused unchecked, with how long; null if it may be tried. */
    public synchronized Refusal refusal(String username, String address) {
        Instant now = clock.instant();
        Window pair = current(pairKey(username, address), now);
        if (pair != null && pair.count >= limits.maxFailures()) {
            return new Refusal(Duration.between(now, pair.start.plus(limits.window())),
                    "too many failed sign-ins for this user from this address");
        }
        Window byAddress = current(addressKey(address), now);
        if (byAddress != null && byAddress.count >= limits.maxFailuresPerAddress()) {
            return new Refusal(Duration.between(now, byAddress.start.plus(limits.window())), "too many failed sign-ins from this address");
        }
        return null;
    }

    /** A refusal: what to tell the person, and when to try again. */
    public record Refusal(Duration retryAfter, String reason) {
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }

        public String message() {
            long minutes = (retryAfterSeconds() + 59) / 60;
            return reason + "; try again in " + (retryAfterSeconds() < 60 ? retryAfterSeconds() + " s" : minutes + " min");
        }
    }

    /** A wrong password or an unknown user (Spring Security's event, for Basic and the form alike). */
    @EventListener
    public void failed(AuthenticationFailureBadCredentialsEvent event) {
        failed(event.getAuthentication().getName(), address(event.getAuthentication()));
    }

    /** A good password: the pair starts again from nothing (the address's count stays). */
    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        String address = address(event.getAuthentication());
        if (address != null) {
            synchronized (this) {
                failures.remove(pairKey(event.getAuthentication().getName(), address));
            }
        }
    }

    synchronized void failed(String username, String address) {
        if (address == null) {
            return;
        }
        Instant now = clock.instant();
        int pair = count(pairKey(username, address), now);
        int byAddress = count(addressKey(address), now);
        if (pair == limits.maxFailures() || byAddress == limits.maxFailuresPerAddress()) {
            LOG.warn("sign-in: {} failures for user '{}' and {} from {} within {}: further attempts are refused until the window ends", pair,
                    printable(username), byAddress, address, limits.window());
        }
    }

    private int count(String key, Instant now) {
        Window w = current(key, now);
        if (w == null) {
            w = new Window();
            w.start = now;
            failures.put(key, w);
        }
        return ++w.count;
    }

    /** The key's window if it has not ended (an ended one is forgotten). */
    private Window current(String key, Instant now) {
        Window w = failures.get(key);
        if (w != null && !now.isBefore(w.start.plus(limits.window()))) {
            failures.remove(key);
            return null;
        }
        return w;
    }

    private static String address(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
    }

    /** The user name as the user store compares it (case-insensitively), cut to 128 characters: a key's size is bounded. */
    private static String pairKey(String username, String address) {
        String name = username == null ? "" : username.length() > 128 ? username.substring(0, 128) : username;
        return "u\u0000" + name.toLowerCase(Locale.ROOT) + "\u0000" + address;
    }

    private static String addressKey(String address) {
        return "a\u0000" + address;
    }

    /** A user name as typed, for the log: at most 64 characters, controls replaced. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.codePoints().map(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
