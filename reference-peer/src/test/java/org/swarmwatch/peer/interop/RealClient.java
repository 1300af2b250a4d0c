package org.swarmwatch.peer.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real BitTorrent client from Debian, run as a child process whose output goes to a log file.
 * {@link #close()} ends it (SIGTERM, then SIGKILL after 5 s, its descendants too) and is meant for
 * a try-with-resources block, so that it runs even when the test fails.
 */
final class RealClient implements AutoCloseable {
    final String name;
    final Process process;
    final Path log;

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
        List<String> c = new ArrayList<>(List.of("aria2c", "--no-conf=true", "--dir=" + dir, "--enable-dht=false",
                "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--disable-ipv6=true",
                "--interface=127.0.0.1", "--listen-port=" + port, "--bt-tracker-interval=1", "--file-allocation=none",
                "--summary-interval=0", "--console-log-level=notice", "--bt-save-metadata=false", "--follow-torrent=mem",
                "--bt-min-crypto-level=" + (requireCrypto ? "arc4" : "plain"), "--bt-require-crypto=" + requireCrypto,
                "--seed-time=0", "--retry-wait=1"));
        if (seed) {
            c.addAll(List.of("--check-integrity=true", "--seed-ratio=0.0"));
            c.remove("--seed-time=0");
        }
        c.add(target);
        return start("aria2c", log, c);
    }

    /** libtorrent through Debian's python3-libtorrent (lt_peer.py: loopback, nothing else), plaintext only. */
    static RealClient libtorrent(Path torrent, Path dir, int port, boolean seed, Path log) throws Exception {
        return libtorrent(torrent, dir, port, seed, log, false);
    }

    /** With {@code forceRc4}: MSE/PE forced both ways, RC4 only ({@code pe_forced}, {@code pe_rc4}). */
    static RealClient libtorrent(Path torrent, Path dir, int port, boolean seed, Path log, boolean forceRc4) throws Exception {
        Path script = Path.of(RealClient.class.getResource("/lt_peer.py").toURI());
        return start("libtorrent", log, List.of("/usr/bin/python3", script.toString(), seed ? "seed" : "leech", torrent.toString(),
                dir.toString(), Integer.toString(port), forceRc4 ? "rc4" : "plaintext"));
    }

    /**
     * transmission-cli (Debian's 3.00) with its own configuration directory {@code config}:
     * bound to 127.0.0.1 (and ::1), DHT, local peer discovery, PEX, uTP, port mapping (UPnP and
     * NAT-PMP), blocklist and RPC off. It verifies what is in {@code dir} on start, so the same
     * command seeds or downloads; it keeps running (seeding) until closed. It never dials a
     * 127.0.0.0/8 peer itself, so the reference peer dials it. {@code requireCrypto}: MSE/PE
     * required ({@code -er}, RC4), else plaintext preferred ({@code -et}).
     */
    static RealClient transmission(Path torrent, Path dir, int port, Path config, boolean requireCrypto, Path log) throws IOException {
        Files.createDirectories(config);
        Files.writeString(config.resolve("settings.json"), """
                {
                  "bind-address-ipv4": "127.0.0.1", "bind-address-ipv6": "::1",
                  "dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
                  "port-forwarding-enabled": false, "blocklist-enabled": false, "rpc-enabled": false,
                  "encryption": %d, "peer-port": %d, "peer-port-random-on-start": false,
                  "download-dir": "%s", "incomplete-dir-enabled": false, "rename-partial-files": false,
                  "speed-limit-down-enabled": false, "speed-limit-up-enabled": false, "message-level": 2
                }
                """.formatted(requireCrypto ? 2 : 0, port, dir));
        return start("transmission", log, List.of("transmission-cli", "-g", config.toString(), "-w", dir.toString(), "-p",
                Integer.toString(port), "-M", "-B", "-D", "-U", requireCrypto ? "-er" : "-et", torrent.toString()));
    }

    /**
     * libtorrent with its DHT on, bootstrapped from {@code dhtNode} only (lt_dht.py: loopback,
     * the DHT its one peer source); {@code target} a torrent file or a magnet link without trackers.
     */
    static RealClient libtorrentDht(String target, Path dir, int port, boolean seed, java.net.InetSocketAddress dhtNode, Path log)
            throws Exception {
        Path script = Path.of(RealClient.class.getResource("/lt_dht.py").toURI());
        return start("libtorrent", log, List.of("/usr/bin/python3", script.toString(), seed ? "seed" : "leech", target, dir.toString(),
                Integer.toString(port), dhtNode.getAddress().getHostAddress() + ":" + dhtNode.getPort()));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void require(String command, String part) {
        boolean found = List.of(System.getenv("PATH").split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, command)));
        if (!found) {
            throw new AssertionError(command + " is missing: run scripts/system-deps.sh " + part);
        }
    }

    boolean waitFor(Duration d) throws InterruptedException {
        return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    String output() {
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
