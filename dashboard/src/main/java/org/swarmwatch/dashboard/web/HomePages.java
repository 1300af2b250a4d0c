package org.swarmwatch.dashboard.web;

import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page, and the start page: the first page the person's roles open. */
@Controller
class HomePages {
    @GetMapping("/")
    String home(Principal principal) {
        return "redirect:" + CurrentViewer.of(principal).home();
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
