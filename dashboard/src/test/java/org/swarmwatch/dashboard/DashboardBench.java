package org.swarmwatch.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.swarmwatch.classifier.incident.Incident;
import org.swarmwatch.classifier.index.Elastic;
import org.swarmwatch.classifier.index.ElasticsearchSettings;
import org.swarmwatch.classifier.index.IndexNames;
import org.swarmwatch.classifier.index.ListVersionIndexer;
import org.swarmwatch.classifier.lists.ListDirectory;
import org.swarmwatch.classifier.lists.ListLimits;
import org.swarmwatch.classifier.lists.ListLoader;
import org.swarmwatch.classifier.lists.SignaturePolicy;
import org.swarmwatch.classifier.lists.TrustedKeys;
import org.swarmwatch.embedded.EmbeddedElasticsearch;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.Endpoint;
import org.swarmwatch.events.FlowEndReason;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.RecordCodec;
import org.swarmwatch.events.StatsRecord;

/**
 * The dashboard's main API calls on a full engine (docs/benchmarks.md, "Dashboard"): an embedded
 * Elasticsearch with the classifier's real index templates, loaded with synthetic but
 * realistically shaped documents (flow and stats records encoded by the probe's own codec,
 * incidents by the classifier's {@link Incident}, list versions by the classifier's list
 * loader), then the real application, called over HTTP with API tokens, each call {@code calls}
 * times after a warm-up, one at a time; prints p50 / p95 / p99 / max per call.
 *
 * <p>The data: {@code flows} flow records over the last 7 days (4 probes, 20,000 subscribers,
 * 60 % of them P2P), a stats record per probe per minute, {@code incidents} incidents over the
 * last 30 days (50 rights holders, 5,000 titles). Each call varies its time window by a few
 * seconds, as auto-refresh does, so that Elasticsearch's request cache does not answer the same
 * query twice.
 *
 * <p>usage: {@code DashboardBench [flows] [incidents] [calls]} (default 1000000 100000 200)
 */
public final class DashboardBench {
    private static final String[] P2P = {"bittorrent", "bittorrent", "bittorrent", "bittorrent", "udp_tracker", "http_tracker"};
    private static final String[] PROBES = {"probe-fra-1", "probe-fra-2", "probe-ber-1", "probe-muc-1"};
    private static final int SUBSCRIBERS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardBench() {
    }

    public static void main(String[] args) throws Exception {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int incidents = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path dir = Files.createTempDirectory("swarmwatch-dashboard-bench");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try (EmbeddedElasticsearch engine = new EmbeddedElasticsearch(dir.resolve("es")).start();
                Elastic elastic = new Elastic(ElasticsearchSettings.of(URI.create(engine.url())).withReplicas(0))) {
            elastic.ensureTemplates();
            long t0 = System.nanoTime();
            loadLists(elastic, dir);
            long statsDocs = loadStats(elastic, now);
            loadFlows(elastic, flows, now);
            List<String> ids = loadIncidents(elastic, incidents, now);
            elastic.refresh();
            System.out.printf("loaded %,d flows, %,d stats, %,d incidents in %d s (engine heap %s)%n", flows, statsDocs, incidents,
                    (System.nanoTime() - t0) / 1_000_000_000, System.getProperty(EmbeddedElasticsearch.HEAP_PROPERTY, "default"));

            Path users = writeUsers(dir.resolve("users.yaml"));
            ConfigurableApplicationContext app = SpringApplication.run(org.swarmwatch.dashboard.DashboardApplication.class,
                    "--server.port=0", "--swarmwatch.elasticsearch.url=" + engine.url(), "--swarmwatch.dashboard.users-file=" + users,
                    "--logging.level.root=WARN", "--spring.main.banner-mode=off");
            try {
                int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
                run(port, calls, now, ids);
            } finally {
                app.close();
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(int port, int calls, Instant now, List<String> ids) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        String operator = token(http, base, "operator");
        String compliance = token(http, base, "compliance");
        SplittableRandom random = new SplittableRandom(7);
        Map<String, IntFunction<String>> operatorCalls = new LinkedHashMap<>();
        operatorCalls.put("traffic, 24 h by 5 min", i -> "/api/traffic?from=" + now.minus(Duration.ofDays(1)).minusSeconds(i) + "&to="
                + now.minusSeconds(i) + "&interval=5m");
        operatorCalls.put("traffic, 7 days by 1 h", i -> "/api/traffic?from=" + now.minus(Duration.ofDays(7)).minusSeconds(i) + "&to="
                + now.minusSeconds(i) + "&interval=1h");
        operatorCalls.put("top subscribers, 24 h", i -> "/api/subscribers/top?size=10&from=" + now.minus(Duration.ofDays(1)).minusSeconds(i)
                + "&to=" + now.minusSeconds(i));
        operatorCalls.put("top subscribers, 7 days", i -> "/api/subscribers/top?size=10&from=" + now.minus(Duration.ofDays(7)).minusSeconds(i)
                + "&to=" + now.minusSeconds(i));
        operatorCalls.put("probe health", i -> "/api/probes");
        Map<String, IntFunction<String>> complianceCalls = new LinkedHashMap<>();
        complianceCalls.put("incidents, first page", i -> "/api/incidents?size=50&to=" + now.minusSeconds(i));
        complianceCalls.put("incidents, filtered, page 3", i -> "/api/incidents?size=50&page=3&rightsHolder=" + enc("Studio " + (i % 50))
                + "&severity=high&minConfidence=0.5&from=" + now.minus(Duration.ofDays(30)).minusSeconds(i));
        complianceCalls.put("incidents, title words", i -> "/api/incidents?size=50&title=" + enc("Film " + (i % 5000)));
        complianceCalls.put("incidents, one subscriber", i -> "/api/incidents?size=50&subscriber=" + pseudonym(random.nextInt(SUBSCRIBERS)));
        complianceCalls.put("incident detail", i -> "/api/incidents/" + ids.get(random.nextInt(ids.size())));
        complianceCalls.put("list status", i -> "/api/lists?size=100");

        System.out.printf("%n%-30s %6s %8s %8s %8s %8s%n", "call", "n", "p50 ms", "p95 ms", "p99 ms", "max ms");
        for (var e : operatorCalls.entrySet()) {
            measure(http, base, operator, e.getKey(), e.getValue(), calls);
        }
        for (var e : complianceCalls.entrySet()) {
            measure(http, base, compliance, e.getKey(), e.getValue(), calls);
        }
    }

    private static void measure(HttpClient http, String base, String token, String name, IntFunction<String> path, int calls) throws Exception {
        int warmup = Math.max(5, calls / 10);
        long[] ms = new long[calls];
        for (int i = 0; i < warmup + calls; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path.apply(i + 1000 * (i < warmup ? 1 : 0))))
                    .header("Authorization", "Bearer " + token).build();
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - t;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(name + ": " + r.statusCode() + " " + r.body());
            }
            if (i >= warmup) {
                ms[i - warmup] = took;
            }
        }
        Arrays.sort(ms);
        System.out.printf("%-30s %6d %8.1f %8.1f %8.1f %8.1f%n", name, calls, pct(ms, 50), pct(ms, 95), pct(ms, 99), ms[calls - 1] / 1e6);
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static String token(HttpClient http, String base, String user) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/admin/tokens?username=" + user + "&label=bench"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin-password".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("token").asText();
    }

    private static long loadStats(Elastic elastic, Instant now) throws Exception {
        RecordCodec codec = new RecordCodec();
        SplittableRandom random = new SplittableRandom(1);
        List<Elastic.Doc> batch = new ArrayList<>();
        long n = 0;
        for (Instant t = now.minus(Duration.ofDays(7)); t.isBefore(now); t = t.plusSeconds(60)) {
            for (String probe : PROBES) {
                Map<String, StatsRecord.ProtocolCounters> protocols = new TreeMap<>();
                long total = 0;
                for (String p : new String[] {"bittorrent", "udp_tracker", "http_tracker", "unknown"}) {
                    long flows = 20 + random.nextInt(200);
                    long bytes = flows * (p.equals("bittorrent") ? 400_000 : p.equals("unknown") ? 900_000 : 900) + random.nextInt(1_000_000);
                    protocols.put(p, new StatsRecord.ProtocolCounters(flows, bytes / 900, bytes));
                    total += bytes;
                }
                StatsRecord s = new StatsRecord(probe, AddressMode.PSEUDONYMISED, t, t.plusSeconds(60), "eth1", total / 900, total,
                        total / 900, (long) random.nextInt(3), 0L, 5_000 + random.nextInt(5_000), 600, 600, 0,
                        Map.of("truncated_ip", (long) random.nextInt(5)), protocols);
                batch.add(new Elastic.Doc(elastic.names().daily(IndexNames.STATS, t.plusSeconds(60)), probe + "-" + t.getEpochSecond(),
                        codec.encode(s)));
                n++;
            }
            if (batch.size() >= 5000) {
                write(elastic, batch);
            }
        }
        write(elastic, batch);
        return n;
    }

    static void loadFlows(Elastic elastic, int count, Instant now) throws Exception {
        loadFlows(elastic, count, now, Duration.ofDays(7));
    }

    /** {@code count} flow records ending within {@code span} before {@code now}. */
    static void loadFlows(Elastic elastic, int count, Instant now, Duration span) throws Exception {
        RecordCodec codec = new RecordCodec();
        SplittableRandom random = new SplittableRandom(2);
        List<Elastic.Doc> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant end = now.minusMillis(random.nextLong(span.toMillis()));
            Instant start = end.minusMillis(random.nextLong(600_000));
            boolean p2p = random.nextInt(10) < 6;
            String protocol = p2p ? P2P[random.nextInt(P2P.length)] : "unknown";
            // subscriber activity is skewed: a few heavy users, many light ones
            int sub = (int) Math.min(SUBSCRIBERS - 1, Math.abs(random.nextGaussian()) * SUBSCRIBERS / 3);
            long up = protocol.equals("bittorrent") ? random.nextLong(50_000_000) : random.nextLong(5_000);
            long down = protocol.equals("bittorrent") ? random.nextLong(50_000_000) : random.nextLong(20_000);
            String peerIp = "198.51." + random.nextInt(256) + "." + random.nextInt(256);
            boolean outgoing = random.nextBoolean();
            Endpoint subscriber = new Endpoint(pseudonym(sub), null, 1024 + random.nextInt(60_000), true, up / 1000 + 1, up);
            Endpoint peer = new Endpoint(peerIp, peerIp, protocol.equals("bittorrent") ? 6881 : 1024 + random.nextInt(60_000), false,
                    down / 1000 + 1, down);
            FlowRecord f = new FlowRecord(PROBES[random.nextInt(PROBES.length)], AddressMode.PSEUDONYMISED, Long.toHexString(random.nextLong()),
                    0, start, end, FlowEndReason.IDLE_TIMEOUT, 4, protocol.equals("udp_tracker") ? "udp" : "tcp",
                    protocol.equals("udp_tracker") ? 17 : 6, protocol, outgoing ? subscriber : peer, outgoing ? peer : subscriber, -1, List.of());
            batch.add(new Elastic.Doc(elastic.names().daily(IndexNames.FLOWS, end), f.flowId() + "-0", codec.encode(f)));
            if (batch.size() >= 5000) {
                write(elastic, batch);
                if ((i + 1) % 200_000 == 0) {
                    System.out.printf("  %,d flows%n", i + 1);
                }
            }
        }
        write(elastic, batch);
    }

    private static List<String> loadIncidents(Elastic elastic, int count, Instant now) throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        String[] roles = {"offering", "fetching", "announcing", "looking_up"};
        List<String> ids = new ArrayList<>();
        List<Elastic.Doc> batch = new ArrayList<>();
        long span = Duration.ofDays(30).toMillis();
        for (int i = 0; i < count; i++) {
            byte[] id = new byte[16];
            byte[] hash = new byte[20];
            random.nextBytes(id);
            random.nextBytes(hash);
            String incidentId = HexFormat.of().formatHex(id);
            Instant last = now.minusMillis(random.nextLong(span));
            Instant first = last.minusSeconds(random.nextInt(86_400));
            Instant window = first.truncatedTo(ChronoUnit.DAYS);
            int title = random.nextInt(5000);
            ObjectNode root = JSON.createObjectNode();
            root.put("@timestamp", last.toString());
            root.putObject("event").put("start", first.toString()).put("end", last.toString());
            ObjectNode in = root.putObject("swarmwatch").putObject("incident");
            in.put("id", incidentId).put("subscriber", pseudonym(random.nextInt(SUBSCRIBERS))).put("hash", HexFormat.of().formatHex(hash))
                    .put("hash_kind", "btih_v1").put("title", "Film " + title + " (" + (1980 + title % 45) + ")")
                    .put("rights_holder", "Studio " + (title % 50)).put("list_id", "studio-" + (title % 50)).put("list_sha256", "ab".repeat(32))
                    .put("role", roles[random.nextInt(roles.length)]).put("confidence", (20 + random.nextInt(81)) / 100.0)
                    .put("observations", 1 + random.nextInt(40)).put("flow_count", random.nextInt(10))
                    .put("bytes_uploaded", random.nextLong(2_000_000_000L)).put("bytes_downloaded", random.nextLong(200_000_000L));
            in.putObject("window").put("start", window.toString()).put("end", window.plus(Duration.ofDays(1)).toString());
            in.putArray("roles").add(in.path("role").asText());
            in.putArray("seen_in").add("handshake").add("tracker");
            in.putArray("clients").add("qBittorrent/4.6.2");
            in.putArray("observers").add(PROBES[random.nextInt(PROBES.length)]);
            in.putArray("flows").add(Long.toHexString(random.nextLong()));
            Incident incident = Incident.fromJson(root);
            batch.add(new Elastic.Doc(elastic.names().incidents(), incidentId, incident.toBytes()));
            ids.add(incidentId);
            if (batch.size() >= 5000) {
                write(elastic, batch);
            }
        }
        write(elastic, batch);
        return ids;
    }

    private static void loadLists(Elastic elastic, Path dir) throws Exception {
        Path lists = Files.createDirectories(dir.resolve("lists"));
        for (int s = 0; s < 5; s++) {
            StringBuilder csv = new StringBuilder("hash,hash_kind,title,rights_holder,list_id,valid_from,valid_until,action\n");
            for (int e = 0; e < 1000; e++) {
                csv.append(String.format("%040x", (long) s * 1_000_000 + e)).append(",btih_v1,Film ").append(e).append(",Studio ").append(s)
                        .append(",studio-").append(s).append(",2020-01-01,,incident\n");
            }
            Files.writeString(lists.resolve("studio-" + s + ".csv"), csv);
        }
        Files.writeString(lists.resolve("broken.csv"), "hash,title\nnot-a-hash,x\n");
        try (ListDirectory directory = new ListDirectory(lists, new ListLoader(TrustedKeys.none(), SignaturePolicy.OPTIONAL, ListLimits.DEFAULTS,
                Clock.systemUTC()), Clock.systemUTC())) {
            directory.addListener(new ListVersionIndexer(elastic));
            directory.scan();
        }
    }

    private static void write(Elastic elastic, List<Elastic.Doc> batch) throws InterruptedException {
        List<Elastic.Refused> refused = elastic.write(batch, () -> true);
        if (!refused.isEmpty()) {
            throw new IllegalStateException(refused.size() + " documents refused, the first: " + refused.get(0).reason());
        }
        batch.clear();
    }

    private static String pseudonym(int subscriber) {
        return String.format("sub_%032x", 0x5eed0000L + subscriber);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Path writeUsers(Path file) throws Exception {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(10);
        StringBuilder yaml = new StringBuilder("users:\n");
        for (String[] u : new String[][] {{"operator", "OPERATOR"}, {"compliance", "COMPLIANCE"}, {"admin", "ADMIN"}}) {
            yaml.append("  - username: ").append(u[0]).append("\n    password-hash: \"").append(bcrypt.encode(u[0] + "-password"))
                    .append("\"\n    roles: [").append(u[1]).append("]\n");
        }
        return Files.writeString(file, yaml);
    }
}
