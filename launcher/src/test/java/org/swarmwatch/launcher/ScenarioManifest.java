package org.swarmwatch.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ground truth of the scenario harness: one row per capture in the form of
 * ../shared/bt-captures/pcaps/MANIFEST.tsv (the same header, read from that file, so that the two
 * cannot drift apart), which {@code swarmwatch eval DIR --manifest DIR/MANIFEST.tsv} reads like the
 * shared one. A scenario gives what it set up (clients, encryption, tracker...); what the capture
 * itself tells is measured from the pcap by {@link ScenarioCapture}, as
 * ../shared/bt-captures/scripts/analyze.py measures the shared captures: {@code bytes},
 * {@code packets}, {@code capture_s} (first to last frame), {@code content_visible},
 * {@code seen_in_handshake} and {@code peer_ids} (from the handshakes read on the wire) and the
 * stream features (plaintext handshake, MSE then plaintext, opaque RC4), before the scenario's
 * own. The rest (tshark's view) is "-".
 */
final class ScenarioManifest {
    private ScenarioManifest() {
    }

    /**
     * Appends the row for {@code pcap} to {@code manifest} (writing the header first when the file
     * is new), {@code known} giving the scenario's columns by name; a column it does not give is "-".
     *
     * @param content the file the swarm moved, to count how much of it is readable on the wire
     * @param infohash the torrent's v1 info hash in hex ({@code infohash_v1}; v1 torrents only)
     */
    static void append(Path manifest, Path pcap, byte[] content, String infohash, Map<String, String> known) throws IOException {
        List<String> header = sharedHeader();
        for (String column : known.keySet()) {
            if (!header.contains(column)) {
                throw new IllegalArgumentException("no column " + column + " in the shared manifest's header " + header);
            }
        }
        ScenarioCapture c = ScenarioCapture.read(pcap);
        List<String> features = new ArrayList<>(c.features());
        if (known.containsKey("features")) {
            features.add(known.get("features"));
        }
        List<String> cells = new ArrayList<>();
        for (String column : header) {
            String cell = switch (column) {
                case "file" -> pcap.getFileName().toString();
                case "bytes" -> Long.toString(c.raw.length);
                case "packets" -> Long.toString(c.packets);
                case "capture_s" -> String.format(Locale.ROOT, "%.2f", c.seconds);
                case "content_visible" -> c.contentVisible(content);
                case "infohash_v1" -> infohash;
                case "seen_in_handshake" -> String.join(",", c.infohashes);
                case "peer_ids" -> String.join(",", c.peerIds);
                case "features" -> String.join(",", features);
                default -> known.getOrDefault(column, "-");
            };
            if (cell.contains("\t") || cell.contains("\n")) {
                throw new IllegalArgumentException("column " + column + " holds a tab or a line break: " + cell);
            }
            cells.add(cell.isEmpty() ? "-" : cell);
        }
        StringBuilder text = new StringBuilder();
        if (!Files.exists(manifest) || Files.size(manifest) == 0) {
            text.append(String.join("\t", header)).append('\n');
        }
        text.append(String.join("\t", cells)).append('\n');
        Files.writeString(manifest, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The header of ../shared/bt-captures/pcaps/MANIFEST.tsv. */
    static List<String> sharedHeader() throws IOException {
        Path shared = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared/bt-captures/pcaps/MANIFEST.tsv").normalize();
        if (!Files.isRegularFile(shared)) {
            throw new IOException("the scenario manifest takes its header from " + shared + ", which is missing");
        }
        try (var lines = Files.lines(shared, StandardCharsets.UTF_8)) {
            return List.of(lines.findFirst().orElseThrow(() -> new IOException(shared + " is empty")).split("\t", -1));
        }
    }
}
