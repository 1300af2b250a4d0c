package org.swarmwatch.dashboard.audit;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.swarmwatch.dashboard.token.BearerTokenFilter;

/**
 * Every read of incident data, recorded in the audit log before the data is handed out: a read of
 * one incident's evidence (its record, its observation timeline; action {@value #ACTION}) and a
 * read of the incident list (rows with subscriber pseudonyms and hashes; action
 * {@value #LIST_ACTION}, with the filter, the page and how many rows were shown). Each record says
 * who, when, through which route (a page, the API, or the API through a page's session) and, for
 * an API token, which token. Nothing of the evidence itself goes into the record.
 *
 * <p>No record, no data: personal data is shown only once its reading is on record, as an export
 * is sent only once recorded. When the audit log cannot take the record (Elasticsearch away, the
 * index blocked), {@link #record} and {@link #recordList} throw {@link AuditUnavailableException}
 * and the caller answers 503 without the data.
 *
 * <p>One record per read, written without waiting for the index's refresh
 * ({@link AuditLog#recordNow}): durable before the answer, searchable within a second.
 */
@Service
public class EvidenceViews {
    public static final String ACTION = "incidents.view";
    public static final String LIST_ACTION = "incidents.list";
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceViews.class);

    /** How the evidence was reached. */
    public enum Route {
        /** The server-rendered incident page ({@code /incidents/{id}}). */
        PAGE("page"),
        /** The JSON API, with HTTP Basic or an API token. */
        API("api"),
        /** The JSON API through a signed-in page session ({@code /ui/api/...}, ApiBridge). */
        UI_API("ui-api");

        private final String label;

        Route(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What was read: the incident's record, its timeline, or both (the page shows both). */
    public enum View {
        INCIDENT("incident"), EVIDENCE("evidence"), INCIDENT_AND_EVIDENCE("incident+evidence");

        private final String label;

        View(String label) {
            this.label = label;
        }
    }

    private final AuditLog audit;

    public EvidenceViews(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * Records that {@code who} read incident {@code incidentId}; returns once the record is durable.
     *
     * @throws AuditUnavailableException when the audit log does not take it: do not show the evidence
     */
    public void record(Authentication who, String incidentId, Route route, View view) {
        Map<String, Object> access = access(who, route);
        access.put("view", view.label);
        write(who, ACTION, Map.of("incident", Map.of("id", incidentId), "access", access), "incident " + incidentId,
                "reading incident evidence");
    }

    /**
     * Records that {@code who} read a page of the incident list; returns once the record is durable.
     *
     * @param filter the filters given, in the API's form ({@link org.swarmwatch.dashboard.api.IncidentQueries.Filter#parameters})
     * @param rows how many incidents the answer holds
     * @param total how many incidents match the filter
     * @throws AuditUnavailableException when the audit log does not take it: do not show the list
     */
    public void recordList(Authentication who, Map<String, String> filter, int page, int size, long rows, long total, Route route) {
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("filter", filter);
        search.put("page", page);
        search.put("size", size);
        search.put("rows", rows);
        search.put("total", total);
        write(who, LIST_ACTION, Map.of("search", search, "access", access(who, route)), "the incident list",
                "reading the incident list");
    }

    private static Map<String, Object> access(Authentication who, Route route) {
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("route", route.label());
        if (who.getDetails() instanceof BearerTokenFilter.TokenDetails token) {
            access.put("token", token.tokenId());
        }
        return access;
    }

    /** Writes the record, or throws {@link AuditUnavailableException} saying that {@code what} is not shown because {@code reading} is audited. */
    private void write(Authentication who, String action, Map<String, Object> swarmwatch, String what, String reading) {
        AuditLog.Event event = AuditLog.Event.now(action, who, swarmwatch);
        try {
            audit.recordNow(event);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} by {} could not be recorded in the audit log; {} is not shown", reading, who.getName(), what, e);
            throw new AuditUnavailableException(what + " is not shown: " + reading + " is recorded in the "
                    + "audit log first, and the audit log (Elasticsearch) did not take the record. Try again later, or ask an administrator "
                    + "to check the audit index.");
        }
    }
}
