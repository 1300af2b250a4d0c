package org.swarmwatch.dashboard.api;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.swarmwatch.dashboard.security.DashboardUsers;

/** The administrator's API (ADMIN only, SecurityConfiguration). */
@RestController
public class AdminController {
    private final DashboardUsers users;

    AdminController(DashboardUsers users) {
        this.users = users;
    }

    /** Names and roles; never the password hashes. */
    @GetMapping("/api/admin/users")
    public Map<String, Object> users() {
        List<Map<String, Object>> list = users.all().stream()
                .map(u -> Map.<String, Object>of("username", u.username(), "roles", u.roles().stream().map(Enum::name).sorted().toList()))
                .toList();
        return Map.of("users", list);
    }
}
