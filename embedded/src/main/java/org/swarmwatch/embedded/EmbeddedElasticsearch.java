package org.swarmwatch.embedded;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Elasticsearch engine (one node, version 8.19, HTTP on 127.0.0.1 only) in a child JVM:
 * the default when no Elasticsearch URL is configured (the demo) and the engine of the
 * integration tests. Not for production, which points at an existing cluster: one node, no
 * replicas, no security, and the server is under AGPL-3.0 / SSPL / Elastic License 2.0.
 *
 * <p>The node runs in its own process so that its dependencies (log4j-core, Netty, Lucene) stay
 * off this JVM's class path; this class depends on none of them. It runs
 * {@code org.swarmwatch.embedded.elasticsearch.ChildNode} from the {@code embedded-elasticsearch}
 * module with the class path that module's build leaves in {@code target/classes} and
 * {@code target/lib} (nothing is downloaded at run time), found in this order:
 * <ol>
 *   <li>system property {@value #CLASSPATH_PROPERTY}: the node's class path, as given to
 *       {@code java -cp};
 *   <li>{@code embedded-elasticsearch/target} under the directory in system property
 *       {@code swarmwatch.home} (set by the launcher script) or {@code swarmwatch.root} (set by
 *       Surefire for tests);
 *   <li>the same under the working directory or one of its parents.
 * </ol>
 * System property {@value #HEAP_PROPERTY} sets the child's maximum heap (default
 * {@value #DEFAULT_HEAP}; the node uses about 30 MB when idle).
 *
 * <p>{@link #start} returns once the cluster is yellow or green. The child's log goes to
 * {@code elasticsearch.log} in the data directory, and its tail is in every start error. The
 * child exits when its stdin closes, so it never outlives this JVM, even one killed with
 * SIGKILL. Cold start, from {@link #start} to a yellow cluster with a new data directory,
 * measured on a 2-core machine: 3.4-4.1 s (load average 1-2), 5-6 s while other builds ran (load
 * average 3); with the default tiered compiler instead of C1 only it was 8-11 s.
 */
public final class EmbeddedElasticsearch implements AutoCloseable {
    /** System property: the node's class path, overriding the search in the build directories. */
    public static final String CLASSPATH_PROPERTY = "swarmwatch.elasticsearch.classpath";
    /** System property: the child's maximum heap, in {@code -Xmx} form. */
    public static final String HEAP_PROPERTY = "swarmwatch.elasticsearch.heap";
    static final String DEFAULT_HEAP = "256m";

    /** The node module's main class and the line it prints; kept in step with ChildNode by hand. */
    private static final String NODE_MAIN = "org.swarmwatch.embedded.elasticsearch.ChildNode";
    private static final String HTTP_LINE = "swarmwatch.elasticsearch.http=";
    private static final String NODE_MODULE = "embedded-elasticsearch";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow|red)\"");

    private final Path directory;
    private final int requestedPort;
    private Process process;
    private String url;

    /** An engine keeping its data in {@code directory}, on a free port. */
    public EmbeddedElasticsearch(Path directory) {
        this(directory, 0);
    }

    /** An engine keeping its data in {@code directory}, HTTP on {@code httpPort} (0: a free one). */
    public EmbeddedElasticsearch(Path directory, int httpPort) {
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("not a port: " + httpPort);
        }
        this.directory = directory.toAbsolutePath();
        this.requestedPort = httpPort;
    }

    /**
     * Starts the child JVM and waits (up to 120 s) until the node answers and the cluster is
     * yellow or green; does nothing if it runs already.
     *
     * @throws IOException if the node's class path is not built, or the node does not come up
     *     (the message has the tail of its log); the child is stopped then
     */
    public synchronized EmbeddedElasticsearch start() throws IOException {
        if (process != null) {
            return this;
        }
        Files.createDirectories(directory);
        Path log = logFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms32m", "-Xmx" + System.getProperty(HEAP_PROPERTY, DEFAULT_HEAP),
                // one node, a handful of requests: the serial collector and no perf file are enough, and
                // the C1 compiler alone starts the node in 5-6 s instead of 8-11 s
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
                "-cp", nodeClassPath(), NODE_MAIN, directory.toString(), Integer.toString(requestedPort)));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
        long started = System.nanoTime();
        Process p = builder.start();
        process = p;
        try {
            String address = awaitAddress(p, started);
            url = "http://" + address;
            awaitHealth(started);
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
        return this;
    }

    /** {@code http://127.0.0.1:PORT}, once started. */
    public synchronized String url() {
        if (url == null) {
            throw new IllegalStateException("the embedded Elasticsearch engine is not running");
        }
        return url;
    }

    /** The child's process id, once started (tests check that it is gone after {@link #close}). */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("the embedded Elasticsearch engine is not running");
        }
        return process.pid();
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** The child's log (stderr), kept across restarts until the next {@link #start}. */
    public Path logFile() {
        return directory.resolve("elasticsearch.log");
    }

    /** Stops the node (its data stays) and waits until the child has exited. */
    public synchronized void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        process = null;
        url = null;
        try {
            closeQuietly(p.getOutputStream()); // the child's signal to stop
            p.destroy(); // SIGTERM: the same orderly stop, should the child not read stdin
            if (!p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Reads the child's stdout until the line with its HTTP address; the rest is drained. */
    private String awaitAddress(Process p, long started) throws IOException {
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(HTTP_LINE)) {
                        address.complete(line.substring(HTTP_LINE.length()).trim());
                    }
                }
            } catch (IOException e) {
                // the child is gone; the future says so below
            }
            address.completeExceptionally(new IOException("the node exited" + exitCode(p) + " before it listened"));
        }, "embedded-elasticsearch-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            return address.get(remaining(started), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw failure("the node did not listen within " + START_TIMEOUT.toSeconds() + " s", null);
        } catch (ExecutionException e) {
            throw failure(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while the node started", e);
        }
    }

    /** Polls cluster health until yellow or green (a one-node cluster never gets replicas). */
    private void awaitHealth(long started) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
                .timeout(Duration.ofSeconds(10)).build();
        String last = "no answer";
        while (remaining(started) > 0) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher m = STATUS.matcher(response.body());
                if (response.statusCode() == 200 && m.find() && !m.group(1).equals("red")) {
                    return;
                }
                last = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for the cluster health", e);
            }
            if (!process.isAlive()) {
                throw failure("the node exited" + exitCode(process) + " while waiting for the cluster health", null);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for the cluster health", e);
            }
        }
        throw failure("the cluster at " + url + " was not yellow or green within " + START_TIMEOUT.toSeconds() + " s (last: " + last + ")",
                null);
    }

    private IOException failure(String what, Throwable cause) {
        return new IOException("the embedded Elasticsearch engine in " + directory + " did not start: " + what + "; the end of "
                + logFile() + ":\n" + tail(logFile(), 30), cause);
    }

    private static long remaining(long started) {
        return START_TIMEOUT.toNanos() - (System.nanoTime() - started);
    }

    private static String exitCode(Process p) {
        try {
            return p.waitFor(2, TimeUnit.SECONDS) ? " (exit code " + p.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static String tail(Path file, int lines) {
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = in.readLine()) != null) {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
        return String.join("\n", last);
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // the child has gone already
        }
    }

    /** The node's class path (see the class comment), or an error that says how to build it. */
    static String nodeClassPath() throws IOException {
        String explicit = System.getProperty(CLASSPATH_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        Set<Path> roots = new LinkedHashSet<>();
        for (String property : new String[] {"swarmwatch.home", "swarmwatch.root"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                roots.add(Path.of(value).toAbsolutePath().normalize());
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            roots.add(dir);
        }
        for (Path root : roots) {
            Path target = root.resolve(NODE_MODULE).resolve("target");
            Path lib = target.resolve("lib");
            if (!Files.isDirectory(lib)) {
                continue;
            }
            Path classes = target.resolve("classes");
            if (Files.exists(classes.resolve(NODE_MAIN.replace('.', '/') + ".class"))) {
                return classes + File.pathSeparator + lib.resolve("*");
            }
            try (var jars = Files.list(target)) {
                Path jar = jars.filter(f -> f.getFileName().toString().matches("swarmwatch-embedded-elasticsearch-.*\\.jar")).findFirst()
                        .orElse(null);
                if (jar != null) {
                    return jar + File.pathSeparator + lib.resolve("*");
                }
            }
        }
        throw new IOException("the embedded Elasticsearch node is not built: no " + NODE_MODULE + "/target/lib under " + roots.iterator().next()
                + " or the directories searched (" + roots.size() + "). Build it with `mvn -pl " + NODE_MODULE
                + " package` in the repository, or give its class path in -D" + CLASSPATH_PROPERTY + "=...");
    }

    /**
     * An engine in its own process (the demo, trying a component by hand): prints
     * {@code elasticsearch.url=http://127.0.0.1:PORT} and {@code elasticsearch.pid=PID} once the
     * cluster is ready, stops the node when this JVM stops (SIGTERM), and even when it is killed.
     *
     * <p>usage: EmbeddedElasticsearch DATA_DIR
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedElasticsearch DATA_DIR");
            System.exit(2);
        }
        EmbeddedElasticsearch engine = new EmbeddedElasticsearch(Path.of(args[0])).start();
        Runtime.getRuntime().addShutdownHook(new Thread(engine::stop, "embedded-elasticsearch-stop"));
        System.out.println("elasticsearch.url=" + engine.url());
        System.out.println("elasticsearch.pid=" + engine.pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
