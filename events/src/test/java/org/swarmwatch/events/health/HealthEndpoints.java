package org.swarmwatch.events.health;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For tests of the commands' health endpoints (probe, classifier; a test-jar): the port a child
 * process logged, and requests to the endpoint on 127.0.0.1.
 */
public final class HealthEndpoints {
    private static final Pattern ENDPOINT = Pattern.compile("health endpoint on http://127\\.0\\.0\\.1:(\\d+)/health/live");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HealthEndpoints() {
    }

    /** The port the child logged (to {@code log}) for its health endpoint, within 60 s; fails if it ends first. */
    public static int endpointPort(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = ENDPOINT.matcher(text);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertTrue(p.isAlive(), "the command ended: " + text);
            Thread.sleep(100);
        }
        throw new AssertionError("no health endpoint logged within 60 s: " + Files.readString(log));
    }

    /** Asks until the answer matches (up to two minutes: a loaded machine, a restart), else fails with the last one and the log. */
    public static HttpResponse<String> await(int port, String path, Predicate<HttpResponse<String>> wanted, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get(port, path);
            if (wanted.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " never answered as expected; last " + last.statusCode() + " " + last.body() + "\n"
                + Files.readString(log));
    }

    /** One GET of {@code path} on 127.0.0.1:{@code port}. */
    public static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
