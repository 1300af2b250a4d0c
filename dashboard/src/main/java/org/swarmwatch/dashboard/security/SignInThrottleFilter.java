package org.swarmwatch.dashboard.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a sign-in attempt that {@link SignInThrottle} says must wait, before its password is
 * checked: HTTP Basic on the API answers 429 with {@code Retry-After} and a JSON body; the sign-in
 * form goes back to the sign-in page, which says why and for how long. Other requests pass.
 *
 * <p>Not a bean: registered in the two filter chains (SecurityConfiguration), before their
 * authentication filters.
 */
public final class SignInThrottleFilter extends OncePerRequestFilter {
    /** The session attribute the sign-in page shows (and removes): why the last attempt was refused. */
    public static final String REFUSAL = "swarmwatch.signInRefusal";
    private static final String BASIC = "Basic ";

    private final SignInThrottle throttle;
    private final boolean form;

    /** @param form whether this guards the sign-in form ({@code POST /login}) rather than HTTP Basic */
    public SignInThrottleFilter(SignInThrottle throttle, boolean form) {
        this.throttle = throttle;
        this.form = form;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String username = form ? formUser(request) : basicUser(request);
        SignInThrottle.Refusal refusal = username == null ? null : throttle.refusal(username, request.getRemoteAddr());
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        if (form) {
            request.getSession().setAttribute(REFUSAL, refusal.message());
            response.sendRedirect(request.getContextPath() + "/login?refused");
            return;
        }
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"status\":429,\"error\":\"" + refusal.message() + "\"}");
    }

    private static String formUser(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || !(request.getContextPath() + "/login").equals(request.getRequestURI())) {
            return null;
        }
        return request.getParameter("username");
    }

    /** The user name of an {@code Authorization: Basic} header; null without one or when it is malformed (Spring's filter answers that). */
    private static String basicUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
