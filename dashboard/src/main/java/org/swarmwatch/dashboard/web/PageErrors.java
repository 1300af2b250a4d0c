package org.swarmwatch.dashboard.web;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;
import org.swarmwatch.dashboard.api.NotFoundException;
import org.swarmwatch.dashboard.audit.AuditUnavailableException;

/**
 * Errors of the server-rendered pages as pages (the API's own, {@code ApiErrors}, are JSON):
 * what went wrong in words, never an exception's text (that goes to the log).
 */
@ControllerAdvice(assignableTypes = {CompliancePages.class, AdminPages.class, OperatorPages.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {
    private static final Logger LOG = LoggerFactory.getLogger(PageErrors.class);

    @ExceptionHandler(NotFoundException.class)
    ModelAndView notFound(NotFoundException e, HttpServletRequest request) {
        return page(request, HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    /** Incident data whose reading the audit log did not take is not shown (EvidenceViews). */
    @ExceptionHandler(AuditUnavailableException.class)
    ModelAndView auditUnavailable(AuditUnavailableException e, HttpServletRequest request) {
        return page(request, HttpStatus.SERVICE_UNAVAILABLE, "Incident data not shown", e.getMessage());
    }

    @ExceptionHandler({ElasticsearchException.class, IOException.class})
    ModelAndView elasticsearch(Exception e, HttpServletRequest request) {
        LOG.warn("page: Elasticsearch query failed", e);
        return page(request, HttpStatus.BAD_GATEWAY, "Data unavailable", "Elasticsearch is unavailable or refused the query. Try again in a moment.");
    }

    private static ModelAndView page(HttpServletRequest request, HttpStatus status, String title, String message) {
        ModelAndView m = new ModelAndView("problem", status);
        m.addObject("title", title);
        m.addObject("message", message);
        m.addObject("status", status.value());
        m.addObject("viewer", CurrentViewer.of(request.getUserPrincipal()));
        return m;
    }
}
