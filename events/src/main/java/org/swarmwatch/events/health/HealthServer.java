package org.swarmwatch.events.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A management listener with two answers, for Kubernetes' probes and for people with curl:
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 when every liveness check is up (the component's main loop
 *       makes progress), else 503: restarting the process is the cure.</li>
 *   <li>{@code GET /health/ready}: 200 when the liveness checks and every readiness check are up
 *       (the component does its job: its outputs are taken, its inputs assigned), else 503:
 *       something outside the process is wrong, and a restart would not help.</li>
 * </ul>
 *
 * <p>The body is a small JSON object, the same shape for both: {@code {"status":"UP"|"DOWN",
 * "checks":{"name":{"status":"UP"|"DOWN","detail":"..."}}}}. Checks answer from state the
 * component keeps, so an answer costs microseconds.
 *
 * <p>Bounded by construction: one executor thread, a listen backlog of {@value #BACKLOG}, request
 * bodies never read, fixed paths (404 for others, 405 for methods other than GET and HEAD), and
 * (when the JVM has not set them already) the JDK server's limits of {@value #MAX_REQUEST_SECONDS}
 * s to send a request's head, so that a client sending a request slowly cannot hold the one
 * thread, and {@value #MAX_CONNECTIONS} connections at once. Those two are JVM-wide system
 * properties of the JDK's server ({@code sun.net.httpserver.maxReqTime},
 * {@code jdk.httpserver.maxConnections}), read once when the first server of the process starts.
 */
public final class HealthServer implements AutoCloseable {
    public static final String LIVE_PATH = "/health/live", READY_PATH = "/health/ready";
    /** The default address: the machine itself. In a pod the chart binds the pod's address instead. */
    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    static final int BACKLOG = 16;
    static final int MAX_REQUEST_SECONDS = 5;
    static final int MAX_CONNECTIONS = 32;
    private static final JsonFactory JSON = new JsonFactory();

    static {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        }
        if (System.getProperty("jdk.httpserver.maxConnections") == null) {
            System.setProperty("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, HealthCheck> live, ready;

    private HealthServer(HttpServer server, ExecutorService executor, Map<String, HealthCheck> live, Map<String, HealthCheck> ready) {
        this.server = server;
        this.executor = executor;
        this.live = live;
        this.ready = ready;
    }

    /**
     * Binds and starts serving.
     *
     * @param address where to listen (port 0: a free port, see {@link #address()})
     * @param live    the liveness checks, by name, in the order they are shown
     * @param ready   the readiness checks besides the liveness ones (which readiness includes)
     * @throws IOException the address cannot be bound (the message names it)
     */
    public static HealthServer start(InetSocketAddress address, Map<String, HealthCheck> live, Map<String, HealthCheck> ready)
            throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, BACKLOG);
        } catch (IOException e) {
            throw new IOException("cannot listen for health checks on " + address.getHostString() + ":" + address.getPort()
                    + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "swarmwatch-health");
            t.setDaemon(true);
            return t;
        });
        Map<String, HealthCheck> readyAll = new LinkedHashMap<>(live);
        readyAll.putAll(ready);
        HealthServer health = new HealthServer(server, executor, Collections.unmodifiableMap(new LinkedHashMap<>(live)),
                Collections.unmodifiableMap(readyAll));
        server.setExecutor(executor);
        server.createContext("/", health::handle);
        server.start();
        return health;
    }

    /** The bound address (with the port chosen when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Map<String, HealthCheck> checks = LIVE_PATH.equals(path) ? live : READY_PATH.equals(path) ? ready : null;
            if (checks == null) {
                respond(exchange, 404, "{\"error\":\"not found: the paths are " + LIVE_PATH + " and " + READY_PATH + "\"}");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "{\"error\":\"method " + (method.matches("[A-Z]{1,16}") ? method : "?") + " not allowed\"}");
                return;
            }
            Answer answer = evaluate(checks);
            respond(exchange, answer.up() ? 200 : 503, answer.json());
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Whether every check is up, and the JSON body saying so. */
    record Answer(boolean up, String json) {
    }

    static Answer evaluate(Map<String, HealthCheck> checks) {
        Map<String, HealthCheck.Status> states = new LinkedHashMap<>();
        boolean up = true;
        for (Map.Entry<String, HealthCheck> c : checks.entrySet()) {
            HealthCheck.Status s;
            try {
                s = c.getValue().check();
            } catch (RuntimeException e) {
                s = HealthCheck.Status.down("the check failed: " + e.getClass().getSimpleName());
            }
            states.put(c.getKey(), s);
            up &= s.up();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("status", up ? "UP" : "DOWN");
            g.writeObjectFieldStart("checks");
            for (Map.Entry<String, HealthCheck.Status> s : states.entrySet()) {
                g.writeObjectFieldStart(s.getKey());
                g.writeStringField("status", s.getValue().up() ? "UP" : "DOWN");
                g.writeStringField("detail", s.getValue().detail());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return new Answer(up, bytes.toString(StandardCharsets.UTF_8));
    }

    /** Stops listening (answers in progress get a second to finish). */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
