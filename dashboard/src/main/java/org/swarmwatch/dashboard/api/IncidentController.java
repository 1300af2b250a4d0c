package org.swarmwatch.dashboard.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.swarmwatch.dashboard.audit.EvidenceViews;

/**
 * The compliance API (COMPLIANCE only, SecurityConfiguration): incidents and lists. Public so that
 * the pages ({@code web}) answer with the same checks and the same data.
 */
@RestController
public class IncidentController {
    private static final Set<String> SEVERITIES = Set.of("info", "low", "medium", "high");
    /** BitTorrent v1 (40 hex digits), v2 (64), ed2k / MD4 (32). */
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern INCIDENT_ID = Pattern.compile("[0-9a-f]{32}");

    private final IncidentQueries queries;
    private final EvidenceViews views;

    IncidentController(IncidentQueries queries, EvidenceViews views) {
        this.queries = queries;
        this.views = views;
    }

    /** A page of incidents; its reading recorded in the audit log before it is answered (EvidenceViews). */
    @GetMapping("/api/incidents")
    public Map<String, Object> incidents(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String rightsHolder, @RequestParam(required = false) String title,
            @RequestParam(required = false) String hash, @RequestParam(required = false) String subscriber,
            @RequestParam(required = false) String severity, @RequestParam(required = false) Double minConfidence,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size, Authentication who,
            HttpServletRequest request) throws IOException {
        return incidents(filter(from, to, rightsHolder, title, hash, subscriber, severity, minConfidence), page, size, who, route(request));
    }

    /**
     * A page of incidents ({@code total}, {@code page}, {@code size}, {@code incidents}), recorded
     * in the audit log as read by {@code who} through {@code route} before it is returned.
     */
    public Map<String, Object> incidents(IncidentQueries.Filter filter, Integer page, Integer size, Authentication who, EvidenceViews.Route route)
            throws IOException {
        int s = Parameters.bounded("size", size, 50, 1, 200);
        int p = Parameters.bounded("page", page, 0, 0, Parameters.MAX_RESULT_WINDOW);
        if ((long) (p + 1) * s > Parameters.MAX_RESULT_WINDOW) {
            throw new BadParameterException("page", "pages end at the " + Parameters.MAX_RESULT_WINDOW + "th incident; narrow the filter");
        }
        Map<String, Object> result = queries.search(filter, p, s);
        views.recordList(who, filter.parameters(), p, s, ((List<?>) result.get("incidents")).size(), ((Number) result.get("total")).longValue(),
                route);
        return result;
    }

    /** The incident filters from their request parameters, each checked; shared with the exports. */
    public static IncidentQueries.Filter filter(String from, String to, String rightsHolder, String title, String hash, String subscriber,
            String severity, Double minConfidence) {
        Instant start = from == null ? null : Parameters.instant("from", from);
        Instant end = to == null ? null : Parameters.instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new BadParameterException("from", "must be before to");
        }
        String h = text("hash", hash);
        if (h != null) {
            h = h.toLowerCase(Locale.ROOT);
            if (!HASH.matcher(h).matches()) {
                throw new BadParameterException("hash", "not a content hash in hex (32, 40 or 64 digits)");
            }
        }
        String sev = text("severity", severity);
        if (sev != null && !SEVERITIES.contains(sev)) {
            throw new BadParameterException("severity", "one of info, low, medium, high, not '" + Parameters.shorten(sev) + "'");
        }
        if (minConfidence != null && !(minConfidence >= 0 && minConfidence <= 1)) {
            throw new BadParameterException("minConfidence", "must be between 0 and 1");
        }
        return new IncidentQueries.Filter(start, end, text("rightsHolder", rightsHolder), text("title", title), h,
                text("subscriber", subscriber), sev, minConfidence);
    }

    /** One incident; its reading recorded in the audit log before it is answered (EvidenceViews). */
    @GetMapping("/api/incidents/{id}")
    public Map<String, Object> incident(@PathVariable String id, Authentication who, HttpServletRequest request) throws IOException {
        Map<String, Object> incident = queries.get(incidentId(id)).orElseThrow(() -> new NotFoundException("no incident " + id));
        views.record(who, id, route(request), EvidenceViews.View.INCIDENT);
        return incident;
    }

    /** An incident's evidence timeline; its reading recorded in the audit log before it is answered. */
    @GetMapping("/api/incidents/{id}/evidence")
    public Map<String, Object> evidence(@PathVariable String id, @RequestParam(required = false) Integer size, Authentication who,
            HttpServletRequest request) throws IOException {
        int s = Parameters.bounded("size", size, 200, 1, 1000);
        Map<String, Object> evidence = queries.evidence(incidentId(id), s).orElseThrow(() -> new NotFoundException("no incident " + id));
        views.record(who, id, route(request), EvidenceViews.View.EVIDENCE);
        return evidence;
    }

    /** What the incident page shows: the incident and its evidence timeline, read, then recorded once (route page). */
    public record IncidentPage(Map<String, Object> incident, Map<String, Object> evidence) {
    }

    public IncidentPage incidentPage(String id, int evidenceSize, Authentication who) throws IOException {
        Map<String, Object> incident = queries.get(incidentId(id)).orElseThrow(() -> new NotFoundException("no incident " + id));
        Map<String, Object> evidence = queries.evidence(id, evidenceSize).orElseThrow(() -> new NotFoundException("no incident " + id));
        views.record(who, id, EvidenceViews.Route.PAGE, EvidenceViews.View.INCIDENT_AND_EVIDENCE);
        return new IncidentPage(incident, evidence);
    }

    /** The API directly, or through a page's session ({@code /ui/api/...}, forwarded inside the server by ApiBridge). */
    private static EvidenceViews.Route route(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) != null ? EvidenceViews.Route.UI_API : EvidenceViews.Route.API;
    }

    private static String incidentId(String id) {
        if (!INCIDENT_ID.matcher(id).matches()) {
            throw new BadParameterException("id", "an incident id is 32 lower-case hex digits");
        }
        return id;
    }

    @GetMapping("/api/lists")
    public Map<String, Object> lists(@RequestParam(required = false) Integer size) throws IOException {
        return queries.lists(Parameters.bounded("size", size, 100, 1, 1000));
    }

    private static String text(String name, String value) {
        return Parameters.text(name, value);
    }
}
