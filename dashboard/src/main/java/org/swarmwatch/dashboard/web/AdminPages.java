package org.swarmwatch.dashboard.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.swarmwatch.dashboard.api.AdminController;
import org.swarmwatch.dashboard.elastic.ElasticsearchProperties;
import org.swarmwatch.dashboard.lists.ListUploadProperties;

/** The administrator's pages (ADMIN): users, the audit log, retention and storage settings. */
@Controller
class AdminPages {
    private final AdminController api;
    private final ElasticsearchProperties elasticsearch;
    private final ListUploadProperties lists;
    private final Environment environment;

    AdminPages(AdminController api, ElasticsearchProperties elasticsearch, ListUploadProperties lists, Environment environment) {
        this.api = api;
        this.elasticsearch = elasticsearch;
        this.lists = lists;
        this.environment = environment;
    }

    @GetMapping("/admin/users")
    String users(Model model) {
        model.addAttribute("section", "users");
        model.addAttribute("users", api.users().get("users"));
        return "admin/users";
    }

    /** Drawn in the browser from {@code GET /api/admin/audit} (through {@link ApiBridge}), with paging. */
    @GetMapping("/admin/audit")
    String audit(Model model) {
        model.addAttribute("section", "audit");
        return "admin/audit";
    }

    /**
     * Read only: retention is the classifier's setting ({@code --retention-days}, daily indices
     * deleted whole) and Kafka's; the dashboard shows where the data lives and what governs it.
     */
    @GetMapping("/admin/retention")
    String retention(Model model) {
        model.addAttribute("section", "retention");
        Map<String, String> storage = new LinkedHashMap<>();
        storage.put("Elasticsearch", elasticsearch.url().toString());
        storage.put("Index prefix", elasticsearch.indexPrefix());
        storage.put("Flow indices", elasticsearch.flows());
        storage.put("Observation indices", elasticsearch.observations());
        storage.put("Stats indices", elasticsearch.stats());
        storage.put("Incidents", elasticsearch.incidents());
        storage.put("List versions", elasticsearch.lists());
        storage.put("List directory (uploads)", lists.directory() == null ? "not configured: uploads disabled" : lists.directory().toString());
        storage.put("Active profiles", String.join(", ", environment.getActiveProfiles()).isEmpty() ? "default"
                : String.join(", ", environment.getActiveProfiles()));
        model.addAttribute("storage", storage);
        return "admin/retention";
    }
}
