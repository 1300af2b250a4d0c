package org.swarmwatch.dashboard.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.swarmwatch.dashboard.security.Role;

/**
 * The signed-in person as the pages show them: name, roles, and the navigation their roles open
 * (the same rules as SecurityConfiguration's; a link shown is a page allowed).
 */
public record Viewer(String name, List<String> roles, List<NavItem> nav) {

    /** One navigation entry; {@code section} marks the active one. */
    public record NavItem(String label, String href, String section) {
    }

    static Viewer of(String name, Set<Role> roles) {
        List<NavItem> nav = new ArrayList<>();
        if (roles.contains(Role.OPERATOR) || roles.contains(Role.ADMIN)) {
            nav.add(new NavItem("Traffic", "/traffic", "traffic"));
        }
        if (roles.contains(Role.COMPLIANCE)) {
            nav.add(new NavItem("Incidents", "/incidents", "incidents"));
            nav.add(new NavItem("Rights lists", "/lists", "lists"));
        }
        if (roles.contains(Role.ADMIN)) {
            nav.add(new NavItem("Users", "/admin/users", "users"));
            nav.add(new NavItem("Audit log", "/admin/audit", "audit"));
            nav.add(new NavItem("Retention", "/admin/retention", "retention"));
        }
        return new Viewer(name, roles.stream().map(Role::name).sorted().toList(), List.copyOf(nav));
    }

    /** Where signing in leads: the first page the roles open. */
    String home() {
        return nav.isEmpty() ? "/login?error" : nav.get(0).href();
    }

    public String rolesText() {
        return String.join(" · ", roles.stream().map(r -> r.charAt(0) + r.substring(1).toLowerCase(java.util.Locale.ROOT)).toList());
    }
}
