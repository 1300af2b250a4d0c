package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.HtmlUtils;

/**
 * Every rights-list upload through the lists page is in the audit log: an accepted one with the
 * list's id, SHA-256, size, entries, signer and key fingerprint, recorded before it is published;
 * a refused one with its reason. When the audit log cannot take the record of an accepted list,
 * the list is not published and the page says why.
 */
class ListUploadAuditTest extends DashboardTest {
    private static final String CSV = """
            hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action
            89abcdef0123456789abcdef0123456789abcdef,btih_v1,Audited Film,Studio D,studio-d,2020-01-01,,incident
            """;

    @AfterEach
    void removeWhatWasPublished() throws Exception {
        // the upload directory is shared with the other tests of this context (the browser test counts its files)
        for (String f : List.of("studio-d.csv", "studio-d.csv.sig", "studio-d-first.csv", "studio-d-first.csv.sig", "studio-d-bad.csv",
                "studio-d-blocked.csv", "studio-d-blocked.csv.sig")) {
            Files.deleteIfExists(seeded().uploads.directory().resolve(f));
        }
    }

    @Test
    void anAcceptedUploadIsRecordedWithItsVersionAndSigner() throws Exception {
        byte[] bytes = CSV.getBytes(StandardCharsets.UTF_8);
        String shown = upload("studio-d.csv", bytes, seeded().uploads.sign(bytes));
        assertTrue(shown.contains("Accepted studio-d.csv"), shown);
        assertEquals(CSV, Files.readString(seeded().uploads.directory().resolve("studio-d.csv")), "published");

        JsonNode r = only("studio-d.csv");
        assertEquals("compliance", r.path("user").asText());
        assertEquals("[\"COMPLIANCE\"]", r.path("roles").toString());
        JsonNode list = r.path("list");
        assertEquals("accepted", list.path("outcome").asText());
        assertEquals("studio-d", list.path("id").asText());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), list.path("sha256").asText());
        assertEquals(bytes.length, list.path("bytes").asLong());
        assertEquals(1, list.path("entries").asInt());
        assertEquals("studio.pub.pem", list.path("signer").asText());
        assertTrue(list.path("key_fingerprint").asText().matches("[0-9a-f]{64}"), list.toString());
        assertTrue(list.path("reason").isMissingNode(), list.toString());
    }

    @Test
    void aRefusedUploadIsRecordedWithItsReason() throws Exception {
        byte[] bytes = CSV.getBytes(StandardCharsets.UTF_8);
        String shown = upload("studio-d-bad.csv", bytes, seeded().uploads.sign("other bytes".getBytes(StandardCharsets.UTF_8)));
        assertTrue(shown.contains("Upload refused.") && shown.contains("bad signature"), shown);
        assertFalse(Files.exists(seeded().uploads.directory().resolve("studio-d-bad.csv")));

        JsonNode list = only("studio-d-bad.csv").path("list");
        assertEquals("refused", list.path("outcome").asText());
        assertTrue(list.path("reason").asText().contains("bad signature"), list.toString());
        assertTrue(list.path("sha256").isMissingNode() && list.path("id").isMissingNode(), "nothing was accepted: " + list);
    }

    @Test
    void withoutTheAuditLogAnAcceptableListIsNotPublished() throws Exception {
        byte[] bytes = CSV.getBytes(StandardCharsets.UTF_8);
        upload("studio-d-first.csv", bytes, seeded().uploads.sign(bytes)); // the audit index exists
        AuditIndex.blockWrites(true);
        String shown;
        try {
            shown = upload("studio-d-blocked.csv", bytes, seeded().uploads.sign(bytes));
        } finally {
            AuditIndex.blockWrites(false);
        }
        assertTrue(shown.contains("studio-d-blocked.csv is not published: a list upload is recorded in the audit log first, and the audit log "
                + "(Elasticsearch) did not take the record."), shown);
        Path dir = seeded().uploads.directory();
        assertFalse(Files.exists(dir.resolve("studio-d-blocked.csv")) || Files.exists(dir.resolve("studio-d-blocked.csv.sig")),
                "nothing reaches the list directory");
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".upload-")), "no staging directory left");
        }
        assertEquals(List.of(), AuditIndex.records(api(), "lists.upload", e -> e.path("list").path("file_name").asText().equals("studio-d-blocked.csv")));
    }

    @Test
    void onlyComplianceUploadsAndARefusedRequestRecordsNothing() throws Exception {
        int before = AuditIndex.records(api(), "lists.upload", e -> true).size();
        for (String user : List.of("operator", "admin")) {
            FormSession s = FormSession.signIn(port, user);
            byte[] bytes = CSV.getBytes(StandardCharsets.UTF_8);
            // the form is not theirs: take a token from a page they may open
            assertEquals(403, s.send(s.listUpload(s.csrf("/traffic"), "studio-d.csv", bytes, null)).statusCode(), user);
        }
        assertEquals(before, AuditIndex.records(api(), "lists.upload", e -> true).size(), "a refused request uploads nothing");
    }

    /** Uploads through the lists form as compliance; the outcome shown on the lists page it leads back to. */
    private String upload(String name, byte[] list, String signature) throws Exception {
        FormSession s = FormSession.signIn(port, "compliance");
        HttpResponse<String> r = s.send(s.listUpload(s.csrf("/lists"), name, list, signature.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(302, r.statusCode(), r.body());
        HttpResponse<String> page = s.get("/lists");
        assertEquals(200, page.statusCode());
        String body = HtmlUtils.htmlUnescape(page.body());
        int at = Math.max(body.indexOf("data-testid=\"upload-ok\""), body.indexOf("data-testid=\"upload-refused\""));
        assertTrue(at >= 0, "an outcome on the lists page");
        return body.substring(at, body.indexOf("</div>", at)).replaceAll("<[^>]+>", "");
    }

    /** The one lists.upload record of {@code fileName} by this test's uploads. */
    private JsonNode only(String fileName) throws Exception {
        List<JsonNode> found = AuditIndex.records(api(), "lists.upload", e -> e.path("list").path("file_name").asText().equals(fileName));
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }
}
