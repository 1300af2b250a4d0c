package org.swarmwatch.dashboard.security;

import java.util.Comparator;
import java.util.List;

/** The people who may sign in, as configured at start (a change needs a restart). */
public final class DashboardUsers {
    private final List<DashboardUser> users;

    public DashboardUsers(List<DashboardUser> users) {
        this.users = users.stream().sorted(Comparator.comparing(DashboardUser::username)).toList();
    }

    public List<DashboardUser> all() {
        return users;
    }
}
