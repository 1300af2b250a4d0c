package org.swarmwatch.dashboard.api;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.swarmwatch.dashboard.audit.AuditUnavailableException;
import org.swarmwatch.dashboard.export.ExportRefusedException;
import org.swarmwatch.dashboard.lists.UploadLimits;

/**
 * Every API error as a short JSON body: 400 naming the parameter, 404, an export refused (400,
 * 503) with why, evidence whose reading the audit log did not take (503), a multipart body over the
 * upload limits (413), 502 when Elasticsearch fails, 500 otherwise. Never a stack trace or an exception's text from below (it could carry
 * a query or a cluster address); those go to the log.
 */
@RestControllerAdvice
class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(BadParameterException.class)
    ResponseEntity<Map<String, Object>> badParameter(BadParameterException e) {
        return body(HttpStatus.BAD_REQUEST, e.getMessage(), e.parameter());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> typeMismatch(MethodArgumentTypeMismatchException e) {
        return body(HttpStatus.BAD_REQUEST, e.getName() + ": not a valid value", e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, Object>> missing(MissingServletRequestParameterException e) {
        return body(HttpStatus.BAD_REQUEST, e.getParameterName() + ": required", e.getParameterName());
    }

    @ExceptionHandler(ExportRefusedException.class)
    ResponseEntity<Map<String, Object>> exportRefused(ExportRefusedException e) {
        return body(HttpStatus.valueOf(e.status()), e.getMessage(), null);
    }

    /** Evidence whose reading could not be recorded is not given (EvidenceViews). */
    @ExceptionHandler(AuditUnavailableException.class)
    ResponseEntity<Map<String, Object>> auditUnavailable(AuditUnavailableException e) {
        return body(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), null);
    }

    /** A multipart body over spring.servlet.multipart.max-file-size / max-request-size, refused unread. */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Map<String, Object>> tooLarge(MaxUploadSizeExceededException e, HttpServletRequest request) {
        return body(HttpStatus.CONTENT_TOO_LARGE, UploadLimits.describe(e, request.getContentLengthLong()), null);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, Object>> notFound(NotFoundException e) {
        return body(HttpStatus.NOT_FOUND, e.getMessage(), null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, Object>> noResource(NoResourceFoundException e) {
        return body(HttpStatus.NOT_FOUND, "no such resource", null);
    }

    @ExceptionHandler({ElasticsearchException.class, IOException.class})
    ResponseEntity<Map<String, Object>> elasticsearch(Exception e) {
        LOG.warn("Elasticsearch query failed", e);
        return body(HttpStatus.BAD_GATEWAY, "Elasticsearch is unavailable or refused the query", null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> other(Exception e) {
        LOG.error("API request failed", e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "internal error", null);
    }

    private static ResponseEntity<Map<String, Object>> body(HttpStatus status, String message, String parameter) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("status", status.value());
        b.put("error", message);
        if (parameter != null) {
            b.put("parameter", parameter);
        }
        return ResponseEntity.status(status).body(b);
    }
}
