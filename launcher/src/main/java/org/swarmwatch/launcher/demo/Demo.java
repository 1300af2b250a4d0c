package org.swarmwatch.launcher.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.swarmwatch.embedded.EmbeddedElasticsearch;
import org.swarmwatch.embedded.EmbeddedKafka;

/**
 * The whole pipeline on one machine, for trying Swarmwatch out: an embedded Kafka broker (in this
 * JVM), an embedded Elasticsearch engine, the classifier with signed demo lists, a probe replaying
 * captures in a loop as if they were live traffic, and the dashboard with one-time passwords. Each
 * component but the broker runs in a JVM of its own, started the way an operator starts it (the
 * same commands and options), with its log under {@code DATA/logs/}. {@link #close} stops them in
 * reverse order; nothing is left running.
 */
public final class Demo implements AutoCloseable {
    /** What to run. */
    public record Settings(Path home, Path captures, Path dataDir, int port, String speed) {
        public Settings {
            // the components run in the data directory: every path they get must be absolute
            home = home.toAbsolutePath().normalize();
            captures = captures.toAbsolutePath().normalize();
            dataDir = dataDir.toAbsolutePath().normalize();
        }
    }

    private static final Pattern PASSWORD_LINE = Pattern.compile("^\\s+(\\w+)\\s+(\\S+)\\s+\\((OPERATOR|COMPLIANCE|ADMIN)\\)\\s*$");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Settings settings;
    private final PrintStream progress;
    private final long startNanos = System.nanoTime();
    private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> passwords = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean passwordBlock;
    private int step;
    private URI dashboard;
    private Path exportKey;

    private Demo(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Starts everything and returns once the dashboard answers; on failure, stops what had started
     * and throws an exception whose message says which part failed and where its log is.
     */
    public static Demo start(Settings settings, PrintStream progress) throws IOException {
        Demo demo = new Demo(settings, progress);
        try {
            demo.startAll();
            return demo;
        } catch (IOException | RuntimeException e) {
            demo.close();
            throw e;
        }
    }

    /** The dashboard's address. */
    public URI dashboard() {
        return dashboard;
    }

    /** The dashboard's one-time passwords per user name (operator, compliance, admin). */
    public Map<String, String> passwords() {
        return Map.copyOf(passwords);
    }

    /** The public half of the dashboard's export signing key (made for this run), for {@code swarmwatch verify --key}. */
    public Path exportKey() {
        return exportKey;
    }

    /** The components running in their own JVMs. */
    public List<String> components() {
        return children.stream().map(ChildProcess::name).toList();
    }

    /** Process ids of the components' JVMs (and the engine's), for checking that {@link #close} ended them. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>(children.stream().map(ChildProcess::pid).toList());
        synchronized (started) {
            for (AutoCloseable c : started) {
                if (c instanceof EmbeddedElasticsearch engine) {
                    pids.add(engine.pid());
                }
            }
        }
        return pids;
    }

    /** The first component that has ended by itself (it should run until the demo stops), if any. */
    public ChildProcess ended() {
        synchronized (children) {
            return children.stream().filter(c -> !c.alive()).findFirst().orElse(null);
        }
    }

    private void startAll() throws IOException {
        List<Path> captures = captures(settings.captures());
        Path data = settings.dataDir();
        deleteTree(data);
        Files.createDirectories(data);
        Path logs = data.resolve("logs");
        Path dashboardJar = dashboardJar(settings.home());

        step("Kafka broker (embedded, KRaft) and Elasticsearch engine (embedded)");
        CompletableFuture<EmbeddedElasticsearch> engineStart = CompletableFuture.supplyAsync(() -> {
            try {
                EmbeddedElasticsearch engine = new EmbeddedElasticsearch(data.resolve("elasticsearch"));
                started.add(engine);
                return engine.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // the broker shares this console with the demo's progress: only its errors belong there
        for (String logger : new String[] {"org.apache.kafka", "kafka", "state.change.logger"}) {
            System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log." + logger, "error");
        }
        EmbeddedKafka kafka = new EmbeddedKafka(data.resolve("kafka"));
        started.add(kafka);
        kafka.start();
        EmbeddedElasticsearch engine;
        try {
            engine = engineStart.join();
        } catch (CompletionException e) {
            throw new IOException("the embedded Elasticsearch engine did not start: " + e.getCause().getMessage(), e.getCause());
        }
        done("Kafka at " + kafka.bootstrapServers() + ", Elasticsearch at " + engine.url());

        step("rights-holder lists (signed with a key made for this run)");
        String fingerprint = DemoLists.write(data.resolve("lists"), data.resolve("trusted-keys"));
        done(DemoLists.FILES.size() + " lists in " + data.resolve("lists") + ", signer " + fingerprint.substring(0, 16) + "...");

        step("classifier, probe (replaying " + captures.size() + " captures in a loop at " + settings.speed()
                + ", as live traffic) and dashboard");
        List<String> jvm = new ArrayList<>(ChildProcess.inheritedOptions());
        jvm.add("-Dswarmwatch.home=" + settings.home());
        List<String> launcher = new ArrayList<>(jvm);
        launcher.addAll(List.of("-Xmx384m", "-cp", ChildProcess.absoluteClassPath(), "org.swarmwatch.launcher.Swarmwatch"));

        List<String> classifier = new ArrayList<>(launcher);
        classifier.addAll(List.of("classifier", "--kafka", kafka.bootstrapServers(), "--kafka-partitions", "3",
                "--elasticsearch", engine.url(), "--es-replicas", "0", "--lists", data.resolve("lists").toString(),
                "--trusted-keys", data.resolve("trusted-keys").toString(), "--list-scan-interval", "PT5S",
                "--data-dir", data.resolve("classifier").toString()));
        children.add(ChildProcess.startJava("classifier", classifier, data, logs.resolve("classifier.log"), l -> false));

        List<String> probe = new ArrayList<>(launcher);
        probe.addAll(List.of("replay", "--kafka", kafka.bootstrapServers(), "--kafka-partitions", "3", "--observer", "demo-probe-1",
                "--spool-dir", data.resolve("spool").toString(),
                "--speed", settings.speed(), "--timestamps", "now", "--loop", "--stats-interval", "10s", "--quiet"));
        captures.forEach(c -> probe.add(c.toString()));
        children.add(ChildProcess.startJava("probe", probe, data, logs.resolve("probe.log"), l -> false));

        int port = settings.port() > 0 ? settings.port() : freePort();
        List<String> web = new ArrayList<>(jvm);
        web.addAll(List.of("-Xmx512m", "-jar", dashboardJar.toString(), "--spring.profiles.active=demo",
                "--server.address=127.0.0.1", "--server.port=" + port,
                "--swarmwatch.elasticsearch.url=" + engine.url(),
                "--swarmwatch.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                // the lists page's upload goes where the classifier reads, checked against the same trusted key
                "--swarmwatch.dashboard.lists.directory=" + data.resolve("lists"),
                "--swarmwatch.dashboard.lists.trusted-keys=" + data.resolve("trusted-keys")));
        children.add(ChildProcess.startJava("dashboard", web, data, logs.resolve("dashboard.log"), this::takePassword));
        dashboard = URI.create("http://localhost:" + port + "/");
        awaitDashboard(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"));
        exportKey = saveExportKey(URI.create("http://127.0.0.1:" + port + "/api/incidents/export/public-key"), data.resolve("export-signing.pub.pem"));
        done("dashboard at " + dashboard + "; logs in " + logs);
    }

    /** Takes the dashboard's one-time password block out of its output (it must not go to a log file). */
    private boolean takePassword(String line) {
        if (line.startsWith("Demo users (profile 'demo')")) {
            passwordBlock = true;
            return true;
        }
        if (passwordBlock) {
            Matcher m = PASSWORD_LINE.matcher(line);
            if (m.matches()) {
                passwords.put(m.group(1), m.group(2));
                return true;
            }
            passwordBlock = false;
        }
        return false;
    }

    private void awaitDashboard(URI readiness) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ChildProcess gone = ended();
            if (gone != null) {
                throw new IOException("the " + gone.name() + " stopped while the demo was starting (exit code " + gone.exitCode()
                        + "); its log " + gone.log() + " ends with:" + System.lineSeparator() + gone.tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 && passwords.size() >= 3) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the dashboard", e);
            }
            sleep(250);
        }
        throw new IOException("the dashboard did not become ready within " + READY_TIMEOUT.toSeconds() + " s; see "
                + settings.dataDir().resolve("logs/dashboard.log"));
    }

    /** Fetches the export signing key's public half (as the admin) into {@code file}. */
    private Path saveExportKey(URI publicKey, Path file) throws IOException {
        String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + passwords.get("admin")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(publicKey).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("the dashboard did not give its export key (HTTP " + r.statusCode() + ")");
            }
            return Files.writeString(file, r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void step(String what) {
        step++;
        progress.printf(Locale.ROOT, "[%d/3] starting %s ...%n", step, what);
        progress.flush();
    }

    private void done(String what) {
        progress.printf(Locale.ROOT, "      %s (%.1f s since start)%n", what, (System.nanoTime() - startNanos) / 1e9);
        progress.flush();
    }

    /** Seconds since {@link #start} began. */
    public double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static List<Path> captures(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no captures to replay: " + dir + " is not a directory (give --captures DIR with .pcap or .pcapng files;"
                    + " the default is the shared lab captures, ../shared/bt-captures/pcaps beside the project)");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
            if (files.isEmpty()) {
                throw new IOException("no captures to replay: " + dir + " holds no .pcap or .pcapng file");
            }
            return files;
        }
    }

    static Path dashboardJar(Path home) throws IOException {
        Path target = home.resolve("dashboard/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                List<Path> jars = s.filter(p -> p.getFileName().toString().matches("swarmwatch-dashboard-.*\\.jar")).sorted().toList();
                if (!jars.isEmpty()) {
                    return jars.get(jars.size() - 1);
                }
            }
        }
        throw new IOException("the dashboard is not built: no swarmwatch-dashboard-*.jar in " + target
                + " (./swarmwatch builds it; or run mvn -DskipTests package in " + home + ")");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Stops the components together (each finishes what it has in hand: the probe flushes its open
     * flows, the classifier its batch), then the engine and the broker. The demo's data is
     * started afresh each time, so nothing needs to survive the stop.
     */
    @Override
    public void close() {
        List<ChildProcess> running;
        synchronized (children) {
            running = new ArrayList<>(children);
            children.clear();
        }
        running.parallelStream().forEach(c -> c.stop(c.name().equals("dashboard") ? 10 : 30));
        List<AutoCloseable> rest;
        synchronized (started) {
            rest = new ArrayList<>(started);
            started.clear();
        }
        Collections.reverse(rest);
        for (AutoCloseable c : rest) {
            try {
                c.close();
            } catch (Exception e) {
                progress.println("demo: stopping " + c.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
    }
}
