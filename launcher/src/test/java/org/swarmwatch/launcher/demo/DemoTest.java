package org.swarmwatch.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a newcomer gets it: every component started on embedded defaults, the lab captures
 * replayed as live traffic, and within a minute or two the dashboard serves incidents for the
 * content the signed demo list claims and traffic in the default time range, through its API and
 * in a real browser (sign-in with the printed passwords, the chart with data, an incident); its
 * one-time passwords reach no log file; closing it ends every process it started.
 */
class DemoTest {
    private static final Path ROOT = Path.of(System.getProperty("swarmwatch.root", "."));
    private static final Path LAB = ROOT.resolve("../shared/bt-captures/pcaps").normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDashboardShowsIncidentsAndTrafficFromTheReplayedCaptures(@TempDir Path dir) throws Exception {
        Path captures = Files.createDirectories(dir.resolve("captures"));
        // two short captures, each with a seeder of listed content: a1 (TCP, 14 s) and c1 (uTP, 4 s)
        for (String name : List.of("a1_tcp_plain_transmission_libtorrent.pcap", "c1_utp_libtorrent.pcap")) {
            Files.copy(LAB.resolve(name), captures.resolve(name));
        }
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<Long> pids;
        try (Demo demo = Demo.start(new Demo.Settings(ROOT, captures, dir.resolve("demo"), 0, "1x"),
                new PrintStream(progress, true, StandardCharsets.UTF_8))) {
            pids = demo.pids();
            assertEquals(Set.of("operator", "compliance", "admin"), demo.passwords().keySet());
            assertEquals(List.of("classifier", "probe", "dashboard"), demo.components());
            assertTrue(Files.readString(demo.exportKey()).startsWith("-----BEGIN PUBLIC KEY-----"), "the export key for swarmwatch verify");
            String text = progress.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("[3/3]") && text.contains("dashboard at http://localhost:"), text);

            JsonNode incidents = awaitIncidents(demo, Set.of("d6c134aa85e608ef5cd9c3b13e050231dc14fb38",
                    "c60b205697fac1751e4c939704bdfc2c7c64fbfb"));
            // the claim comes from the signed demo list, the role from what the seeder did
            Map<String, JsonNode> byHash = StreamSupport.stream(incidents.path("incidents").spliterator(), false)
                    .collect(Collectors.toMap(i -> i.path("hash").asText(), i -> i, (a, b) -> a));
            JsonNode seeded = byHash.getOrDefault("d6c134aa85e608ef5cd9c3b13e050231dc14fb38", byHash.get("c60b205697fac1751e4c939704bdfc2c7c64fbfb"));
            assertTrue(Set.of("Harbour Lights (2025 feature film)", "Glass Orchard (album)").contains(seeded.path("title").asText()),
                    seeded.toPrettyString());
            assertEquals("Northwind Pictures", seeded.path("rights_holder").asText());
            assertEquals("demo-northwind", seeded.path("list_id").asText());

            // the replay stamps frames with the time they are replayed: the default range (recent) has
            // traffic once the probe's first stats record (every 10 s) has been indexed
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            JsonNode traffic;
            long bytes;
            do {
                traffic = get(demo, "operator", "api/traffic");
                bytes = 0;
                for (JsonNode bucket : traffic.path("buckets")) {
                    bytes += bucket.path("bytes").asLong();
                }
                if (bytes == 0) {
                    Thread.sleep(1_000);
                }
            } while (bytes == 0 && System.nanoTime() < deadline);
            assertTrue(bytes > 0, "no traffic in the default range within 90 s: " + traffic);

            browse(demo, seeded.path("id").asText());

            // the passwords were shown once (here) and are in no log
            for (Path log : List.of("classifier.log", "probe.log", "dashboard.log").stream().map(dir.resolve("demo/logs")::resolve).toList()) {
                String content = Files.readString(log);
                for (String password : demo.passwords().values()) {
                    assertFalse(content.contains(password), log + " holds a one-time password");
                }
            }
            assertEquals(null, demo.ended(), "a component stopped by itself");
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still runs after close");
        }
    }

    /**
     * What a newcomer does next, in a real headless Chromium (Debian's, through Playwright): signs in
     * with the printed passwords, sees the traffic chart with data, opens the incident. Screenshots
     * go to {@code target/screenshots/demo-*.png}.
     */
    private static void browse(Demo demo, String incidentId) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            int exit = new ProcessBuilder(ROOT.resolve("scripts/system-deps.sh").toString(), "chromium").inheritIO().start().waitFor();
            assertEquals(0, exit, "scripts/system-deps.sh chromium could not install Debian's chromium");
        }
        Path shots = Files.createDirectories(Path.of("target/screenshots"));
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
                     .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                             "--disable-sync", "--no-first-run")))) {
            // the operator: the traffic page of the default range, its chart drawn from the replayed captures
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900).setTimezoneId("UTC"))) {
                context.setDefaultTimeout(60_000);
                Page page = context.newPage();
                signIn(page, demo, "operator");
                page.navigate(demo.dashboard().resolve("traffic").toString());
                page.waitForSelector("body[data-loaded=true]");
                Object bytes = page.evaluate("() => { const c = Chart.getChart(document.getElementById('traffic-chart'));"
                        + " const bt = c.data.datasets.find(d => d.label === 'bittorrent'); return bt ? bt.data.reduce((a, v) => a + v, 0) : 0; }");
                assertTrue(((Number) bytes).doubleValue() > 0, "the chart's BitTorrent series is empty");
                page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("demo-operator-traffic.png")).setFullPage(true));
            }
            // compliance: the incident list, then the incident with its evidence
            try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900).setTimezoneId("UTC"))) {
                context.setDefaultTimeout(60_000);
                Page page = context.newPage();
                signIn(page, demo, "compliance");
                page.navigate(demo.dashboard().resolve("incidents").toString());
                assertTrue(Integer.parseInt(page.textContent("[data-testid=incident-total]").strip()) >= 1, page.textContent("body"));
                page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("demo-compliance-incidents.png")).setFullPage(true));
                page.navigate(demo.dashboard().resolve("incidents/" + incidentId).toString());
                assertTrue(page.textContent("body").contains("Northwind Pictures"), page.textContent("body"));
                assertTrue(page.locator("#evidence li").count() >= 1, "an evidence timeline");
                page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("demo-compliance-incident.png")).setFullPage(true));
            }
        }
    }

    private static void signIn(Page page, Demo demo, String user) {
        page.navigate(demo.dashboard().resolve("login").toString());
        page.fill("#username", user);
        page.fill("#password", demo.passwords().get(user));
        page.click("button[type=submit]");
        page.waitForURL(u -> !u.contains("/login"));
        assertEquals(user, page.textContent("[data-testid=user-name]").strip(), "signed in at " + page.url());
    }

    /** Polls the incident list as the compliance user until an incident for one of {@code hashes} is there. */
    private JsonNode awaitIncidents(Demo demo, Set<String> hashes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(demo, "compliance", "api/incidents");
            for (JsonNode incident : last.path("incidents")) {
                if (hashes.contains(incident.path("hash").asText())) {
                    return last;
                }
            }
            assertNotNull(demo.dashboard());
            assertEquals(null, demo.ended(), "a component stopped by itself");
            Thread.sleep(1_000);
        }
        throw new AssertionError("no incident for " + hashes + " within 150 s; last answer: " + last);
    }

    private JsonNode get(Demo demo, String user, String path) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + demo.passwords().get(user)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(demo.dashboard().resolve(path))
                .header("Authorization", "Basic " + credentials).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + " as " + user + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
