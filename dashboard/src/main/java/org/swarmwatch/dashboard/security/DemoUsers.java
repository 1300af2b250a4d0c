package org.swarmwatch.dashboard.security;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The {@code demo} profile's users: one per role, named after it, each with a fresh random
 * password printed once, at start, and kept nowhere but as its hash in memory. A restart makes
 * new ones; there is no fixed demo password a deployment could inherit.
 */
final class DemoUsers {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoUsers() {
    }

    static List<DashboardUser> create(PasswordEncoder encoder, PrintStream out) {
        List<DashboardUser> users = new ArrayList<>();
        StringBuilder shown = new StringBuilder("\nDemo users (profile 'demo'): these passwords are shown once, here, and stored nowhere\n");
        for (Role role : Role.values()) {
            String name = role.name().toLowerCase(Locale.ROOT);
            byte[] secret = new byte[18];
            RANDOM.nextBytes(secret);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            users.add(new DashboardUser(name, encoder.encode(password), Set.of(role)));
            shown.append(String.format("  %-10s %s  (%s)%n", name, password, role));
        }
        out.println(shown);
        out.flush();
        return users;
    }
}
