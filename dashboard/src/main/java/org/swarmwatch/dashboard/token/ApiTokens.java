package org.swarmwatch.dashboard.token;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import org.swarmwatch.dashboard.elastic.ElasticsearchProperties;
import org.swarmwatch.dashboard.security.DashboardUser;
import org.swarmwatch.dashboard.security.DashboardUsers;

/**
 * API tokens for machine clients (docs/dashboard.md, "API tokens"): made and revoked by an
 * administrator for a user, sent as {@code Authorization: Bearer swt_<id>_<secret>}, carrying that
 * user's roles as the users file gives them now.
 *
 * <p>A token is {@code swt_}, a 64-bit random id (16 hex digits), {@code _} and a 256-bit random
 * secret (43 base64url characters). Only the SHA-256 of the whole token is kept, in the index
 * {@code <prefix>dashboard-tokens} with the id as the document id: checking a token is one
 * real-time get by id (no refresh wait) and a constant-time comparison of the
 * hashes. A fast hash is enough: the secret has 256 random bits, so no dictionary or brute force
 * applies (a slow hash such as bcrypt guards guessable passwords, at tens of milliseconds a call).
 *
 * <p>Why Elasticsearch and not the users file: tokens are made and revoked while the dashboard
 * runs, and a revocation must hold at once on every instance behind a load balancer; the users
 * file is the operator's configuration, read at start and never written by the application.
 */
@Service
public class ApiTokens {
    static final String PREFIX = "swt_";
    private static final Pattern TOKEN = Pattern.compile("swt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Tokens listed at most (a deployment has a few per machine client, not thousands). */
    static final int MAX_LISTED = 1000;
    private static final String MAPPING = """
            {"settings": {"index": {"number_of_shards": 1, "auto_expand_replicas": "0-1"}},
             "mappings": {"dynamic": "strict", "properties": {
               "id": {"type": "keyword"}, "username": {"type": "keyword"}, "label": {"type": "keyword"},
               "sha256": {"type": "keyword", "index": false}, "created_at": {"type": "date"}, "created_by": {"type": "keyword"},
               "expires_at": {"type": "date"}, "revoked_at": {"type": "date"}, "revoked_by": {"type": "keyword"}}}}
            """;

    private final ElasticsearchClient client;
    private final DashboardUsers users;
    private final String index;
    private final Clock clock;

    @Autowired
    public ApiTokens(ElasticsearchClient client, ElasticsearchProperties elasticsearch, DashboardUsers users) {
        this(client, elasticsearch.indexPrefix() + "dashboard-tokens", users, Clock.systemUTC());
    }

    /** With a given index and clock (tests: expiry without waiting). */
    public ApiTokens(ElasticsearchClient client, String index, DashboardUsers users, Clock clock) {
        this.client = client;
        this.index = index;
        this.users = users;
        this.clock = clock;
    }

    /** A token just made: the token itself, shown once, and what is kept of it. */
    public record Created(String token, ApiToken kept) {
    }

    /** The outcome of checking a presented token: a user, or why not. */
    public sealed interface Check {
    }

    /** The token is good: its user, with the roles the users file gives now. */
    public record Accepted(DashboardUser user, String tokenId) implements Check {
    }

    /** The token is refused; {@code reason} is safe to show the caller. */
    public record Refused(String reason) implements Check {
    }

    public String index() {
        return index;
    }

    /**
     * Makes a token for {@code username}.
     *
     * @throws IllegalArgumentException naming what is wrong (no such user)
     */
    public Created create(String username, String label, Duration validity, String createdBy) throws IOException {
        if (user(username).isEmpty()) {
            throw new IllegalArgumentException("no user '" + username + "' in the users file");
        }
        byte[] idBytes = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String token = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        ApiToken kept = new ApiToken(id, username, label, sha256(token), now, createdBy, validity == null ? null : now.plus(validity), null, null);
        ensureIndex();
        ObjectNode doc = document(kept);
        // create, never overwrite: a 64-bit id clash (one in billions) fails instead of replacing a token
        client.create(c -> c.index(index).id(id).document(doc).refresh(Refresh.WaitFor));
        return new Created(token, kept);
    }

    /** Checks a presented token (the value after {@code Bearer }). */
    public Check check(String presented) throws IOException {
        Matcher m = TOKEN.matcher(presented);
        if (presented.length() > 200 || !m.matches()) {
            return new Refused("not a Swarmwatch API token (swt_ followed by 16 hex digits, _ and 43 base64url characters)");
        }
        Optional<ApiToken> found = find(m.group(1));
        if (found.isEmpty() || !MessageDigest.isEqual(found.get().sha256().getBytes(StandardCharsets.US_ASCII),
                sha256(presented).getBytes(StandardCharsets.US_ASCII))) {
            return new Refused("unknown API token");
        }
        ApiToken t = found.get();
        if (t.revokedAt() != null) {
            return new Refused("API token " + t.id() + " was revoked at " + t.revokedAt());
        }
        if (t.expiresAt() != null && !clock.instant().isBefore(t.expiresAt())) {
            return new Refused("API token " + t.id() + " expired at " + t.expiresAt());
        }
        return user(t.username()).<Check>map(u -> new Accepted(u, t.id()))
                .orElseGet(() -> new Refused("API token " + t.id() + " belongs to '" + t.username() + "', who is no longer a user"));
    }

    /** The tokens, newest first, of one user or of everyone ({@code username} null). */
    public List<ApiToken> list(String username) throws IOException {
        try {
            return client.search(s -> s.index(index).ignoreUnavailable(true).allowNoIndices(true).size(MAX_LISTED)
                    .query(q -> username == null ? q.matchAll(a -> a) : q.term(t -> t.field("username").value(username)))
                    .sort(o -> o.field(f -> f.field("created_at").order(SortOrder.Desc))), ObjectNode.class)
                    .hits().hits().stream().map(Hit::source).map(ApiTokens::token).toList();
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    /** Revokes a token (a revoked token stays listed); empty when there is none with that id. */
    public Optional<ApiToken> revoke(String id, String revokedBy) throws IOException {
        Optional<ApiToken> found = ID.matcher(id).matches() ? find(id) : Optional.empty();
        if (found.isEmpty() || found.get().revokedAt() != null) {
            return found;
        }
        ApiToken t = found.get();
        ApiToken revoked = new ApiToken(t.id(), t.username(), t.label(), t.sha256(), t.createdAt(), t.createdBy(), t.expiresAt(),
                clock.instant(), revokedBy);
        ObjectNode doc = document(revoked);
        client.index(i -> i.index(index).id(id).document(doc).refresh(Refresh.WaitFor));
        return Optional.of(revoked);
    }

    private Optional<ApiToken> find(String id) throws IOException {
        try {
            GetResponse<ObjectNode> r = client.get(g -> g.index(index).id(id), ObjectNode.class);
            return r.found() && r.source() != null ? Optional.of(token(r.source())) : Optional.empty();
        } catch (ElasticsearchException e) {
            if (e.status() == 404) { // no token was ever made: the index does not exist
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<DashboardUser> user(String username) {
        return users.all().stream().filter(u -> u.username().equals(username)).findFirst();
    }

    private void ensureIndex() throws IOException {
        if (client.indices().exists(e -> e.index(index)).value()) {
            return;
        }
        try {
            client.indices().create(c -> c.index(index).withJson(new StringReader(MAPPING)));
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) { // another instance made it meanwhile
                throw e;
            }
        }
    }

    private static ObjectNode document(ApiToken t) {
        ObjectNode d = JSON.createObjectNode();
        d.put("id", t.id()).put("username", t.username()).put("label", t.label()).put("sha256", t.sha256())
                .put("created_at", t.createdAt().toString()).put("created_by", t.createdBy());
        if (t.expiresAt() != null) {
            d.put("expires_at", t.expiresAt().toString());
        }
        if (t.revokedAt() != null) {
            d.put("revoked_at", t.revokedAt().toString()).put("revoked_by", t.revokedBy());
        }
        return d;
    }

    private static ApiToken token(JsonNode d) {
        return new ApiToken(d.path("id").asText(), d.path("username").asText(), d.path("label").asText(), d.path("sha256").asText(),
                Instant.parse(d.path("created_at").asText()), d.path("created_by").asText(), instant(d.path("expires_at")),
                instant(d.path("revoked_at")), d.path("revoked_by").asText(null));
    }

    private static Instant instant(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : Instant.parse(n.asText());
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
