package org.swarmwatch.dashboard.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the users file: YAML, a list of users each with a name, the bcrypt hash of the password
 * and roles.
 *
 * <pre>
 * users:
 *   - username: olivia
 *     password-hash: "$2y$12$..."     # htpasswd -nbBC 12 olivia 'the password'
 *     roles: [OPERATOR]
 * </pre>
 *
 * Everything wrong is refused with the user's position and what is wrong (never the hash): an
 * unknown key or role, a hash that is not bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}), a
 * name given twice, no users at all.
 */
public final class UsersFile {
    /** The property naming the file. */
    public static final String PROPERTY = "swarmwatch.dashboard.users-file";

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Set<String> KEYS = Set.of("username", "password-hash", "roles");

    private UsersFile() {
    }

    public static List<DashboardUser> read(Path file) {
        Object root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UsersConfigurationException("cannot read the users file " + file + ": " + e, e);
        } catch (YAMLException e) {
            throw new UsersConfigurationException("the users file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("users") instanceof List<?> entries) || top.size() != 1) {
            throw new UsersConfigurationException("the users file " + file + " must hold one key, 'users', with a list of users");
        }
        if (entries.isEmpty()) {
            throw new UsersConfigurationException("the users file " + file + " lists no users");
        }
        List<DashboardUser> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = "the users file " + file + ", user " + (i + 1);
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                throw new UsersConfigurationException(where + ": not a map of username, password-hash and roles");
            }
            for (Object key : entry.keySet()) {
                if (!KEYS.contains(String.valueOf(key))) {
                    throw new UsersConfigurationException(where + ": unknown key '" + key + "' (allowed: username, password-hash, roles)");
                }
            }
            if (!(entry.get("username") instanceof String name) || !NAME.matcher(name).matches()) {
                throw new UsersConfigurationException(where + ": 'username' must be 1-64 letters, digits or ._@-");
            }
            where += " (" + name + ")";
            if (!names.add(name)) {
                throw new UsersConfigurationException(where + ": listed twice");
            }
            if (!(entry.get("password-hash") instanceof String hash) || !BCRYPT.matcher(hash).matches()) {
                throw new UsersConfigurationException(where + ": 'password-hash' must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters); "
                        + "passwords in clear are not accepted");
            }
            users.add(new DashboardUser(name, hash, roles(entry.get("roles"), where)));
        }
        return List.copyOf(users);
    }

    private static Set<Role> roles(Object value, String where) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new UsersConfigurationException(where + ": 'roles' must be a non-empty list of OPERATOR, COMPLIANCE, ADMIN");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Object r : list) {
            try {
                roles.add(Role.valueOf(String.valueOf(r).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsersConfigurationException(where + ": unknown role '" + r + "' (roles: OPERATOR, COMPLIANCE, ADMIN)");
            }
        }
        return roles;
    }
}
