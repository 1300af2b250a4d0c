package org.swarmwatch.dashboard.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.RequestContextUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.swarmwatch.dashboard.api.BadParameterException;
import org.swarmwatch.dashboard.api.IncidentController;
import org.swarmwatch.dashboard.api.IncidentQueries;
import org.swarmwatch.dashboard.audit.EvidenceViews;
import org.swarmwatch.dashboard.lists.ListUpload;
import org.swarmwatch.dashboard.lists.UploadLimits;

/**
 * The compliance pages (COMPLIANCE): the incident list with its filters and paging, one
 * incident with its evidence timeline, the rights lists with their versions and rejections, and
 * the upload of a new list. Server-rendered, from the same controller methods the API answers
 * with, so that a page and the API never disagree on a filter or on what an incident holds.
 */
@Controller
class CompliancePages {
    private static final int PAGE_SIZE = 25;
    private static final List<String> FILTERS = List.of("from", "to", "rightsHolder", "title", "hash", "subscriber", "severity",
            "minConfidence");

    private final IncidentController api;
    private final ListUpload upload;
    private final UploadLimits limits;

    CompliancePages(IncidentController api, ListUpload upload, UploadLimits limits) {
        this.api = api;
        this.upload = upload;
        this.limits = limits;
    }

    @GetMapping("/incidents")
    String incidents(@RequestParam Map<String, String> params, Model model, Authentication who) throws IOException {
        model.addAttribute("section", "incidents");
        // an empty form field is no filter
        Map<String, String> filter = new LinkedHashMap<>();
        for (String f : FILTERS) {
            String v = params.get(f);
            if (v != null && !v.isBlank()) {
                filter.put(f, v.strip());
            }
        }
        // the API's form of the times (instants) for paging and exports; the picker's form for the form
        Map<String, String> display = new LinkedHashMap<>(filter);
        for (String t : List.of("from", "to")) {
            if (filter.containsKey(t)) {
                filter.put(t, from(filter.get(t)));
                String v = filter.get(t);
                display.put(t, v.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?(\\.\\d+)?Z") ? v.substring(0, Math.min(19, v.length() - 1)) : v);
            }
        }
        model.addAttribute("filter", display);
        UriComponentsBuilder query = UriComponentsBuilder.newInstance();
        filter.forEach(query::queryParam);
        model.addAttribute("filterQuery", query.build().encode().getQuery());
        int page = 0;
        try {
            page = params.containsKey("page") ? Integer.parseInt(params.get("page")) : 0;
            Double minConfidence = filter.containsKey("minConfidence") ? parseConfidence(filter.get("minConfidence")) : null;
            IncidentQueries.Filter f = IncidentController.filter(filter.get("from"), filter.get("to"), filter.get("rightsHolder"),
                    filter.get("title"), filter.get("hash"), filter.get("subscriber"), filter.get("severity"), minConfidence);
            Map<String, Object> result = api.incidents(f, page, PAGE_SIZE, who, EvidenceViews.Route.PAGE);
            model.addAttribute("result", result);
            long total = ((Number) result.get("total")).longValue();
            model.addAttribute("page", page);
            model.addAttribute("pages", Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE));
            model.addAttribute("firstRow", total == 0 ? 0 : page * PAGE_SIZE + 1);
            model.addAttribute("lastRow", Math.min(total, (long) (page + 1) * PAGE_SIZE));
        } catch (NumberFormatException e) {
            model.addAttribute("error", "page: not a number");
        } catch (BadParameterException e) {
            model.addAttribute("error", e.getMessage());
        }
        return "incidents";
    }

    /** A date-time picker's value ({@code 2026-11-23T10:00}, the browser's UTC as the page says) or an API instant or date. */
    private static String from(String value) {
        return value == null ? null : value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}") ? value + ":00Z" : value.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}") ? value + "Z" : value;
    }

    private static Double parseConfidence(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new BadParameterException("minConfidence", "not a number: '" + (value.length() > 32 ? value.substring(0, 32) + "..." : value) + "'");
        }
    }

    /** One incident with its evidence timeline; the reading is recorded in the audit log first (EvidenceViews). */
    @GetMapping("/incidents/{id}")
    String incident(@PathVariable String id, Model model, Authentication who) throws IOException {
        model.addAttribute("section", "incidents");
        try {
            IncidentController.IncidentPage page = api.incidentPage(id, 500, who);
            model.addAttribute("incident", page.incident());
            model.addAttribute("evidence", page.evidence());
        } catch (BadParameterException e) {
            model.addAttribute("title", "Not an incident id");
            model.addAttribute("message", e.getMessage());
            model.addAttribute("status", HttpStatus.BAD_REQUEST.value());
            return "problem";
        }
        return "incident";
    }

    @GetMapping("/lists")
    String lists(Model model) throws IOException {
        model.addAttribute("section", "lists");
        Map<String, Object> lists = api.lists(200);
        model.addAttribute("lists", lists);
        model.addAttribute("active", markActive(lists));
        model.addAttribute("uploadEnabled", upload.enabled());
        model.addAttribute("signatureRequired", upload.signatureRequired());
        model.addAttribute("maxUpload", UploadLimits.human(limits.effective().bytes()));
        return "lists";
    }

    /**
     * The active version of each list: per list id, the newest event decides (loaded: that
     * version is active; removed: none is). Marks each event {@code active} true or false.
     */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> markActive(Map<String, Object> lists) {
        java.util.Set<String> decided = new java.util.HashSet<>();
        List<Map<String, Object>> active = new java.util.ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) lists.get("events")) {
            Object id = e.get("list") instanceof Map<?, ?> l ? l.get("id") : null;
            boolean isActive = false;
            String action = String.valueOf(e.get("action"));
            if (id != null && ("loaded".equals(action) || "removed".equals(action)) && decided.add(id.toString())) {
                isActive = "loaded".equals(action);
            }
            e.put("active", isActive);
            if (isActive) {
                active.add(e);
            }
        }
        return active;
    }

    /** Multipart form with the CSRF token; the outcome shown on the lists page. */
    @PostMapping("/lists")
    String uploadList(@RequestParam("list") MultipartFile list, @RequestParam(name = "signature", required = false) MultipartFile signature,
            Authentication who, RedirectAttributes redirect) throws IOException {
        ListUpload.Outcome outcome;
        if (list.isEmpty()) {
            outcome = upload.refused(who, list.getOriginalFilename(), "no list file chosen, or the file is empty");
        } else if (list.getSize() > limits.effective().bytes()) {
            // over the list's own limit, under the container's: refused before a byte is copied
            outcome = upload.refused(who, list.getOriginalFilename(), limits.refusal(list.getOriginalFilename(), list.getSize()));
        } else {
            try (InputStream in = list.getInputStream();
                    InputStream sig = signature == null || signature.isEmpty() ? null : signature.getInputStream()) {
                outcome = upload.upload(who, list.getOriginalFilename(), in, sig);
            }
        }
        if (outcome.accepted()) {
            var v = outcome.version();
            redirect.addFlashAttribute("uploaded", "Accepted " + v.file() + ": list " + v.listId() + ", " + v.entryCount() + " entries, "
                    + (v.signer() == null ? "unsigned" : "signed by " + v.signer().keyFile()) + ", SHA-256 " + v.sha256()
                    + ". The classifier loads it at its next scan; the version appears below once it has.");
        } else {
            redirect.addFlashAttribute("refused", outcome.refusal());
        }
        return "redirect:/lists";
    }

    /**
     * A list upload over the container's multipart limits: refused before the controller could
     * read it (spring.servlet.multipart.resolve-lazily makes it reach this controller, which
     * answers as for any other refusal: back to the lists page with the reason, and logged).
     */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    String uploadTooLarge(MaxUploadSizeExceededException e, HttpServletRequest request, Authentication who) {
        UploadLimits.TooLarge what = UploadLimits.tooLarge(e, request.getContentLengthLong());
        ListUpload.Outcome outcome = upload.refused(who, what.fileName(), limits.refusal(what));
        RequestContextUtils.getOutputFlashMap(request).put("refused", outcome.refusal());
        return "redirect:/lists";
    }
}
