package org.swarmwatch.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The ground truth of the scenario harness: one row per capture in the form of
 * ../shared/bt-captures/pcaps/MANIFEST.tsv (the same header, read from that file, so that the two
 * cannot drift apart), which {@code swarmwatch eval DIR --manifest DIR/MANIFEST.tsv} reads like the
 * shared one. A scenario gives what it knows (infohash, clients, where the hash is in clear...);
 * the columns a capture itself tells ({@code bytes}, {@code packets}, {@code capture_s},
 * {@code content_visible}) are measured from the pcap here; the rest (tshark's view) is "-".
 */
final class ScenarioManifest {
    /** More than any capture of the harness (a few MB): a bigger file is not one of ours. */
    private static final long MAX_PCAP_BYTES = 256L << 20;

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
        byte[] raw = Files.readAllBytes(pcap);
        Summary s = summary(pcap, raw);
        Handshakes h = handshakes(raw);
        String features = (h.infohashes().isEmpty() ? "" : "bt-tcp-plaintext-handshake,") + known.getOrDefault("features", "");
        List<String> cells = new ArrayList<>();
        for (String column : header) {
            String cell = switch (column) {
                case "file" -> pcap.getFileName().toString();
                case "bytes" -> Long.toString(raw.length);
                case "packets" -> Long.toString(s.packets());
                case "capture_s" -> String.format(Locale.ROOT, "%.2f", s.seconds());
                case "content_visible" -> contentVisible(content, raw);
                case "infohash_v1" -> infohash;
                case "seen_in_handshake" -> String.join(",", h.infohashes());
                case "peer_ids" -> String.join(",", h.peerIds());
                case "features" -> features.endsWith(",") ? features.substring(0, features.length() - 1) : features;
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

    /** How many frames a pcap holds and the seconds from its first to its last. */
    record Summary(long packets, double seconds) {
    }

    /**
     * Reads the classic pcap format (the probe's {@code --write-pcap}): the 24-byte file header
     * (magic a1b2c3d4 for microseconds, a1b23c4d for nanoseconds, either byte order), then a
     * 16-byte header (seconds, fraction, captured length, original length) before each frame.
     */
    static Summary summary(Path pcap, byte[] raw) throws IOException {
        if (raw.length > MAX_PCAP_BYTES) {
            throw new IOException(pcap + ": " + raw.length + " bytes, more than a scenario capture holds (" + MAX_PCAP_BYTES + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (raw.length < 24) {
            throw new IOException(pcap + ": " + raw.length + " bytes, shorter than a pcap file header");
        }
        int magic = b.getInt(0);
        if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = Integer.reverseBytes(magic);
        }
        double fraction = switch (magic) {
            case 0xa1b2c3d4 -> 1e-6;
            case 0xa1b23c4d -> 1e-9;
            default -> throw new IOException(pcap + ": not a pcap file (magic " + Integer.toHexString(magic) + ")");
        };
        long packets = 0;
        double first = 0, last = 0;
        int at = 24;
        while (at < raw.length) {
            if (raw.length - at < 16) {
                throw new IOException(pcap + ": a frame header cut short at byte " + at);
            }
            double time = Integer.toUnsignedLong(b.getInt(at)) + Integer.toUnsignedLong(b.getInt(at + 4)) * fraction;
            long captured = Integer.toUnsignedLong(b.getInt(at + 8));
            if (captured > raw.length - at - 16) {
                throw new IOException(pcap + ": frame " + (packets + 1) + " at byte " + at + " claims " + captured
                        + " bytes, past the end of the file");
            }
            first = packets == 0 ? time : first;
            last = time;
            packets++;
            at += 16 + (int) captured;
        }
        return new Summary(packets, packets == 0 ? 0 : last - first);
    }

    /** The info hashes (hex) and the peer id prefixes (analyze.py's {@code peer_client}) of the plaintext handshakes in a capture. */
    record Handshakes(SortedSet<String> infohashes, SortedSet<String> peerIds) {
    }

    /**
     * Every plaintext BEP 3 handshake in the capture's bytes: 19, "BitTorrent protocol", 8 reserved
     * bytes, the 20-byte info hash, the 20-byte peer id. Each is one segment on loopback (its
     * sender writes it at once, the MTU is 64 KiB), so searching the file's bytes finds them all.
     */
    static Handshakes handshakes(byte[] raw) {
        byte[] protocol = "\023BitTorrent protocol".getBytes(StandardCharsets.ISO_8859_1);
        SortedSet<String> hashes = new TreeSet<>(), ids = new TreeSet<>();
        for (int at = indexOf(raw, protocol, 0); at >= 0; at = indexOf(raw, protocol, at + 1)) {
            int hash = at + 20 + 8, id = hash + 20;
            if (id <= raw.length) {
                hashes.add(HexFormat.of().formatHex(raw, hash, id));
            }
            if (id + 20 <= raw.length) {
                ids.add(peerIdPrefix(Arrays.copyOfRange(raw, id, id + 20)));
            }
        }
        return new Handshakes(hashes, ids);
    }

    /** The client part of a peer id as analyze.py names it: {@code -TR3000-}, {@code A2-1-36-0-}, else its first 8 bytes. */
    static String peerIdPrefix(byte[] id) {
        String s = new String(id, StandardCharsets.ISO_8859_1);
        String prefix = s.matches("(?s)-[A-Za-z]{2}\\w{4}-.*") ? s.substring(0, 8) : s.startsWith("A2-") ? s.substring(0, 10) : s.substring(0, 8);
        StringBuilder printable = new StringBuilder();
        for (char c : prefix.toCharArray()) {
            printable.append(c > ' ' && c < 127 && c != ',' ? c : '?'); // a random id must not break the row
        }
        return printable.toString();
    }

    /**
     * The shared manifest's measure of whether the payload is readable on the wire: of 32 slices of
     * 48 bytes spread over the content, how many occur in the capture ("32/32" in clear, "0/32" encrypted).
     */
    static String contentVisible(byte[] content, byte[] raw) {
        int step = Math.max(1, content.length / 32), hits = 0;
        for (int i = 0; i < 32; i++) {
            int from = Math.min(i * step, Math.max(0, content.length - 48));
            if (indexOf(raw, Arrays.copyOfRange(content, from, Math.min(content.length, from + 48)), 0) >= 0) {
                hits++;
            }
        }
        return hits + "/32";
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
