package org.swarmwatch.peer.interop;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real BitTorrent client from Debian, run as a child process whose output goes to a log file.
 * {@link #close()} ends it (SIGTERM, then SIGKILL after 5 s, its descendants too) and is meant for
 * a try-with-resources block, so that it runs even when the test fails.
 *
 * <p>Every client is locked down for loopback: bound to the address it is given (127.0.0.1 unless
 * said otherwise; any 127.0.0.0/8 address, so that a swarm's peers have distinct addresses), DHT,
 * local peer discovery, peer exchange and UPnP/NAT-PMP off; the torrent's tracker (the test's, on
 * loopback) is its only peer source. Public, and shipped in this module's test-jar, so that the
 * launcher's scenario harness runs the same clients the same way ({@code launcher/.../Scenario}).
 */
public final class RealClient implements AutoCloseable {
    /** The address the clients bind to unless told otherwise. */
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final String name;
    private final Process process;
    private final Path log;

    private RealClient(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static RealClient start(String name, Path log, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new RealClient(name, p, log);
    }

    /**
     * aria2c on 127.0.0.1 only, the flags of the bt-captures scripts: no DHT (v4 or v6), no local
     * peer discovery, no peer exchange, no IPv6, plaintext allowed, no config file read; the
     * torrent's tracker (the test's, on 127.0.0.1) is its only peer source.
     */
    static RealClient aria2(Path torrent, Path dir, int port, boolean seed, Path log) throws IOException {
        return aria2(torrent.toString(), dir, port, seed, log);
    }

    /** The same, for a torrent file or a magnet link (aria2 then fetches the metadata by BEP 9). */
    static RealClient aria2(String target, Path dir, int port, boolean seed, Path log) throws IOException {
        return aria2(target, dir, port, seed, log, false);
    }

    /**
     * With {@code requireCrypto}, aria2 speaks MSE/PE with RC4 only ({@code --bt-require-crypto=true
     * --bt-min-crypto-level=arc4}): it neither sends nor accepts a plaintext handshake.
     */
    static RealClient aria2(String target, Path dir, int port, boolean seed, Path log, boolean requireCrypto) throws IOException {
        return aria2(target, dir, LOOPBACK, port, seed, log, requireCrypto);
    }

    /**
     * aria2c bound to {@code bind} ({@code --interface}: its listening socket, its peer connections
     * and its tracker announces all leave from that address). A leecher exits 0 once the download
     * is complete and checked ({@code --seed-time=0}); a seeder ({@code seed}) checks the data
     * first and seeds until closed.
     */
    public static RealClient aria2(String target, Path dir, InetAddress bind, int port, boolean seed, Path log, boolean requireCrypto)
            throws IOException {
        List<String> c = new ArrayList<>(List.of("aria2c", "--no-conf=true", "--dir=" + dir, "--enable-dht=false",
                "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--disable-ipv6=true",
                "--interface=" + loopback(bind).getHostAddress(), "--listen-port=" + port, "--bt-tracker-interval=1",
                "--file-allocation=none", "--summary-interval=0", "--console-log-level=notice", "--bt-save-metadata=false",
                "--follow-torrent=mem", "--bt-min-crypto-level=" + (requireCrypto ? "arc4" : "plain"),
                "--bt-require-crypto=" + requireCrypto, "--seed-time=0", "--retry-wait=1"));
        if (seed) {
            c.addAll(List.of("--check-integrity=true", "--seed-ratio=0.0"));
            c.remove("--seed-time=0");
        }
        c.add(target);
        return start("aria2c", log, c);
    }

    /** libtorrent through Debian's python3-libtorrent (lt_peer.py: loopback, nothing else), plaintext only. */
    static RealClient libtorrent(Path torrent, Path dir, int port, boolean seed, Path log) throws IOException {
        return libtorrent(torrent, dir, port, seed, log, false);
    }

    /** libtorrent leeching from a magnet link (lt_peer.py, plaintext, on 127.0.0.1); it prints COMPLETE and exits 0 once it seeds. */
    static RealClient libtorrentMagnet(String magnet, Path dir, int port, Path log) throws IOException {
        Path script = script("lt_peer.py", log.getParent());
        return start("libtorrent", log, List.of("/usr/bin/python3", script.toString(), "leech", magnet, dir.toString(),
                Integer.toString(port), "plaintext", LOOPBACK.getHostAddress()));
    }

    /** libtorrent seeding a torrent file and handing its metadata over (BEP 9, its ut_metadata plugin on), plaintext, on 127.0.0.1. */
    static RealClient libtorrentSeedWithMetadata(Path torrent, Path dir, int port, Path log) throws IOException {
        Path script = script("lt_peer.py", log.getParent());
        return start("libtorrent", log, List.of("/usr/bin/python3", script.toString(), "seed-metadata", torrent.toString(),
                dir.toString(), Integer.toString(port), "plaintext", LOOPBACK.getHostAddress()));
    }

    /** With {@code forceRc4}: MSE/PE forced both ways, RC4 only ({@code pe_forced}, {@code pe_rc4}). */
    static RealClient libtorrent(Path torrent, Path dir, int port, boolean seed, Path log, boolean forceRc4) throws IOException {
        return libtorrent(torrent, dir, LOOPBACK, port, seed, log, forceRc4);
    }

    /**
     * libtorrent listening on {@code bind} and dialling from it ({@code listen_interfaces},
     * {@code outgoing_interfaces}); its tracker announces leave from the listening address too. A
     * leecher prints COMPLETE and exits 0 once it seeds; a seeder runs until closed.
     */
    public static RealClient libtorrent(Path torrent, Path dir, InetAddress bind, int port, boolean seed, Path log, boolean forceRc4)
            throws IOException {
        Path script = script("lt_peer.py", log.getParent());
        return start("libtorrent", log, List.of("/usr/bin/python3", script.toString(), seed ? "seed" : "leech", torrent.toString(),
                dir.toString(), Integer.toString(port), forceRc4 ? "rc4" : "plaintext", loopback(bind).getHostAddress()));
    }

    /** transmission-cli on 127.0.0.1; see {@link #transmission(Path, Path, InetAddress, int, Path, boolean, Path)}. */
    static RealClient transmission(Path torrent, Path dir, int port, Path config, boolean requireCrypto, Path log) throws IOException {
        return transmission(torrent, dir, LOOPBACK, port, config, requireCrypto, log);
    }

    /**
     * transmission-cli (Debian's 3.00) with its own configuration directory {@code config}:
     * bound to {@code bind} (and ::1), DHT, local peer discovery, PEX, uTP, port mapping (UPnP and
     * NAT-PMP), blocklist and RPC off. It verifies what is in {@code dir} on start, so the same
     * command seeds or downloads; it keeps running (seeding) until closed. It never dials a
     * 127.0.0.0/8 peer itself, so the other peer must dial it. {@code requireCrypto}: MSE/PE
     * required ({@code -er}, RC4), else plaintext preferred ({@code -et}).
     */
    public static RealClient transmission(Path torrent, Path dir, InetAddress bind, int port, Path config, boolean requireCrypto, Path log)
            throws IOException {
        Files.createDirectories(config);
        Files.writeString(config.resolve("settings.json"), """
                {
                  "bind-address-ipv4": "%s", "bind-address-ipv6": "::1",
                  "dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
                  "port-forwarding-enabled": false, "blocklist-enabled": false, "rpc-enabled": false,
                  "encryption": %d, "peer-port": %d, "peer-port-random-on-start": false,
                  "download-dir": "%s", "incomplete-dir-enabled": false, "rename-partial-files": false,
                  "speed-limit-down-enabled": false, "speed-limit-up-enabled": false, "message-level": 2
                }
                """.formatted(loopback(bind).getHostAddress(), requireCrypto ? 2 : 0, port, dir));
        return start("transmission", log, List.of("transmission-cli", "-g", config.toString(), "-w", dir.toString(), "-p",
                Integer.toString(port), "-M", "-B", "-D", "-U", requireCrypto ? "-er" : "-et", torrent.toString()));
    }

    /**
     * libtorrent with its DHT on, bootstrapped from {@code dhtNode} only (lt_dht.py: loopback,
     * the DHT its one peer source); {@code target} a torrent file or a magnet link without trackers.
     */
    static RealClient libtorrentDht(String target, Path dir, int port, boolean seed, InetSocketAddress dhtNode, Path log)
            throws IOException {
        Path script = script("lt_dht.py", log.getParent());
        return start("libtorrent", log, List.of("/usr/bin/python3", script.toString(), seed ? "seed" : "leech", target, dir.toString(),
                Integer.toString(port), dhtNode.getAddress().getHostAddress() + ":" + dhtNode.getPort()));
    }

    /**
     * A v2-only torrent (BEP 52) of {@code source} made by libtorrent ({@code lt_make_v2.py}; it
     * only hashes local files), written to {@code out}; returns libtorrent's view of it as the
     * script's JSON line (v2 info hash, pieces, total size with implied pads, files).
     *
     * @param tracker an announce URL (the test's own, on loopback), or null for none
     */
    public static String libtorrentMakesV2(Path source, int pieceLength, Path out, String tracker)
            throws IOException, InterruptedException {
        Path script = script("lt_make_v2.py", out.getParent());
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), source.toString(),
                Integer.toString(pieceLength), out.toString()));
        if (tracker != null) {
            command.add(tracker);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || output.indexOf('{') < 0) {
                throw new IOException("lt_make_v2.py failed: " + output);
            }
            return output.substring(output.indexOf('{'));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * One of this class's scripts copied from the class path into {@code dir}, a file of its own
     * each time: the class path may be a jar (this module's test-jar, as the launcher uses it).
     */
    private static Path script(String resource, Path dir) throws IOException {
        Path file = Files.createTempFile(dir, resource.replace(".py", "-"), ".py");
        try (InputStream in = RealClient.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the class path (reference-peer's test resources)");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** {@code address}, refused unless it is on loopback: a real client here never listens anywhere else. */
    private static InetAddress loopback(InetAddress address) {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("a real client binds to loopback only, not " + address.getHostAddress());
        }
        return address;
    }

    /** A TCP port free on 127.0.0.1 now. */
    public static int freePort() throws IOException {
        return freePort(LOOPBACK);
    }

    /** A TCP port free on {@code address} now (a client started right after takes it). */
    public static int freePort(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, loopback(address))) {
            return s.getLocalPort();
        }
    }

    /** Fails (an {@link AssertionError}) naming the system-deps.sh part that installs {@code command} when it is not on the PATH. */
    public static void require(String command, String part) {
        boolean found = List.of(System.getenv("PATH").split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, command)));
        if (!found) {
            throw new AssertionError(command + " is missing: run scripts/system-deps.sh " + part);
        }
    }

    /** Fails, as {@link #require}, when Debian's python3 (which python3-libtorrent installs into) is missing. */
    public static void requireLibtorrent() {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            throw new AssertionError("/usr/bin/python3 is missing: run scripts/system-deps.sh libtorrent");
        }
    }

    /** "aria2c", "libtorrent" or "transmission". */
    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    /** Whether it exited within {@code d}. */
    public boolean waitFor(Duration d) throws InterruptedException {
        return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Its log, headed by its name, for a failure message. */
    public String output() {
        try {
            return name + " log:\n" + Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return name + " log unreadable: " + e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
