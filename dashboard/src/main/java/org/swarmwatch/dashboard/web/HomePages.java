package org.swarmwatch.dashboard.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.swarmwatch.dashboard.security.SignInThrottleFilter;

/** The sign-in page, and the start page: the first page the person's roles open. */
@Controller
class HomePages {
    @GetMapping("/")
    String home(Principal principal) {
        return "redirect:" + CurrentViewer.of(principal).home();
    }

    /** The sign-in form; after an attempt refused for too many failures, why and for how long (once). */
    @GetMapping("/login")
    String login(HttpServletRequest request, Model model) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SignInThrottleFilter.REFUSAL) instanceof String refusal) {
            session.removeAttribute(SignInThrottleFilter.REFUSAL);
            model.addAttribute("refusal", refusal);
        }
        return "login";
    }
}
