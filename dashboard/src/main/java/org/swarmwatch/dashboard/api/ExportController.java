package org.swarmwatch.dashboard.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.swarmwatch.dashboard.audit.AuditLog;
import org.swarmwatch.dashboard.export.ExportFormat;
import org.swarmwatch.dashboard.export.ExportSigner;
import org.swarmwatch.dashboard.export.IncidentExporter;
import org.swarmwatch.events.signature.ExportSignature;
import org.swarmwatch.events.signature.VerificationKey;

/**
 * Signed exports of a filtered incident set (COMPLIANCE; the public key also ADMIN,
 * SecurityConfiguration), docs/dashboard.md "Exports".
 */
@RestController
class ExportController {
    static final String EXPORT_ID = "X-Swarmwatch-Export-Id";
    private static final Logger LOG = LoggerFactory.getLogger(ExportController.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private final IncidentExporter exporter;
    private final ExportSigner signer;

    ExportController(IncidentExporter exporter, ExportSigner signer) {
        this.exporter = exporter;
        this.signer = signer;
    }

    /** The file itself; made, signed and audited completely before its first byte is sent. */
    @GetMapping("/api/incidents/export")
    void export(@RequestParam(required = false) String format, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String rightsHolder,
            @RequestParam(required = false) String title, @RequestParam(required = false) String hash,
            @RequestParam(required = false) String subscriber, @RequestParam(required = false) String severity,
            @RequestParam(required = false) Double minConfidence, Authentication who, HttpServletResponse response) throws IOException {
        if (format == null) {
            throw new BadParameterException("format", "required: csv, json or pdf");
        }
        ExportFormat f = ExportFormat.named(format);
        if (f == null) {
            throw new BadParameterException("format", "one of csv, json, pdf, not '" + Parameters.shorten(format) + "'");
        }
        IncidentQueries.Filter filter = IncidentController.filter(from, to, rightsHolder, title, hash, subscriber, severity, minConfidence);
        List<String> roles = AuditLog.roles(who);
        try (IncidentExporter.Export e = exporter.export(filter, filter.parameters(), f, who.getName(), roles)) {
            response.setStatus(200);
            response.setContentType(f.contentType());
            response.setContentLengthLong(Files.size(e.file()));
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(e.fileName(), StandardCharsets.UTF_8)
                    .build().toString());
            response.setHeader(EXPORT_ID, e.signature().exportId());
            response.setHeader("X-Swarmwatch-Export-Sha256", e.signature().fileSha256());
            response.setHeader("X-Swarmwatch-Export-Rows", Long.toString(e.rows()));
            response.setHeader("X-Swarmwatch-Signature", "/api/incidents/export/" + e.signature().exportId() + "/signature");
            try (OutputStream out = response.getOutputStream()) {
                Files.copy(e.file(), out);
            } catch (IOException gone) {
                // the client went away mid-download: the export was made and audited, nothing else to do
                LOG.info("export {} was not downloaded completely: {}", e.signature().exportId(), gone.toString());
            }
        }
    }

    /** The detached signature of an earlier export, from its audit record. */
    @GetMapping("/api/incidents/export/{id}/signature")
    ResponseEntity<byte[]> signature(@PathVariable String id) throws IOException {
        if (!ID.matcher(id).matches()) {
            throw new BadParameterException("id", "an export id is 32 lower-case hex digits");
        }
        ExportSignature s = exporter.signature(id).orElseThrow(() -> new NotFoundException("no export " + id));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(s.fileName() + ".sig", StandardCharsets.UTF_8)
                        .build().toString())
                .header(EXPORT_ID, s.exportId())
                .body(s.toJson());
    }

    /** The public half of the signing key, PEM. */
    @GetMapping("/api/incidents/export/public-key")
    ResponseEntity<String> publicKey() {
        VerificationKey key = signer.required().verificationKey();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-pem-file"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("swarmwatch-export-key-" + key.fingerprint().substring(0, 16) + ".pem").build().toString())
                .header("X-Swarmwatch-Key-Fingerprint", key.fingerprint())
                .body(key.pem());
    }
}
