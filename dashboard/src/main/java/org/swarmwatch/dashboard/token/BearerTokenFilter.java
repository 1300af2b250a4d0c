package org.swarmwatch.dashboard.token;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Authorization: Bearer swt_...} on the API: a good token signs the request in as its user,
 * with that user's roles; anything else presented as a Bearer token is answered 401 at once, with
 * a JSON body saying why (unknown, revoked, expired, malformed) and an RFC 6750
 * {@code WWW-Authenticate: Bearer error="invalid_token"} challenge. Requests without a Bearer
 * token pass on untouched (HTTP Basic, or the 401 of the API's entry point).
 *
 * <p>Not a bean: registered in the API's filter chain only (SecurityConfiguration), so that the
 * servlet container does not also run it on every request.
 */
public final class BearerTokenFilter extends OncePerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenFilter.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SCHEME = "Bearer ";

    private final ApiTokens tokens;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    public BearerTokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        // "Bearer" alone (an empty token, its space trimmed on the way) is a Bearer attempt too
        boolean bearer = header != null && (header.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) || header.strip().equalsIgnoreCase("Bearer"));
        if (!bearer) {
            chain.doFilter(request, response);
            return;
        }
        ApiTokens.Check check;
        try {
            check = tokens.check(header.strip().substring(SCHEME.length() - 1).strip());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot check an API token", e);
            write(response, HttpServletResponse.SC_BAD_GATEWAY, "cannot check the API token: Elasticsearch is unavailable", null);
            return;
        }
        if (check instanceof ApiTokens.Refused refused) {
            write(response, HttpServletResponse.SC_UNAUTHORIZED, refused.reason(),
                    "Bearer realm=\"swarmwatch\", error=\"invalid_token\"");
            return;
        }
        ApiTokens.Accepted ok = (ApiTokens.Accepted) check;
        List<SimpleGrantedAuthority> roles = ok.user().roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList();
        UsernamePasswordAuthenticationToken who = UsernamePasswordAuthenticationToken.authenticated(ok.user().username(), null, roles);
        who.setDetails(new TokenDetails(ok.tokenId()));
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(who);
        contexts.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            contexts.clearContext();
        }
    }

    /** Which token signed a request in (for an audit record: who, and through which token). */
    public record TokenDetails(String tokenId) {
    }

    private static void write(HttpServletResponse response, int status, String message, String challenge) throws IOException {
        response.setStatus(status);
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(Map.of("status", status, "error", message)));
    }
}
