package org.swarmwatch.dashboard.token;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is kept of an API token: who it is for, its label and dates, and the SHA-256 of the
 * token (never the token itself, which is shown once, when it is made).
 *
 * @param id the token's public part ({@code swt_<id>_...}), 16 hex digits; the document id
 * @param username the user whose roles the token carries
 * @param label what the token is for ("grafana", "nightly export"), 1-64 characters
 * @param sha256 the SHA-256 of the whole token, hex
 * @param createdAt when it was made
 * @param createdBy the administrator who made it
 * @param expiresAt when it stops working; null for never
 * @param revokedAt when it was revoked; null while it is not
 * @param revokedBy the administrator who revoked it
 */
public record ApiToken(String id, String username, String label, String sha256, Instant createdAt, String createdBy, Instant expiresAt,
        Instant revokedAt, String revokedBy) {

    /** The token as listed to an administrator: everything but the hash. */
    public Map<String, Object> describe(Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("username", username);
        m.put("label", label);
        m.put("status", revokedAt != null ? "revoked" : expiresAt != null && !now.isBefore(expiresAt) ? "expired" : "active");
        m.put("created_at", createdAt.toString());
        m.put("created_by", createdBy);
        m.put("expires_at", expiresAt == null ? null : expiresAt.toString());
        m.put("revoked_at", revokedAt == null ? null : revokedAt.toString());
        m.put("revoked_by", revokedBy);
        return m;
    }
}
