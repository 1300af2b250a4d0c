package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.util.HtmlUtils;

/**
 * A list upload over the size limits, by a real multipart request on the real app (small limits
 * here, so that the test needs kilobytes, not 256 MiB): over the list's own limit
 * ({@code max-upload-bytes}, 4 KiB) and over the container's multipart limits (a file over
 * 16 KiB; a request over 24 KiB), each comes back to the lists page with the file, its size and
 * the limit with its property, logged as every refused upload is, and nothing written. The API
 * answers a too-large multipart body with a JSON 413.
 */
@TestPropertySource(properties = {"swarmwatch.dashboard.lists.max-upload-bytes=4096", "spring.servlet.multipart.max-file-size=16KB",
        "spring.servlet.multipart.max-request-size=24KB"})
@ExtendWith(OutputCaptureExtension.class)
class ListUploadLimitTest extends DashboardTest {
    private static final String LIMIT = "list uploads are limited to 4 KiB (4096 bytes) by swarmwatch.dashboard.lists.max-upload-bytes";

    @Test
    void overTheListLimitButWithinTheContainers() throws Exception {
        refusedOnTheListsPage("list-8k.csv", 8192, "list-8k.csv is 8 KiB (8192 bytes); " + LIMIT);
    }

    @Test
    void aFileOverTheContainersFileLimit(CapturedOutput log) throws Exception {
        String shown = refusedOnTheListsPage("list-20k.csv", 20 * 1024, "list-20k.csv is too large: the whole upload is ");
        assertTrue(shown.contains(LIMIT), shown);
        assertTrue(log.getOut().contains("list upload by compliance of list-20k.csv refused: list-20k.csv is too large"),
                "logged as every refused upload is");
    }

    @Test
    void aRequestOverTheContainersRequestLimit(CapturedOutput log) throws Exception {
        // 3 MiB: more than Tomcat's default of 2 MiB it would read of a refused body before closing the connection
        String shown = refusedOnTheListsPage("list-3m.csv", 3 << 20, "The upload is 3.0 MiB (");
        assertTrue(shown.contains(LIMIT), shown);
        assertTrue(log.getOut().contains("list upload by compliance of (no file name) refused: The upload is 3.0 MiB"), "logged");
    }

    @Test
    void anOperatorsTooLargeUploadIsStillRefusedAccess() throws Exception {
        FormSession operator = FormSession.signIn(port, "operator");
        assertEquals(403, operator.send(upload(operator, "x.csv", 3 << 20, "none")).statusCode());
        assertEquals(403, operator.send(upload(operator, "x.csv", 8192, "none")).statusCode());
    }

    @Test
    void theApiAnswersATooLargeBodyWithJson413() throws Exception {
        FormSession nobody = new FormSession(port);
        HttpResponse<String> r = nobody.send(upload(nobody, "x.csv", 3 << 20, "none")
                .uri(URI.create(nobody.base + "/api/admin/tokens?username=compliance&label=too-large"))
                .header("Authorization", ApiClient.basic("admin")));
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        String error = ApiClient.parse(r.body()).path("error").asText();
        assertTrue(error.startsWith("the request body (3.0 MiB (") && error.endsWith(
                "is larger than the 24 KiB (24576 bytes) a request may hold, spring.servlet.multipart.max-request-size"), error);
        assertFalse(api().json("/api/admin/tokens?username=compliance", "admin").toString().contains("too-large"), "no token made");
    }

    /** Uploads {@code name} of {@code bytes} as compliance through the form; the refusal on the lists page it leads back to. */
    private String refusedOnTheListsPage(String name, int bytes, String expected) throws Exception {
        FormSession s = FormSession.signIn(port, "compliance");
        HttpResponse<String> r = s.send(upload(s, name, bytes, s.csrf("/lists")));
        assertEquals(302, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").orElse("").endsWith("/lists"), r.headers().toString());
        HttpResponse<String> page = s.get("/lists");
        assertEquals(200, page.statusCode());
        String body = HtmlUtils.htmlUnescape(page.body());
        int at = body.indexOf("Upload refused.");
        assertTrue(at >= 0, "the refusal is shown on the lists page");
        String shown = body.substring(at, body.indexOf("</div>", at)).replaceAll("<[^>]+>", "");
        assertTrue(shown.contains(expected), shown);
        assertFalse(Files.exists(seeded().uploads.directory().resolve(name)), "nothing reaches the list directory");
        try (Stream<java.nio.file.Path> left = Files.list(seeded().uploads.directory())) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".upload-")), "no staging directory left");
        }
        assertFalse(s.get("/lists").body().contains("Upload refused."), "shown once");
        return shown;
    }

    /** A multipart POST of the lists form: the CSRF token, a list file of {@code bytes} CSV-ish bytes. */
    private static HttpRequest.Builder upload(FormSession s, String name, int bytes, String csrf) {
        byte[] file = new byte[bytes];
        Arrays.fill(file, (byte) 'a');
        return s.listUpload(csrf, name, file, null);
    }
}
