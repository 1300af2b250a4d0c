package org.swarmwatch.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.swarmwatch.peer.interop.RealClient;
import org.swarmwatch.peer.session.Encryption;
import org.swarmwatch.peer.session.PeerConfig;
import org.swarmwatch.peer.session.TorrentSession;
import org.swarmwatch.peer.torrent.Metainfo;
import org.swarmwatch.peer.torrent.TorrentBuilder;
import org.swarmwatch.peer.tracker.LocalTracker;

/**
 * The scenario harness: known BitTorrent traffic made by reference peers on loopback, captured
 * live by the probe's own {@code capture} command (libpcap on {@code lo}), which writes the frames
 * to a pcap file ({@code --write-pcap}) while it streams records wherever the caller says, plus a
 * ground-truth row in the form of ../shared/bt-captures/pcaps/MANIFEST.tsv, so that
 * {@code swarmwatch eval} scores the probe on it like on the shared captures.
 *
 * <p>{@link #seedAndLeech}: a tracker and a seeder on 127.0.0.1, a leecher on 127.0.0.2 (so the
 * peer-wire connection has two distinct ends), a random file, the peer wire in plaintext or
 * under MSE/PE with RC4 (both peers {@code require-encrypted}), an HTTP or a UDP (BEP 15) tracker.
 *
 * <p>{@link #swarm}: a swarm of reference peers and real clients from Debian: the tracker and a
 * seeding reference peer on 127.0.0.1, and leechers, each on an address of its own (127.0.0.2,
 * .3, ...), that are any mix of {@link Client}s: aria2c, libtorrent (python3-libtorrent),
 * transmission-cli and reference peers. The real clients are run by reference-peer's
 * {@code RealClient} (its test-jar), locked down as in its interop tests: bound to their loopback
 * address, DHT, LSD, PEX, UPnP and NAT-PMP off, the tracker their only peer source; every one is
 * ended when the scenario ends, whether it succeeded or failed.
 *
 * <p>Needs root (live capture); everything stays on 127.0.0.0/8.
 */
final class Scenario {
    /** What a scenario made. */
    record Result(Path pcap, Path manifest, String infohash, byte[] content, Path leeched, int captureExit) {
    }

    /** The seeder's (and the tracker's) address in every scenario. */
    static final InetAddress SEEDER = loopback(1);

    /** A leecher of a {@link #swarm}: the reference peer or a real client from Debian. */
    enum Client {
        REFERENCE_PEER(null),
        ARIA2("aria2"),
        LIBTORRENT("python3-libtorrent"),
        TRANSMISSION("transmission-cli");

        /** The Debian package it comes from, or null for our own. */
        private final String debianPackage;

        Client(String debianPackage) {
            this.debianPackage = debianPackage;
        }

        /** How the manifest's {@code clients} column names it: "aria2 1.36.0 (Debian 1.36.0-1)" (the installed package). */
        String description() {
            if (debianPackage == null) {
                return "swarmwatch reference peer";
            }
            String version = debianVersion(debianPackage);
            String upstream = version.replaceFirst("^\\d+:", "").replaceFirst("-[^-]*$", "");
            return debianPackage + " " + upstream + " (Debian " + version + ")";
        }

        /** Fails, naming the scripts/system-deps.sh part to run, when the client is not installed. */
        void requireInstalled() {
            switch (this) {
                case ARIA2 -> RealClient.require("aria2c", "aria2");
                case LIBTORRENT -> RealClient.requireLibtorrent();
                case TRANSMISSION -> RealClient.require("transmission-cli", "transmission");
                case REFERENCE_PEER -> {
                }
            }
        }
    }

    /** A leecher of a swarm: what it is, the address it used, the file it downloaded. */
    record Download(Client client, InetAddress address, Path file) {
    }

    /**
     * What a swarm scenario made: the capture, its manifest row, the torrent, every leecher's
     * download, the capture command's exit code, and how many bytes the seeder uploaded.
     */
    record Swarm(Path pcap, Path manifest, String infohash, byte[] content, List<Download> downloads, int captureExit,
            long seederUploaded) {
    }

    private Scenario() {
    }

    /**
     * Runs the scenario in {@code dir}: {@code dir/NAME.pcap} and {@code dir/MANIFEST.tsv}.
     *
     * @param sink the capture command's output options (e.g. {@code --kafka HOST:PORT --spool-dir D}, or {@code --out FILE})
     */
    static Result seedAndLeech(Path dir, String name, int contentBytes, List<String> sink) throws Exception {
        return seedAndLeech(dir, name, contentBytes, false, sink);
    }

    /** The same, announcing to the tracker over UDP (BEP 15) when {@code udpTracker}. */
    static Result seedAndLeech(Path dir, String name, int contentBytes, boolean udpTracker, List<String> sink) throws Exception {
        return seedAndLeech(dir, name, contentBytes, udpTracker, Encryption.PLAINTEXT, sink);
    }

    /** The same, the peers using {@code encryption} ({@link Encryption#REQUIRE_ENCRYPTED}: an RC4 flow). */
    static Result seedAndLeech(Path dir, String name, int contentBytes, boolean udpTracker, Encryption encryption, List<String> sink)
            throws Exception {
        Path seed = Files.createDirectories(dir.resolve(name + "-seed")), leech = Files.createDirectories(dir.resolve(name + "-leech"));
        byte[] content = new byte[contentBytes];
        new Random(name.hashCode()).nextBytes(content);
        Files.write(seed.resolve("film.bin"), content);
        InetAddress seederAddress = InetAddress.getByName("127.0.0.1"), leecherAddress = InetAddress.getByName("127.0.0.2");
        Path pcap = newCapture(dir, name);
        String infohash;
        int exit;
        try (LocalTracker tracker = LocalTracker.start(seederAddress, 0, 1)) {
            String announce = udpTracker ? tracker.udpAnnounceUrl() : tracker.announceUrl();
            Metainfo meta = Metainfo.parse(TorrentBuilder.create(seed.resolve("film.bin"), TorrentBuilder.Version.V1, 32768, announce)
                    .metainfo());
            infohash = HexFormat.of().formatHex(meta.infoHash());
            int trackerPort = URI.create(announce).getPort();
            try (TorrentSession seeder = TorrentSession.start(meta, seed, peer(seederAddress).withEncryption(encryption))) {
                String filter = udpTracker ? "(udp and port " + trackerPort + ") or (tcp and port " + seeder.address().getPort() + ")"
                        : "tcp and (port " + trackerPort + " or port " + seeder.address().getPort() + ")";
                List<String> args = new ArrayList<>(List.of("capture", "--interface", "lo", "--filter", filter, "--duration", "10s", "--quiet",
                        "--subscriber-net", "127.0.0.1/32", "--write-pcap", pcap.toString()));
                args.addAll(sink);
                CompletableFuture<Integer> capture = CompletableFuture.supplyAsync(() -> Swarmwatch.execute(args.toArray(String[]::new)));
                awaitCaptureOpen(pcap, capture);
                try (TorrentSession leecher = TorrentSession.start(meta, leech, peer(leecherAddress).withEncryption(encryption))) {
                    if (!leecher.awaitComplete(Duration.ofSeconds(20))) {
                        throw new IOException("scenario " + name + ": the leecher did not finish; tracker saw " + tracker.seen());
                    }
                    Thread.sleep(1500); // a last announce each
                }
                exit = capture.get(60, TimeUnit.SECONDS);
            }
        }
        Path manifest = dir.resolve("MANIFEST.tsv");
        boolean rc4 = encryption == Encryption.REQUIRE_ENCRYPTED;
        Map<String, String> row = new LinkedHashMap<>();
        row.put("clients", "seeder=" + Client.REFERENCE_PEER.description() + "; leecher=" + Client.REFERENCE_PEER.description());
        row.put("net", "loopback");
        row.put("transport", "tcp");
        row.put("encryption", rc4 ? "mse" : "plain");
        row.put("tracker", udpTracker ? "udp" : "http");
        row.put("magnet", "0");
        row.put("seen_in_tracker", infohash);
        row.put("features", (udpTracker ? "udp-tracker" : "http-tracker") + (rc4 ? "" : ",ext:ut_metadata"));
        row.put("non_loopback_or_foreign_addrs", "none");
        row.put("command", "launcher/src/test/java/org/swarmwatch/launcher/Scenario.java seedAndLeech");
        ScenarioManifest.append(manifest, pcap, content, infohash, row);
        return new Result(pcap, manifest, infohash, content, leech.resolve("film.bin"), exit);
    }

    /**
     * Runs a swarm in {@code dir} and captures it live: {@code dir/NAME.pcap}, a row in
     * {@code dir/MANIFEST.tsv} (appended: scenarios may share a directory), {@code dir/NAME.torrent},
     * each leecher's files and log under {@code dir/NAME-N-client/}.
     *
     * <p>The capture runs for {@code capture} (the probe's {@code --duration}) from before the first
     * leecher starts; every leecher must have the whole file checked before it ends, else this
     * fails, naming the leechers that had not finished and their logs. The capture filter keeps the
     * swarm's TCP only: between 127.0.0.0/24 addresses, to or from the tracker's, the seeder's or a
     * real client's port. transmission-cli never dials a 127.0.0.0/8 peer, so the seeder dials it
     * once it has announced.
     *
     * <p>Known limit: the reference peers announce over HTTP from 127.0.0.1 (the JDK's HTTP client
     * cannot choose its source address), so the tracker hands out a reference leecher as
     * 127.0.0.1:its port, where nothing listens; the others' dials there are refused (and not
     * captured: that port is not in the filter). The reference leechers dial the others themselves.
     *
     * @param contentBytes the size of the random file (seeded by {@code name}); pieces are 16 KiB
     * @param leechers     one entry per leecher, in order from 127.0.0.2 (the same client may appear more than once)
     * @param sink         the capture command's output options (e.g. {@code --out FILE})
     */
    static Swarm swarm(Path dir, String name, int contentBytes, List<Client> leechers, Duration capture, List<String> sink)
            throws Exception {
        if (leechers.isEmpty() || leechers.size() > 200) {
            throw new IllegalArgumentException("a swarm has 1 to 200 leechers, not " + leechers.size());
        }
        if (capture.compareTo(Duration.ofSeconds(8)) < 0) {
            throw new IllegalArgumentException("a swarm's capture lasts at least 8 s (the time to open it, 1.5 s of last announces), not " + capture);
        }
        leechers.forEach(Client::requireInstalled);
        long began = System.nanoTime();
        Path seed = Files.createDirectories(dir.resolve(name + "-seed"));
        byte[] content = new byte[contentBytes];
        new Random(name.hashCode()).nextBytes(content);
        Files.write(seed.resolve("film.bin"), content);
        List<Download> downloads = new ArrayList<>();
        for (int i = 0; i < leechers.size(); i++) {
            Client c = leechers.get(i);
            Path d = Files.createDirectories(dir.resolve(name + "-" + (i + 1) + "-" + c.name().toLowerCase(Locale.ROOT)));
            downloads.add(new Download(c, loopback(2 + i), d.resolve("film.bin")));
        }
        Path pcap = newCapture(dir, name);
        String infohash;
        int exit;
        long uploaded;
        boolean announced;
        try (LocalTracker tracker = LocalTracker.start(SEEDER, 0, 1)) {
            byte[] torrent = TorrentBuilder.create(seed.resolve("film.bin"), TorrentBuilder.Version.V1, 16384, tracker.announceUrl()).metainfo();
            Path torrentFile = Files.write(dir.resolve(name + ".torrent"), torrent);
            Metainfo meta = Metainfo.parse(torrent);
            infohash = HexFormat.of().formatHex(meta.infoHash());
            try (TorrentSession seeder = TorrentSession.start(meta, seed, peer(SEEDER))) {
                List<Integer> ports = new ArrayList<>();
                for (Download d : downloads) {
                    ports.add(d.client() == Client.REFERENCE_PEER ? 0 : RealClient.freePort(d.address()));
                }
                StringBuilder filter = new StringBuilder("tcp and src net 127.0.0.0/24 and dst net 127.0.0.0/24 and (port ")
                        .append(URI.create(tracker.announceUrl()).getPort()).append(" or port ").append(seeder.address().getPort());
                ports.stream().filter(p -> p > 0).forEach(p -> filter.append(" or port ").append(p));
                filter.append(')');
                List<String> args = new ArrayList<>(List.of("capture", "--interface", "lo", "--filter", filter.toString(), "--duration",
                        capture.toMillis() + "ms", "--quiet", "--subscriber-net", "127.0.0.0/24", "--write-pcap", pcap.toString()));
                args.addAll(sink);
                long captureStart = System.nanoTime();
                CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> Swarmwatch.execute(args.toArray(String[]::new)));
                try {
                    awaitCaptureOpen(pcap, running);
                    try (Leechers l = new Leechers(meta, torrentFile, content, seeder, tracker)) {
                        for (int i = 0; i < downloads.size(); i++) {
                            l.start(downloads.get(i), ports.get(i));
                        }
                        l.awaitAll(captureStart + capture.toNanos() - Duration.ofMillis(2000).toNanos(), name);
                        Thread.sleep(1500); // a last announce each
                    }
                } finally {
                    exit = running.get(capture.toSeconds() + 60, TimeUnit.SECONDS);
                }
                uploaded = seeder.uploaded();
            }
            announced = tracker.seen().stream().anyMatch(s -> s.infoHash().equals(infohash));
        }
        Map<String, String> row = new LinkedHashMap<>();
        StringBuilder clients = new StringBuilder("seeder=" + Client.REFERENCE_PEER.description() + " on " + SEEDER.getHostAddress());
        downloads.forEach(d -> clients.append("; leecher=").append(d.client().description()).append(" on ").append(d.address().getHostAddress()));
        row.put("generate_s", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - began) / 1e9));
        row.put("clients", clients.toString());
        row.put("net", "loopback");
        row.put("transport", "tcp");
        row.put("encryption", "plain");
        row.put("tracker", "http");
        row.put("magnet", "0");
        row.put("seen_in_tracker", announced ? infohash : "-");
        row.put("features", "http-tracker");
        row.put("non_loopback_or_foreign_addrs", "none");
        row.put("command", "launcher/src/test/java/org/swarmwatch/launcher/Scenario.java swarm " + leechers);
        Path manifest = dir.resolve("MANIFEST.tsv");
        ScenarioManifest.append(manifest, pcap, content, infohash, row);
        return new Swarm(pcap, manifest, infohash, content, List.copyOf(downloads), exit, uploaded);
    }

    /**
     * The leechers of a running swarm: started one by one, watched until each has the whole file,
     * and all ended by {@link #close()} (sessions closed, client processes terminated), also when
     * starting or waiting failed.
     */
    private static final class Leechers implements AutoCloseable {
        private final Metainfo meta;
        private final Path torrentFile;
        private final byte[] content;
        private final TorrentSession seeder;
        private final LocalTracker tracker;
        private final List<Running> running = new ArrayList<>();

        /** One leecher: a reference session or a client process, and whether the seeder dialled it yet. */
        private static final class Running {
            final Download download;
            final int port;
            TorrentSession session;
            RealClient client;
            boolean dialled;

            Running(Download download, int port) {
                this.download = download;
                this.port = port;
            }

            String label() {
                return download.client() + " on " + download.address().getHostAddress();
            }
        }

        Leechers(Metainfo meta, Path torrentFile, byte[] content, TorrentSession seeder, LocalTracker tracker) {
            this.meta = meta;
            this.torrentFile = torrentFile;
            this.content = content;
            this.seeder = seeder;
            this.tracker = tracker;
        }

        void start(Download d, int port) throws IOException {
            Running r = new Running(d, port);
            running.add(r);
            Path dir = d.file().getParent(), log = dir.resolve("client.log");
            InetAddress a = d.address();
            switch (d.client()) {
                case REFERENCE_PEER -> r.session = TorrentSession.start(meta, dir, peer(a));
                case ARIA2 -> r.client = RealClient.aria2(torrentFile.toString(), dir, a, port, false, log, false);
                case LIBTORRENT -> r.client = RealClient.libtorrent(torrentFile, dir, a, port, false, log, false);
                case TRANSMISSION -> r.client = RealClient.transmission(torrentFile, dir, a, port, dir.resolve("transmission-config"), false, log);
            }
        }

        /** Until every leecher has the whole file; fails at {@code deadline} (System.nanoTime) or when a client exits with an error. */
        void awaitAll(long deadline, String scenario) throws Exception {
            while (true) {
                List<Running> pending = new ArrayList<>();
                for (Running r : running) {
                    if (!done(r)) {
                        pending.add(r);
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    StringBuilder m = new StringBuilder("scenario " + scenario + ": not finished before the capture ends:");
                    for (Running r : pending) {
                        m.append("\n- ").append(r.label()).append(r.client == null ? ", downloaded " + r.session.downloaded() + " bytes"
                                : "\n" + r.client.output());
                    }
                    throw new IOException(m.append("\ntracker saw ").append(tracker.seen()).toString());
                }
                Thread.sleep(100);
            }
        }

        private boolean done(Running r) throws IOException {
            if (r.session != null) {
                return r.session.isComplete();
            }
            Process p = r.client.process();
            if (r.download.client() != Client.TRANSMISSION) {
                // aria2c (--seed-time=0) and lt_peer.py leech exit 0 once the download is complete and checked
                if (p.isAlive()) {
                    return false;
                }
                if (p.exitValue() != 0) {
                    throw new IOException(r.label() + " exited with " + p.exitValue() + ":\n" + r.client.output());
                }
                return true;
            }
            if (!p.isAlive()) {
                throw new IOException(r.label() + " exited with " + p.exitValue() + ":\n" + r.client.output());
            }
            if (!r.dialled && tracker.seen().stream().anyMatch(s -> s.peer().getPort() == r.port)) {
                seeder.connect(new InetSocketAddress(r.download.address(), r.port)); // it has announced: it listens
                r.dialled = true;
            }
            // transmission-cli seeds on once complete: the file is done when it holds the content
            Path f = r.download.file();
            return Files.isRegularFile(f) && Files.size(f) == content.length && Arrays.equals(Files.readAllBytes(f), content);
        }

        @Override
        public void close() throws Exception {
            Exception first = null;
            for (int i = running.size() - 1; i >= 0; i--) {
                Running r = running.get(i);
                try {
                    if (r.session != null) {
                        r.session.close();
                    }
                    if (r.client != null) {
                        r.client.close();
                    }
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** {@code dir/NAME.pcap}, which must not exist yet: the manifest names each capture once. */
    static Path newCapture(Path dir, String name) throws IOException {
        Path pcap = dir.resolve(name + ".pcap");
        if (Files.exists(pcap)) {
            throw new IOException("scenario " + name + ": " + pcap + " exists already (a scenario's name is its capture's, once per manifest)");
        }
        return pcap;
    }

    /**
     * Until the capture command has libpcap's handle open with its filter set: it opens the pcap
     * file only then (LiveInterfaceSource), and from then on the kernel buffers every frame the
     * filter takes, even before the capture loop reads them. Fails if the command ended first.
     */
    static void awaitCaptureOpen(Path pcap, CompletableFuture<Integer> capture) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(pcap)) {
            if (capture.isDone()) {
                throw new IOException("the capture command ended (exit code " + capture.get() + ") before it opened " + pcap);
            }
            if (System.nanoTime() > end) {
                throw new IOException("the capture command did not open " + pcap + " within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** 127.0.0.{@code last}. */
    static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }

    /** The installed version of a Debian package ("1.36.0-1"), or "unknown" when dpkg cannot say. */
    static String debianVersion(String debianPackage) {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", debianPackage).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** A peer of its own (its own peer id), bound to {@code address}, contacting loopback only. */
    static PeerConfig peer(InetAddress address) {
        return PeerConfig.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1))
                .withBindAddress(address, InetAddress::isLoopbackAddress);
    }
}
