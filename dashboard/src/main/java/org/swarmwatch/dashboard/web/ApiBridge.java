package org.swarmwatch.dashboard.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
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
 * <p>The forwarded request has no session: the API chain is stateless, and seeing a session with
 * an authentication it did not make, its session-fixation protection would change the session id
 * under the page's other requests (which then arrive signed out).
 *
 * <p>GET only: nothing that changes state goes through here, so the pages' CSRF protection is
 * not bypassed (an export and a reading of an incident's evidence are GETs that record an audit
 * event, the latter with route {@code ui-api}; the session cookie is
 * {@code SameSite=Lax}, so another site's page cannot make it in the background).
 */
@Controller
class ApiBridge {
    static final String PREFIX = "/ui";
    private static final RequestAttributeSecurityContextRepository CONTEXT = new RequestAttributeSecurityContextRepository();

    @GetMapping(PREFIX + "/api/**")
    void forward(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length() + PREFIX.length());
        // the API chain's own place for a stateless request's context, holding the session's authentication
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(SecurityContextHolder.getContext().getAuthentication());
        CONTEXT.saveContext(context, request, response);
        request.getRequestDispatcher(path).forward(new Sessionless(request), response);
    }

    /** The request without its session, for the stateless API chain. */
    private static final class Sessionless extends HttpServletRequestWrapper {
        Sessionless(HttpServletRequest request) {
            super(request);
        }

        @Override
        public HttpSession getSession(boolean create) {
            if (create) {
                throw new IllegalStateException("the API is stateless: no session");
            }
            return null;
        }

        @Override
        public HttpSession getSession() {
            return getSession(true);
        }

        @Override
        public String changeSessionId() {
            throw new IllegalStateException("the API is stateless: no session");
        }

        @Override
        public boolean isRequestedSessionIdValid() {
            return false;
        }
    }
}
