package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.elasticsearch.client.ResponseException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.swarmwatch.dashboard.audit.AuditLog;
import org.swarmwatch.events.signature.ExportSignature;
import org.swarmwatch.events.signature.ExportVerification;

/**
 * Signed exports made by the real application from the seeded engine: each format holds the
 * filtered incidents, its signature verifies with the configured key and fails after one changed
 * byte, every export has its audit record before it is handed out, and the audit log cannot be
 * overwritten. The PDF (with its signature and the public key) and an image of its first page are
 * kept in target/export-artifacts.
 */
class ExportApiTest extends DashboardTest {
    static final Path ARTIFACTS = Path.of("target/export-artifacts");

    @TempDir
    Path dir;

    @Autowired
    AuditLog audit;

    /** An export as a client gets it: the file, its headers and its signature. */
    record Exported(HttpResponse<byte[]> response, byte[] body, String id, ExportSignature signature) {
    }

    Exported export(String query) throws Exception {
        HttpResponse<byte[]> r = api().bytes("/api/incidents/export?" + query, "compliance");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        String id = r.headers().firstValue("X-Swarmwatch-Export-Id").orElseThrow();
        String sigPath = r.headers().firstValue("X-Swarmwatch-Signature").orElseThrow();
        assertEquals("/api/incidents/export/" + id + "/signature", sigPath);
        HttpResponse<byte[]> s = api().bytes(sigPath, "compliance");
        assertEquals(200, s.statusCode(), new String(s.body(), StandardCharsets.UTF_8));
        ExportSignature sig = ExportSignature.parse("signature of " + id, s.body());
        assertEquals(id, sig.exportId());
        String disposition = r.headers().firstValue("Content-Disposition").orElseThrow();
        assertTrue(disposition.startsWith("attachment") && disposition.contains(sig.fileName()), disposition);
        assertTrue(s.headers().firstValue("Content-Disposition").orElseThrow().contains(sig.fileName() + ".sig"));
        return new Exported(r, r.body(), id, sig);
    }

    /** Verifies the export as {@code swarmwatch verify} does, then again after one byte is changed. */
    void assertSignedAndTamperEvident(Exported e, String name) throws Exception {
        Path file = Files.write(dir.resolve(name), e.body());
        ExportVerification.Result ok = ExportVerification.verify(file, e.signature(), seeded().exportKey);
        assertEquals(ExportVerification.Outcome.VALID, ok.outcome(), ok.message());
        byte[] tampered = e.body().clone();
        tampered[tampered.length / 2] ^= 0x01;
        Files.write(file, tampered);
        ExportVerification.Result bad = ExportVerification.verify(file, e.signature(), seeded().exportKey);
        assertEquals(ExportVerification.Outcome.FILE_DOES_NOT_MATCH, bad.outcome());
        assertTrue(bad.message().contains("does not match its signature"), bad.message());
    }

    @Test
    void csvOfAFilterIsSignedAndAudited() throws Exception {
        Instant before = Instant.now();
        Exported e = export("format=csv&rightsHolder=Studio%20B");
        assertEquals("text/csv;charset=UTF-8", e.response().headers().firstValue("Content-Type").orElseThrow().replace(" ", ""));
        String csv = new String(e.body(), StandardCharsets.UTF_8);
        String[] lines = csv.split("\r\n");
        assertEquals(1 + 5, lines.length, csv);
        assertTrue(lines[0].startsWith("id,last_seen,first_seen,subscriber,severity,role"), lines[0]);
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].contains("Studio B") && lines[i].contains(SeededElasticsearch.A1), lines[i]);
        }
        assertEquals("5", e.response().headers().firstValue("X-Swarmwatch-Export-Rows").orElseThrow());
        assertEquals(e.signature().fileSha256(), e.response().headers().firstValue("X-Swarmwatch-Export-Sha256").orElseThrow());
        assertEquals(seeded().exportKey.fingerprint(), e.signature().keyFingerprint());
        assertSignedAndTamperEvident(e, "export.csv");

        JsonNode event = auditEvent(e.id());
        assertEquals("incidents.export", event.path("action").asText());
        assertEquals("compliance", event.path("user").asText());
        assertEquals("[\"COMPLIANCE\"]", event.path("roles").toString());
        assertFalse(Instant.parse(event.path("timestamp").asText()).isBefore(before.minusSeconds(1)));
        JsonNode x = event.path("export");
        assertEquals("csv", x.path("format").asText());
        assertEquals("Studio B", x.path("filter").path("rightsHolder").asText());
        assertEquals(5, x.path("rows").asLong());
        assertEquals(e.body().length, x.path("bytes").asLong());
        assertEquals(e.signature().fileSha256(), x.path("sha256").asText());
        assertEquals(e.signature().fileName(), x.path("file_name").asText());
        assertEquals(seeded().exportKey.fingerprint(), event.path("signature").path("key_fingerprint").asText());
        assertEquals("Ed25519", event.path("signature").path("algorithm").asText());
        assertTrue(event.path("signature").path("file").isMissingNode(), "the signature file itself is not listed: " + event);
    }

    @Test
    void jsonHoldsEveryIncidentWithEveryEvidenceField() throws Exception {
        Exported e = export("format=json");
        assertSignedAndTamperEvident(e, "export.json");
        JsonNode doc = ApiClient.JSON.readTree(e.body());
        assertEquals(e.id(), doc.path("export").path("id").asText());
        assertEquals("compliance", doc.path("export").path("user").asText());
        assertEquals(1 + SeededElasticsearch.DERIVED, doc.path("export").path("incidents").asLong());
        assertEquals(1 + SeededElasticsearch.DERIVED, doc.path("incidents").size());
        assertEquals(0, doc.path("export").path("filter").size(), "no filter: " + doc.path("export"));
        JsonNode real = api().json("/api/incidents/" + seeded().incidentId, "compliance");
        assertEquals(real, doc.path("incidents").get(0), "the newest first, as the API gives it");
    }

    @Test
    void pdfReportVerifiesAndReadsAsAReport() throws Exception {
        String subscriber = URLEncoder.encode(seeded().subscriber, StandardCharsets.UTF_8);
        Exported all = export("format=pdf");
        assertEquals("application/pdf", all.response().headers().firstValue("Content-Type").orElseThrow());
        assertTrue(new String(all.body(), 0, 5, StandardCharsets.US_ASCII).equals("%PDF-"));
        assertSignedAndTamperEvident(all, "export.pdf");
        try (PDDocument pdf = Loader.loadPDF(all.body())) {
            String text = new PDFTextStripper().getText(pdf);
            assertTrue(text.contains("Swarmwatch incident export"), text);
            assertTrue(text.contains("none (all incidents)"), text);
            assertTrue(text.contains("by compliance (COMPLIANCE)"), text);
            assertTrue(text.contains(all.id()), text);
            assertTrue(text.contains(seeded().exportKey.fingerprint()), text);
            assertTrue(text.contains("Test Film One") && text.contains("Studio A") && text.contains("Studio B"), text);
            assertTrue(text.contains("offering") && text.contains("tracker_seeding") || text.contains("pieces_sent"), text);
            assertTrue(text.contains("Page 1 of " + pdf.getNumberOfPages()), text);
            assertEquals("Swarmwatch incident export " + all.id(), pdf.getDocumentInformation().getTitle());
            Files.createDirectories(ARTIFACTS);
            Files.write(ARTIFACTS.resolve(all.signature().fileName()), all.body());
            Files.write(ARTIFACTS.resolve(all.signature().fileName() + ".sig"), all.signature().toJson());
            Files.writeString(ARTIFACTS.resolve("export-signing.pub.pem"), seeded().exportKey.pem());
            BufferedImage page = new PDFRenderer(pdf).renderImageWithDPI(0, 110);
            ImageIO.write(page, "png", ARTIFACTS.resolve("incident-export-page1.png").toFile());
        }
        Exported one = export("format=pdf&subscriber=" + subscriber);
        try (PDDocument pdf = Loader.loadPDF(one.body())) {
            String text = new PDFTextStripper().getText(pdf);
            assertTrue(text.contains("subscriber = " + seeded().subscriber), text);
            assertFalse(text.contains("Studio B"), "only the filtered incident: " + text);
        }
    }

    @Test
    void anEmptySetIsStillASignedReport() throws Exception {
        Exported e = export("format=pdf&severity=medium");
        assertEquals("0", e.response().headers().firstValue("X-Swarmwatch-Export-Rows").orElseThrow());
        try (PDDocument pdf = Loader.loadPDF(e.body())) {
            assertTrue(new PDFTextStripper().getText(pdf).contains("No incidents match this filter."));
        }
        assertSignedAndTamperEvident(e, "empty.pdf");
    }

    @Test
    void badRequestsAreNamed() {
        assertBad("/api/incidents/export", "format", "required");
        assertBad("/api/incidents/export?format=xlsx", "format", "one of csv, json, pdf");
        assertBad("/api/incidents/export?format=csv&severity=urgent", "severity", "one of info");
        assertBad("/api/incidents/export?format=csv&from=yesterday", "from", "ISO-8601");
        assertBad("/api/incidents/export/not-an-id/signature", "id", "32 lower-case hex digits");
        HttpResponse<String> missing = api().get("/api/incidents/export/" + "0".repeat(32) + "/signature", "compliance");
        assertEquals(404, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("no export"), missing.body());
    }

    private void assertBad(String path, String parameter, String words) {
        HttpResponse<String> r = api().get(path, "compliance");
        assertEquals(400, r.statusCode(), path + ": " + r.body());
        JsonNode b = ApiClient.parse(r.body());
        assertEquals(parameter, b.path("parameter").asText(), r.body());
        assertTrue(b.path("error").asText().contains(words), r.body());
    }

    @Test
    void thePublicKeyIsTheConfiguredOne() {
        HttpResponse<String> r = api().get("/api/incidents/export/public-key", "admin");
        assertEquals(200, r.statusCode());
        assertEquals(seeded().exportKey.pem(), r.body());
        assertEquals(seeded().exportKey.fingerprint(), r.headers().firstValue("X-Swarmwatch-Key-Fingerprint").orElseThrow());
    }

    @Test
    void theAuditLogIsNewestFirstPagedAndCannotBeOverwritten() throws Exception {
        Exported first = export("format=csv&severity=high");
        Exported second = export("format=json&severity=high");
        // exports only: readings of evidence by other tests are recorded without waiting for a refresh
        JsonNode page = api().json("/api/admin/audit?size=2&action=incidents.export", "admin");
        assertTrue(page.path("total").asLong() >= 2);
        assertEquals(second.id(), page.path("events").get(0).path("id").asText(), "newest first");
        assertEquals(first.id(), page.path("events").get(1).path("id").asText());
        JsonNode next = api().json("/api/admin/audit?size=1&page=1&action=incidents.export", "admin");
        assertEquals(first.id(), next.path("events").get(0).path("id").asText());

        // an id cannot be written twice: op_type create refuses the second, and the first stays
        AuditLog.Event forged = new AuditLog.Event(first.id(), Instant.now(), "incidents.export", "mallory", List.of("COMPLIANCE"),
                Map.of("export", Map.of("rows", 0)));
        Exception conflict = assertThrows(Exception.class, () -> audit.record(forged));
        assertEquals(409, conflict instanceof ResponseException re ? re.getResponse().getStatusLine().getStatusCode()
                : ((ElasticsearchException) conflict).status(), conflict.toString());
        assertEquals("compliance", auditEvent(first.id()).path("user").asText());
        assertEquals(first.signature(), ExportSignature.parse("again",
                api().bytes("/api/incidents/export/" + first.id() + "/signature", "compliance").body()));

        // the API offers no way to change it
        for (String method : List.of("PUT", "DELETE", "POST")) {
            assertEquals(403, api().send(method, "/api/admin/audit", ApiClient.basic("admin")).statusCode(), method);
        }
        assertBadAudit("size=0");
        assertBadAudit("page=-1");
        assertBadAudit("page=100&size=200");
    }

    private void assertBadAudit(String query) {
        assertEquals(400, api().get("/api/admin/audit?" + query, "admin").statusCode(), query);
    }

    /** The audit record of export {@code id}, from the admin's audit API. */
    private JsonNode auditEvent(String id) {
        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 20; page++) {
            JsonNode r = api().json("/api/admin/audit?action=incidents.export&size=50&page=" + page, "admin");
            for (JsonNode e : r.path("events")) {
                if (e.path("id").asText().equals(id)) {
                    return e;
                }
                seen.add(e.path("id").asText());
            }
            if (r.path("events").size() < 50) {
                break;
            }
        }
        throw new AssertionError("no audit record of export " + id + " among " + seen);
    }

    @Test
    void eachExportGetsItsOwnId() throws Exception {
        assertNotEquals(export("format=csv&severity=high").id(), export("format=csv&severity=high").id());
    }
}
