package org.swarmwatch.events.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The listener on a real socket: answers, status codes, bounds. */
class HealthServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void liveAndReadyAnswerWithEveryCheckAndTurn503WhenOneIsDown() throws Exception {
        AtomicBoolean exportUp = new AtomicBoolean(true);
        Map<String, HealthCheck> live = new LinkedHashMap<>();
        live.put("loop", () -> HealthCheck.Status.up("made progress"));
        Map<String, HealthCheck> ready = new LinkedHashMap<>();
        ready.put("export", () -> exportUp.get() ? HealthCheck.Status.up("acknowledged") : HealthCheck.Status.down("\"broker\" away"));
        try (HealthServer server = HealthServer.start(new InetSocketAddress("127.0.0.1", 0), live, ready)) {
            assertTrue(server.address().getPort() > 0);
            HttpResponse<String> l = get(server, "/health/live");
            assertEquals(200, l.statusCode());
            assertEquals("application/json", l.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("{\"status\":\"UP\",\"checks\":{\"loop\":{\"status\":\"UP\",\"detail\":\"made progress\"}}}", l.body());
            HttpResponse<String> r = get(server, "/health/ready");
            assertEquals(200, r.statusCode());
            assertEquals("{\"status\":\"UP\",\"checks\":{\"loop\":{\"status\":\"UP\",\"detail\":\"made progress\"},"
                    + "\"export\":{\"status\":\"UP\",\"detail\":\"acknowledged\"}}}", r.body());

            exportUp.set(false);
            r = get(server, "/health/ready");
            assertEquals(503, r.statusCode());
            assertEquals("{\"status\":\"DOWN\",\"checks\":{\"loop\":{\"status\":\"UP\",\"detail\":\"made progress\"},"
                    + "\"export\":{\"status\":\"DOWN\",\"detail\":\"\\\"broker\\\" away\"}}}", r.body(), "detail JSON-escaped");
            assertEquals(200, get(server, "/health/live").statusCode(), "readiness checks do not touch liveness");
        }
    }

    @Test
    void aCheckThatThrowsIsDownAndTheServerGoesOn() throws Exception {
        Map<String, HealthCheck> live = Map.of("loop", () -> {
            throw new IllegalStateException("boom");
        });
        try (HealthServer server = HealthServer.start(new InetSocketAddress("127.0.0.1", 0), live, Map.of())) {
            HttpResponse<String> l = get(server, "/health/live");
            assertEquals(503, l.statusCode());
            assertTrue(l.body().contains("the check failed: IllegalStateException"), l.body());
            assertEquals(503, get(server, "/health/live").statusCode());
        }
    }

    @Test
    void otherPathsAndMethodsAreRefusedWithoutReadingBodies() throws Exception {
        try (HealthServer server = HealthServer.start(new InetSocketAddress("127.0.0.1", 0),
                Map.of("loop", () -> HealthCheck.Status.up("ok")), Map.of())) {
            assertEquals(404, get(server, "/health").statusCode());
            assertEquals(404, get(server, "/health/live/x").statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(server, "/health/live"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
            try (Socket big = new Socket()) { // a large body is not read: the server answers and drops the connection
                big.connect(server.address(), 5000);
                big.setSoTimeout(30_000);
                OutputStream out = big.getOutputStream();
                out.write(("POST /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: " + (64 << 20) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                try {
                    out.write(new byte[1 << 20]);
                } catch (java.io.IOException e) {
                    // reset by the server: what not reading a body means
                }
            }
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri(server, "/health/live"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertEquals(200, get(server, "/health/live").statusCode(), "still serving");
        }
    }

    @Test
    void aClientSendingItsRequestSlowlyDoesNotHoldTheOneThreadForLong() throws Exception {
        try (HealthServer server = HealthServer.start(new InetSocketAddress("127.0.0.1", 0),
                Map.of("loop", () -> HealthCheck.Status.up("ok")), Map.of());
                Socket slow = new Socket()) {
            slow.connect(server.address(), 5000);
            OutputStream out = slow.getOutputStream();
            out.write("GET /health/li".getBytes(StandardCharsets.US_ASCII)); // and never the rest
            out.flush();
            // the one thread now reads that head; the JDK server's request time limit closes it
            HttpResponse<String> l = http.send(HttpRequest.newBuilder(uri(server, "/health/live")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, l.statusCode());
            slow.setSoTimeout(30_000);
            assertEquals(-1, slow.getInputStream().read(), "the slow connection was closed");
        }
    }

    @Test
    void heartbeatCheckIsUpWhileStartingAndRecentAndDownWhenStale() throws Exception {
        Heartbeat beat = new Heartbeat("poll loop");
        HealthCheck check = beat.check(Duration.ofMillis(200));
        assertTrue(check.check().up());
        assertEquals("poll loop starting", check.check().detail());
        beat.beat();
        assertTrue(check.check().up(), check.check().detail());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (check.check().up() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        HealthCheck.Status stale = check.check();
        assertFalse(stale.up());
        assertTrue(stale.detail().startsWith("poll loop made no progress for "), stale.detail());
        assertTrue(stale.detail().endsWith("(stall timeout 0.2 s)"), stale.detail());
        beat.beat();
        assertTrue(check.check().up());
    }

    private static HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return HealthEndpoints.get(server.address().getPort(), path);
    }

    private static URI uri(HealthServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }
}
