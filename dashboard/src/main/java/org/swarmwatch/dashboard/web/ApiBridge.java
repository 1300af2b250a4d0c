package org.swarmwatch.dashboard.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The pages' way to the JSON API: {@code GET /ui/api/X} is the API's {@code GET /api/X} for the
 * signed-in person's session. The API itself takes HTTP Basic only and keeps no session (a bcrypt
 * check per call), which a page cannot use; here the request is forwarded inside the server and
 * passes the API's own security chain again, with the session's authentication, so that
 * SecurityConfiguration's API rules stay the one place that says who reads what: an operator's
 * page gets a 403 for {@code /ui/api/incidents} as the API gives it.
 *
 * <p>GET only: nothing that changes state goes through here, so the pages' CSRF protection is
 * not bypassed (an export is a GET that records an audit event; the session cookie is
 * {@code SameSite=Lax}, so another site's page cannot make it in the background).
 */
@Controller
class ApiBridge {
    static final String PREFIX = "/ui";

    @GetMapping(PREFIX + "/api/**")
    void forward(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length() + PREFIX.length());
        request.getRequestDispatcher(path).forward(request, response);
    }
}
