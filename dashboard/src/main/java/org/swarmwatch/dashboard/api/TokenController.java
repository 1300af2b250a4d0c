package org.swarmwatch.dashboard.api;

import java.io.IOException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.swarmwatch.dashboard.token.ApiToken;
import org.swarmwatch.dashboard.token.ApiTokens;

/**
 * API tokens, managed by an administrator (ADMIN only, SecurityConfiguration; docs/dashboard.md,
 * "API tokens"). The token is in the answer that makes it and nowhere else, ever.
 */
@RestController
class TokenController {
    private static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N} ._:/@-]{1,64}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final ApiTokens tokens;
    private final Clock clock = Clock.systemUTC();

    TokenController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** Makes a token for a user; the answer is the only place the token is ever shown. */
    @PostMapping("/api/admin/tokens")
    ResponseEntity<Map<String, Object>> create(@RequestParam String username, @RequestParam String label,
            @RequestParam(required = false) Integer expiresInDays, Principal admin) throws IOException {
        if (!USERNAME.matcher(username).matches()) {
            throw new BadParameterException("username", "1-64 letters, digits or ._@-");
        }
        if (!LABEL.matcher(label).matches()) {
            throw new BadParameterException("label", "1-64 letters, digits, spaces or ._:/@-");
        }
        Duration validity = expiresInDays == null ? null : Duration.ofDays(Parameters.bounded("expiresInDays", expiresInDays, 0, 1, 3650));
        ApiTokens.Created made;
        try {
            made = tokens.create(username, label, validity, admin.getName());
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("username", e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>(made.kept().describe(clock.instant()));
        body.put("token", made.token());
        body.put("note", "the token is shown once, here; only its SHA-256 is kept. Send it as 'Authorization: Bearer <token>'");
        return ResponseEntity.status(HttpStatus.CREATED).body(body);
    }

    /** The tokens (never a token or its hash), newest first; of one user with {@code username}. */
    @GetMapping("/api/admin/tokens")
    Map<String, Object> list(@RequestParam(required = false) String username) throws IOException {
        if (username != null && !USERNAME.matcher(username).matches()) {
            throw new BadParameterException("username", "1-64 letters, digits or ._@-");
        }
        Instant now = clock.instant();
        return Map.of("tokens", tokens.list(username).stream().map(t -> t.describe(now)).toList());
    }

    /** Revokes a token at once, on every dashboard instance; it stays listed as revoked. */
    @DeleteMapping("/api/admin/tokens/{id}")
    Map<String, Object> revoke(@PathVariable String id, Principal admin) throws IOException {
        ApiToken revoked = tokens.revoke(id, admin.getName()).orElseThrow(() -> new NotFoundException("no API token " + Parameters.shorten(id)));
        return revoked.describe(clock.instant());
    }
}
