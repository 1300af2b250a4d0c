package org.swarmwatch.dashboard.api;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.swarmwatch.dashboard.audit.AuditLog;
import org.swarmwatch.dashboard.audit.EvidenceViews;
import org.swarmwatch.dashboard.audit.ListUploadAudit;
import org.swarmwatch.dashboard.export.IncidentExporter;

/** The audit log, read only (ADMIN only, SecurityConfiguration); the API has no way to change it. */
@RestController
class AuditController {
    /** What the audit log records (docs/dashboard.md, "Audit"). */
    static final List<String> ACTIONS = List.of(IncidentExporter.ACTION, EvidenceViews.ACTION, EvidenceViews.LIST_ACTION, ListUploadAudit.ACTION);
    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/api/admin/audit")
    Map<String, Object> audit(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String action) throws IOException {
        String a = Parameters.text("action", action);
        if (a != null && !ACTIONS.contains(a)) {
            throw new BadParameterException("action", "one of " + String.join(", ", ACTIONS) + ", not '" + Parameters.shorten(a) + "'");
        }
        int s = Parameters.bounded("size", size, 50, 1, 200);
        int p = Parameters.bounded("page", page, 0, 0, Parameters.MAX_RESULT_WINDOW);
        if ((long) (p + 1) * s > Parameters.MAX_RESULT_WINDOW) {
            throw new BadParameterException("page", "pages end at the " + Parameters.MAX_RESULT_WINDOW + "th record");
        }
        return audit.page(p, s, a);
    }
}
