package org.swarmwatch.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Needs root (live capture); everything stays on 127.0.0.0/8.
 */
final class Scenario {
    /** What a scenario made. */
    record Result(Path pcap, Path manifest, String infohash, byte[] content, Path leeched, int captureExit) {
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
        Path pcap = dir.resolve(name + ".pcap");
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
                Thread.sleep(2500); // libpcap open, Kafka topics checked
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
        writeManifestRow(manifest, pcap, infohash, udpTracker, encryption == Encryption.REQUIRE_ENCRYPTED);
        return new Result(pcap, manifest, infohash, content, leech.resolve("film.bin"), exit);
    }

    /** A peer of its own (its own peer id), bound to {@code address}, contacting loopback only. */
    static PeerConfig peer(InetAddress address) {
        return PeerConfig.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1))
                .withBindAddress(address, InetAddress::isLoopbackAddress);
    }

    /** The header of ../shared's manifest, and a row with what this scenario knows ("-" for the rest). */
    private static void writeManifestRow(Path manifest, Path pcap, String infohash, boolean udpTracker, boolean rc4) throws IOException {
        Path shared = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared/bt-captures/pcaps/MANIFEST.tsv").normalize();
        String[] header = Files.readAllLines(shared).get(0).split("\t", -1);
        Map<String, String> row = new LinkedHashMap<>();
        row.put("file", pcap.getFileName().toString());
        row.put("bytes", Long.toString(Files.size(pcap)));
        row.put("clients", "seeder=swarmwatch reference peer; leecher=swarmwatch reference peer");
        row.put("net", "loopback");
        row.put("transport", "tcp");
        row.put("encryption", rc4 ? "mse" : "plain");
        row.put("tracker", udpTracker ? "udp" : "http");
        row.put("magnet", "0");
        row.put("infohash_v1", infohash);
        row.put("infohash_v2_sha256", "-");
        row.put("seen_in_handshake", rc4 ? "-" : infohash);
        row.put("seen_in_tracker", infohash);
        row.put("seen_in_dht_announce_peer", "-");
        row.put("peer_ids", "-SW0001-");
        row.put("features", (rc4 ? "mse-rc4-opaque," : "bt-tcp-plaintext-handshake,") + (udpTracker ? "udp-tracker" : "http-tracker")
                + (rc4 ? "" : ",ext:ut_metadata"));
        row.put("non_loopback_or_foreign_addrs", "none");
        row.put("command", "launcher/src/test/java/org/swarmwatch/launcher/Scenario.java seedAndLeech");
        List<String> cells = new ArrayList<>();
        for (String h : header) {
            cells.add(row.getOrDefault(h, "-"));
        }
        String text = String.join("\t", header) + "\n" + String.join("\t", cells) + "\n";
        Files.writeString(manifest, text, StandardCharsets.UTF_8);
    }
}
