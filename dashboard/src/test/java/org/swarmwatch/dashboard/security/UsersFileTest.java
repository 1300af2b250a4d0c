package org.swarmwatch.dashboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class UsersFileTest {
    private static final String HASH = new BCryptPasswordEncoder(4).encode("secret");

    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        return Files.writeString(dir.resolve("users.yaml"), yaml.replace("HASH", HASH));
    }

    @Test
    void readsUsersWithRoles() throws Exception {
        List<DashboardUser> users = UsersFile.read(file("""
                users:
                  - username: olivia
                    password-hash: "HASH"
                    roles: [OPERATOR]
                  - username: carl
                    password-hash: "HASH"
                    roles: [compliance, ADMIN]
                """));
        assertEquals(2, users.size());
        assertEquals(Set.of(Role.OPERATOR), users.get(0).roles());
        assertEquals(Set.of(Role.COMPLIANCE, Role.ADMIN), users.get(1).roles());
        assertTrue(new BCryptPasswordEncoder().matches("secret", users.get(0).passwordHash()));
        assertFalse(users.get(0).toString().contains(HASH), "a user's text never shows the hash");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "users: []|lists no users",
        "people: []|one key, 'users'",
        "users:\\n  - username: a\\n    password-hash: secret\\n    roles: [OPERATOR]|must be a bcrypt hash",
        "users:\\n  - username: a\\n    password-hash: \"HASH\"\\n    roles: [ROOT]|unknown role 'ROOT'",
        "users:\\n  - username: a\\n    password-hash: \"HASH\"\\n    roles: []|non-empty list",
        "users:\\n  - username: a\\n    password-hash: \"HASH\"\\n    roles: [ADMIN]\\n    password: x|unknown key 'password'",
        "users:\\n  - username: a\\n    password-hash: \"HASH\"\\n    roles: [ADMIN]\\n  - username: a\\n    password-hash: \"HASH\"\\n    roles: [ADMIN]|listed twice",
        "users:\\n  - username: 'a b'\\n    password-hash: \"HASH\"\\n    roles: [ADMIN]|'username' must be",
        "users: [ {|not valid YAML"})
    void refusesWithAClearMessage(String yaml, String expected) throws Exception {
        Path f = file(yaml.replace("\\n", "\n"));
        UsersConfigurationException e = assertThrows(UsersConfigurationException.class, () -> UsersFile.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains(HASH), "never the hash in a message");
    }

    @Test
    void demoUsersHaveFreshRandomPasswordsShownOnce() {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<DashboardUser> first = DemoUsers.create(bcrypt, new PrintStream(out, true, StandardCharsets.UTF_8));
        String shown = out.toString(StandardCharsets.UTF_8);
        assertEquals(3, first.size());
        for (DashboardUser u : first) {
            Matcher m = Pattern.compile("(?m)^  " + u.username() + " +(\\S+)  \\(" + u.roles().iterator().next() + "\\)$").matcher(shown);
            assertTrue(m.find(), shown);
            assertTrue(m.group(1).length() >= 24, "a long random password");
            assertTrue(bcrypt.matches(m.group(1), u.passwordHash()));
        }
        List<DashboardUser> second = DemoUsers.create(bcrypt, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertFalse(bcrypt.matches(Pattern.compile("operator +(\\S+)").matcher(shown).results().findFirst().orElseThrow().group(1),
                second.get(0).passwordHash()), "a new start, new passwords");
    }
}
