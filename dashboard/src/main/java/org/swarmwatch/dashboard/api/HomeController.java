package org.swarmwatch.dashboard.api;

import java.security.Principal;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Where the login form leads until the dashboard's pages exist. */
@RestController
class HomeController {
    @GetMapping(value = "/", produces = MediaType.TEXT_PLAIN_VALUE)
    String home(Principal who) {
        return "Signed in as " + who.getName() + ". The dashboard's pages are not built yet; the JSON API is under /api "
                + "(docs/dashboard.md).\n";
    }
}
