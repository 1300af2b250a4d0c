package org.swarmwatch.dashboard.web;

import java.security.Principal;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.swarmwatch.dashboard.security.Role;

/** Puts the signed-in person ({@link Viewer}) in every page's model, as {@code viewer}; null when nobody is. */
@ControllerAdvice
class CurrentViewer {
    @ModelAttribute("viewer")
    Viewer viewer(Principal principal) {
        return of(principal);
    }

    static Viewer of(Principal principal) {
        if (!(principal instanceof Authentication a) || !a.isAuthenticated()) {
            return null;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedAuthority g : a.getAuthorities()) {
            for (Role r : Role.values()) {
                if (("ROLE_" + r.name()).equals(g.getAuthority())) {
                    roles.add(r);
                }
            }
        }
        return Viewer.of(a.getName(), roles);
    }
}
