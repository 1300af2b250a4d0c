package org.swarmwatch.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.swarmwatch.events.signature.ExportSignature;
import org.swarmwatch.events.signature.ExportVerification;

/**
 * The pages in a real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by Playwright
 * for Java; no browser download), against the real application on a free port and the engine the
 * real pipeline seeded: each role signs in, sees its pages with the seeded data, and is refused
 * the others'. Screenshots go to {@code target/screenshots/} (test artifacts).
 *
 * <p>Chromium is a system package: {@code scripts/system-deps.sh chromium} installs it when
 * missing (as root on Debian; otherwise it says what to install), and this test calls it first.
 */
class PagesBrowserTest extends DashboardTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    private static Playwright playwright;
    private static Browser browser;
    private BrowserContext context;
    private Page page;

    @BeforeAll
    static void chromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            Process p = new ProcessBuilder(SeededElasticsearch.ROOT.resolve("scripts/system-deps.sh").toString(), "chromium")
                    .inheritIO().start();
            int exit = p.waitFor();
            assertEquals(0, exit, "scripts/system-deps.sh chromium could not install Debian's chromium (see its message above)");
        }
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: run scripts/system-deps.sh chromium");
        Files.createDirectories(SCREENSHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void newContext() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900).setAcceptDownloads(true)
                .setTimezoneId("UTC").setLocale("en-GB"));
        context.setDefaultTimeout(60_000);
        page = context.newPage();
        // the pages' own errors in the test's output, for a failure's diagnosis
        page.onConsoleMessage(m -> System.out.println("browser console " + m.type() + ": " + m.text()));
        page.onPageError(e -> System.out.println("browser page error: " + e));
    }

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private void shoot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    private void signIn(String user) {
        page.navigate(url("/login"));
        page.fill("#username", user);
        page.fill("#password", user + "-password");
        page.click("button[type=submit]");
        page.waitForURL(u -> !u.contains("/login"));
        page.waitForLoadState(LoadState.NETWORKIDLE);
        if (page.locator("[data-testid=user-name]").count() == 0) {
            shoot("failed-sign-in-" + user);
            throw new AssertionError("not signed in as " + user + ": at " + page.url() + ": " + page.textContent("body"));
        }
        assertEquals(user, page.textContent("[data-testid=user-name]").strip(), "signed in as " + user + " at " + page.url());
    }

    /** The page answers 403 with the access-denied page, whatever the person's other pages. */
    private void refused(String path) {
        Response r = page.navigate(url(path));
        assertEquals(403, r.status(), path);
        assertTrue(page.textContent("[data-testid=error]").contains("Access denied"), path + ": " + page.textContent("body"));
    }

    private String captureRange() {
        return "from=" + seeded().earliest.truncatedTo(ChronoUnit.HOURS) + "&to="
                + seeded().latest.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    }

    @Test
    void signInPage() {
        page.navigate(url("/traffic"));
        assertTrue(page.url().endsWith("/login"), "a page leads to the sign-in form: " + page.url());
        assertEquals("Sign in", page.textContent("button[type=submit]").strip());
        assertTrue(page.locator("form input[name=_csrf]").count() == 1, "the form carries a CSRF token");
        shoot("login");
        page.fill("#username", "operator");
        page.fill("#password", "not-the-password");
        page.click("button[type=submit]");
        page.waitForURL(u -> u.contains("/login?error"));
        assertTrue(page.url().contains("/login?error"), page.url());
        assertTrue(page.textContent(".alert-error").contains("not right"));
        shoot("login-error");
    }

    @Test
    void operatorSeesTheTrafficChartWithData() {
        signIn("operator");
        assertTrue(page.url().contains("/traffic"), "an operator starts on the traffic page: " + page.url());
        assertEquals("Operator", page.textContent("[data-testid=user-roles]").strip());
        page.navigate(url("/traffic?" + captureRange()));
        try {
            page.waitForSelector("body[data-loaded=true]");
        } catch (RuntimeException e) {
            shoot("failed-operator-traffic");
            throw new AssertionError("the traffic page did not load its data: " + page.textContent("#status"), e);
        }
        // the chart itself, as Chart.js holds it: a BitTorrent series with bytes in it
        @SuppressWarnings("unchecked")
        Map<String, Object> series = (Map<String, Object>) page.evaluate("() => {"
                + " const c = Chart.getChart(document.getElementById('traffic-chart'));"
                + " const bt = c.data.datasets.find(d => d.label === 'bittorrent');"
                + " return { labels: c.data.labels.length, datasets: c.data.datasets.map(d => d.label),"
                + "   points: bt ? bt.data.filter(v => v > 0).length : 0, bytes: bt ? bt.data.reduce((a, v) => a + v, 0) : 0 }; }");
        assertTrue(((Number) series.get("points")).intValue() >= 1, "the BitTorrent series has data points: " + series);
        assertTrue(((Number) series.get("bytes")).doubleValue() > 1_000_000, "a1's 1 MB file is in the chart: " + series);
        assertTrue(((Number) series.get("labels")).intValue() >= 10, "a time axis: " + series);
        assertTrue(((List<?>) series.get("datasets")).contains("P2P share"), series.toString());
        assertTrue(page.textContent("#kpi-share").contains("%"), page.textContent("#kpi-share"));
        assertTrue(page.textContent("#subscribers").contains(seeded().subscriber), "the seeder's pseudonym among the top subscribers");
        assertFalse(page.textContent("body").contains("10.77.0.11"), "never an address in clear");
        assertEquals(1, page.locator("#probes tbody tr").count(), "one probe");
        // the probe and link pickers list what the stats records hold
        assertTrue(page.locator("#probe option").count() >= 2 && page.locator("#link option").count() >= 2, "probe and link choices");
        shoot("operator-traffic");

        // the flows measure redraws the same chart from the flow counts
        page.click("button[data-measure=flows]");
        Object flows = page.evaluate("() => Chart.getChart(document.getElementById('traffic-chart')).data.datasets"
                + ".find(d => d.label === 'bittorrent').data.reduce((a, v) => a + v, 0)");
        assertTrue(((Number) flows).intValue() >= 1, "BitTorrent flows: " + flows);

        refused("/incidents");
        refused("/incidents/" + seeded().incidentId);
        refused("/lists");
        refused("/admin/users");
        refused("/admin/audit");
        shoot("operator-refused");
        Response api = page.navigate(url("/ui/api/incidents"));
        assertEquals(403, api.status(), "the session reaches the API with the operator's rights only");
    }

    @Test
    void complianceOpensAnIncidentAndSeesItsEvidence() {
        signIn("compliance");
        assertTrue(page.url().endsWith("/incidents"), "compliance starts on the incident list: " + page.url());
        assertEquals(String.valueOf(1 + SeededElasticsearch.DERIVED), page.textContent("[data-testid=incident-total]").strip());
        shoot("compliance-incidents");

        page.selectOption("#severity", "high");
        page.click("form.filters button[type=submit]");
        page.waitForURL(u -> u.contains("severity=high"));
        assertEquals("1", page.textContent("[data-testid=incident-total]").strip(), "one high-severity incident: the pipeline's");
        assertTrue(page.url().contains("severity=high"), page.url());

        page.click("#incidents tbody tr a.row-link");
        page.waitForURL(u -> u.endsWith("/incidents/" + seeded().incidentId));
        assertTrue(page.url().endsWith("/incidents/" + seeded().incidentId), page.url());
        assertTrue(page.textContent("h1").contains("Test Film One"), page.textContent("h1"));
        assertTrue(page.textContent("body").contains(seeded().subscriber));
        Locator evidence = page.locator("#evidence li");
        assertTrue(evidence.count() >= 1, "an evidence timeline");
        assertTrue(page.textContent("#evidence").contains("offering") || page.textContent("#evidence").contains("handshake"),
                page.textContent("#evidence"));
        assertFalse(page.textContent("body").contains("10.77.0.11"), "the subscriber only as a pseudonym");
        shoot("compliance-incident");

        page.navigate(url("/lists"));
        assertTrue(page.textContent("#active-lists").contains("studio-a"), "the seeded list is active: " + page.textContent("#active-lists"));
        shoot("compliance-lists");

        refused("/traffic");
        refused("/admin/users");
        refused("/admin/retention");
    }

    @Test
    void complianceExportsAPdfWhoseSignatureVerifies() throws Exception {
        signIn("compliance");
        page.navigate(url("/incidents"));
        // the button fetches the export, then the signature its answer names, and offers both as downloads
        List<Download> downloads = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onDownload(downloads::add);
        page.click("#export button[data-format=pdf]");
        page.waitForSelector("#export-status.ok");
        page.waitForCondition(() -> downloads.size() == 2);
        Download pdf = downloads.stream().filter(d -> d.suggestedFilename().endsWith(".pdf")).findFirst().orElseThrow();
        Download sig = downloads.stream().filter(d -> d.suggestedFilename().endsWith(".pdf.sig")).findFirst().orElseThrow();
        Path dir = Files.createDirectories(Path.of("target/export-artifacts/browser"));
        Path pdfFile = dir.resolve(pdf.suggestedFilename()), sigFile = dir.resolve(sig.suggestedFilename());
        pdf.saveAs(pdfFile);
        sig.saveAs(sigFile);
        assertEquals("%PDF", new String(Files.readAllBytes(pdfFile), 0, 4, StandardCharsets.US_ASCII));
        assertTrue(page.textContent("#export-status").contains(ExportVerification.sha256(pdfFile)), page.textContent("#export-status"));
        shoot("compliance-export");

        // what `swarmwatch verify FILE SIGNATURE --key PUBLIC.pem` runs, with the configured key's public half
        ExportSignature signature = ExportSignature.read(sigFile);
        ExportVerification.Result ok = ExportVerification.verify(pdfFile, signature, seeded().exportKey);
        assertTrue(ok.valid(), ok.message());
        byte[] tampered = Files.readAllBytes(pdfFile);
        tampered[tampered.length / 2] ^= 1;
        Path changed = Files.write(dir.resolve("tampered-" + pdf.suggestedFilename()), tampered);
        ExportVerification.Result bad = ExportVerification.verify(changed, signature, seeded().exportKey);
        assertFalse(bad.valid(), "one byte changed must not verify");
        assertTrue(bad.message().contains("does not match its signature"), bad.message());
    }

    @Test
    void complianceUploadsAListThroughTheClassifiersChecks() throws IOException {
        SeededElasticsearch.Uploads uploads = seeded().uploads;
        String csv = """
                hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action
                0123456789abcdef0123456789abcdef01234567,btih_v1,Another Film,Studio C,studio-c,2020-01-01,,incident
                """;
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        signIn("compliance");
        page.navigate(url("/lists"));

        // a signature of other bytes: the classifier's verdict, before anything reaches the directory
        page.setInputFiles("#list", new FilePayload("studio-c.csv", "text/csv", bytes));
        page.setInputFiles("#signature", new FilePayload("studio-c.csv.sig", "application/octet-stream",
                uploads.sign("other bytes".getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII)));
        page.click("form.upload button[type=submit]");
        page.waitForSelector("[data-testid=upload-refused]");
        assertTrue(page.textContent("[data-testid=upload-refused]").contains("bad signature"), page.textContent("[data-testid=upload-refused]"));
        assertFalse(Files.exists(uploads.directory().resolve("studio-c.csv")), "a refused list never reaches the list directory");

        // a malformed row: refused naming the file, line and field
        byte[] broken = (csv + "0123,btih_v1,Bad,Studio C,studio-c,2020-01-01,,incident\n").getBytes(StandardCharsets.UTF_8);
        page.setInputFiles("#list", new FilePayload("studio-c.csv", "text/csv", broken));
        page.setInputFiles("#signature", new FilePayload("studio-c.csv.sig", "application/octet-stream",
                uploads.sign(broken).getBytes(StandardCharsets.US_ASCII)));
        page.click("form.upload button[type=submit]");
        page.waitForSelector("[data-testid=upload-refused]");
        String refusal = page.textContent("[data-testid=upload-refused]");
        assertTrue(refusal.contains("studio-c.csv line 3") && refusal.contains("hash"), refusal);
        shoot("compliance-upload-refused");

        // signed by the trusted key: accepted and published with its signature
        page.setInputFiles("#list", new FilePayload("studio-c.csv", "text/csv", bytes));
        page.setInputFiles("#signature", new FilePayload("studio-c.csv.sig", "application/octet-stream",
                uploads.sign(bytes).getBytes(StandardCharsets.US_ASCII)));
        page.click("form.upload button[type=submit]");
        page.waitForSelector("[data-testid=upload-ok]");
        assertTrue(page.textContent("[data-testid=upload-ok]").contains("studio-c"), page.textContent("[data-testid=upload-ok]"));
        assertTrue(page.textContent("[data-testid=upload-ok]").contains("studio.pub.pem"), "names the signer");
        assertEquals(csv, Files.readString(uploads.directory().resolve("studio-c.csv")));
        assertTrue(Files.exists(uploads.directory().resolve("studio-c.csv.sig")));
        try (var left = Files.list(uploads.directory())) {
            assertEquals(2, left.count(), "no staging directory left behind");
        }
        shoot("compliance-upload-accepted");
    }

    @Test
    void adminSeesUsersAuditAndRetention() {
        signIn("admin");
        assertTrue(page.url().contains("/traffic"), "an administrator starts on the traffic page: " + page.url());
        page.navigate(url("/admin/users"));
        String users = page.textContent("#users");
        for (String u : List.of("operator", "compliance", "admin", "both")) {
            assertTrue(users.contains(u), users);
        }
        assertFalse(page.content().contains("$2a$"), "never a password hash");
        shoot("admin-users");

        page.navigate(url("/admin/audit"));
        page.waitForFunction("() => !document.querySelector('#audit tbody').textContent.includes('Loading')");
        String audit = page.textContent("#audit tbody");
        assertFalse(audit.contains("Could not load"), audit);
        shoot("admin-audit");

        // a reading of the incident's evidence (compliance, through the API), once searchable, in the page filtered by action
        String id = seeded().incidentId;
        java.time.Instant asked = java.time.Instant.now().minusSeconds(1);
        assertEquals(200, api().get("/api/incidents/" + id, "compliance").statusCode());
        String views = newestOnAuditPage("incidents.view", e -> isThisReading(e, asked), id);
        assertTrue(views.contains("compliance") && views.contains("api: incident"), views);
        shoot("admin-audit-evidence-views");

        // a page of the incident list read (compliance, through the API): its filter, page and rows
        java.time.Instant listed = java.time.Instant.now().minusSeconds(1);
        assertEquals(200, api().get("/api/incidents?severity=high&size=3", "compliance").statusCode());
        String lists = newestOnAuditPage("incidents.list", e -> isThisReading(e, listed), "severity=high");
        assertTrue(lists.contains("compliance") && lists.contains("page 1") && lists.contains("api: severity=high"), lists);
        shoot("admin-audit-list-reads");

        // a refused list upload (compliance, through the form): its file and reason
        try {
            FormSession compliance = FormSession.signIn(port, "compliance");
            byte[] list = "hash,hash_kind,title,rights_holder,list_id\n".getBytes(StandardCharsets.UTF_8);
            assertEquals(302, compliance.send(compliance.listUpload(compliance.csrf("/lists"), "studio-e.csv", list,
                    seeded().uploads.sign("other bytes".getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII))).statusCode());
        } catch (Exception e) {
            throw new AssertionError("the upload through the form", e);
        }
        String uploads = newestOnAuditPage("lists.upload", e -> e.path("list").path("file_name").asText().equals("studio-e.csv"), "studio-e.csv");
        assertTrue(uploads.contains("refused: ") && uploads.contains("bad signature"), uploads);
        shoot("admin-audit-list-uploads");

        page.navigate(url("/admin/retention"));
        assertTrue(page.textContent("#storage").contains("swarmwatch-incidents"));
        shoot("admin-retention");

        refused("/incidents");
        refused("/incidents/" + seeded().incidentId);
        refused("/lists");
    }

    /** The API reading by compliance made after {@code asked} (the newest record, once searchable). */
    /**
     * Waits (up to a minute) until the audit API's newest record of {@code action} is
     * {@code expected}, then filters the audit page by that action; the text of its first row,
     * once it holds {@code firstRowText}.
     */
    private String newestOnAuditPage(String action, java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> expected,
            String firstRowText) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!expected.test(api().json("/api/admin/audit?action=" + action + "&size=1", "admin").path("events").path(0))) {
            assertTrue(System.nanoTime() < deadline, "the " + action + " record reaches the audit log");
            page.waitForTimeout(200);
        }
        page.navigate(url("/admin/audit"));
        page.selectOption("#action", action);
        page.waitForFunction("([a, t]) => { const rows = document.querySelectorAll('#audit tbody tr');"
                + " return rows.length > 0 && [...rows].every(r => r.dataset.action === a) && rows[0].textContent.includes(t); }",
                List.of(action, firstRowText));
        return page.textContent("#audit tbody tr:first-child");
    }

    private static boolean isThisReading(com.fasterxml.jackson.databind.JsonNode e, java.time.Instant asked) {
        return e.path("user").asText().equals("compliance") && e.path("access").path("route").asText().equals("api")
                && !java.time.Instant.parse(e.path("timestamp").asText("1970-01-01T00:00:00Z")).isBefore(asked);
    }

    @Test
    void signingOutEndsTheSession() {
        signIn("operator");
        page.click("form.logout button");
        page.waitForURL(u -> u.contains("/login?logout"));
        assertTrue(page.url().contains("/login?logout"), page.url());
        page.navigate(url("/traffic"));
        assertTrue(page.url().endsWith("/login"), "signed out: " + page.url());
        page.locator("#username").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
    }
}
