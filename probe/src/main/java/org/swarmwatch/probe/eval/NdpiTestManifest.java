package org.swarmwatch.probe.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ../shared/pcaps/MANIFEST.tsv and the infohashes.tsv beside it: nDPI's test captures, with the P2P
 * flows nDPI expects per capture and protocol, and the hashes visible in the clear.
 *
 * <p><b>Flows</b> are counts, not lists ({@link FlowTruth.Counts}). The column
 * {@code expected_p2p_flows_by_proto(confidence)} reads like {@code BitTorrent:5 (DPI 3, DPI (cache) 2)};
 * its counts must add up to {@code expected_p2p_flows_total}, and that must not exceed
 * {@code expected_total_flows}. Two readings keep a label that is not evidence out of the truth:
 * <ul>
 *   <li>flows nDPI labels only by port or address ({@code Match by port}, {@code Match by IP}) are
 *       not expected: a port is not a protocol (synscan.pcap's two "BITCOIN" flows are SYNs to port
 *       8333);</li>
 *   <li>a capture whose {@code hard_case_notes} say it holds no P2P bytes expects no P2P flow:
 *       bt-dns.pcap (a DNS query for a client's web site) and tls_torrent.pcapng (TLS to it), which
 *       the README of ../shared/pcaps calls "not BitTorrent traffic although nDPI labels it so".</li>
 * </ul>
 *
 * <p><b>Hashes</b>: each infohashes.tsv row is a visible content hash of its file, except rows
 * whose note says {@code likely_not_content} (DHT lookups of the sender's own neighbourhood):
 * reporting those is a false hash. {@code hash_kind} {@code bt_v1_sha1_or_v2_truncated} says the
 * version is unknown, so kinds are not scored here. Where the manifest has
 * {@code infohash_visible_tshark} ("yes: N content infohash(es) ..."), N must equal the file's rows.
 */
final class NdpiTestManifest {
    static final String FORMAT = "ndpi-pcaps";
    static final String BY_PROTOCOL = "expected_p2p_flows_by_proto(confidence)";
    private static final Pattern ENTRY = Pattern.compile("\\s*([A-Za-z0-9_.-]+):(\\d+)\\s*\\(((?:[^()]|\\([^()]*\\))*)\\)\\s*[,;]?");
    private static final Pattern CONFIDENCE = Pattern.compile("(.+?)\\s+(\\d+)");
    private static final Pattern NO_P2P_BYTES = Pattern.compile("no P2P (protocol )?bytes", Pattern.CASE_INSENSITIVE);
    private static final Pattern CONTENT_HASHES = Pattern.compile("(\\d+) content infohash");
    private static final Map<String, String> KINDS = Map.of("bt_v1_sha1_or_v2_truncated", "", "btih_v1", "btih_v1",
            "btih_v2", "btih_v2", "btih_v2_truncated", "btih_v2_truncated");

    private NdpiTestManifest() {
    }

    static boolean recognises(TsvFile tsv) {
        return tsv.has(BY_PROTOCOL);
    }

    private record Row(String file, Map<String, Integer> expected, int totalFlows, String note, TsvFile.Row row) {
    }

    static GroundTruth read(TsvFile tsv) throws IOException {
        tsv.require(FORMAT, "file", BY_PROTOCOL, "expected_p2p_flows_total", "expected_total_flows");
        Path hashesFile = tsv.path.resolveSibling("infohashes.tsv");
        if (!Files.isRegularFile(hashesFile)) {
            throw new ManifestException(tsv.path, 1, null, "no infohashes.tsv beside it (" + hashesFile + "): this format keeps its hashes there");
        }
        Set<String> protocols = new TreeSet<>();
        Map<String, Row> rows = new LinkedHashMap<>();
        Set<String> files = new HashSet<>();
        for (TsvFile.Row row : tsv.rows) {
            String file = GroundTruth.file(tsv, row, files);
            Map<String, Integer> expected = new LinkedHashMap<>();
            List<String> notes = new ArrayList<>();
            int sum = 0;
            boolean noP2pBytes = tsv.has("hard_case_notes") && NO_P2P_BYTES.matcher(tsv.get(row, "hard_case_notes")).find();
            for (Entry e : entries(tsv, row)) {
                String protocol = P2pProtocols.canonical(e.protocol);
                protocols.add(protocol);
                sum += e.count;
                int byContent = noP2pBytes ? 0 : e.byContent;
                expected.merge(protocol, byContent, Integer::sum);
                if (noP2pBytes) {
                    notes.add(e.protocol + ":" + e.count + " not expected: the notes say the capture holds no P2P bytes");
                } else if (e.byContent < e.count) {
                    notes.add(e.protocol + ": " + (e.count - e.byContent) + " of " + e.count + " not expected: nDPI matched them by port or address only");
                }
            }
            int total = GroundTruth.count(tsv, row, "expected_p2p_flows_total");
            if (total != sum) {
                throw tsv.error(row, "expected_p2p_flows_total", "says " + total + ", but " + BY_PROTOCOL + " adds up to " + sum);
            }
            int totalFlows = GroundTruth.count(tsv, row, "expected_total_flows");
            if (totalFlows < total) {
                throw tsv.error(row, "expected_total_flows", "says " + totalFlows + ", fewer than the " + total + " P2P flows");
            }
            rows.put(file, new Row(file, expected, totalFlows, String.join("; ", notes), row));
        }
        Map<String, HashTruth> hashes = hashes(TsvFile.read(hashesFile), rows.keySet());
        List<CaptureTruth> captures = new ArrayList<>();
        for (Row r : rows.values()) {
            HashTruth h = hashes.getOrDefault(r.file, HashTruth.NONE);
            if (tsv.has("infohash_visible_tshark")) {
                Matcher m = CONTENT_HASHES.matcher(tsv.get(r.row, "infohash_visible_tshark"));
                int said = m.find() ? Integer.parseInt(m.group(1)) : 0;
                if (said != h.visible().size()) {
                    throw tsv.error(r.row, "infohash_visible_tshark", "says " + said + " content infohash(es), infohashes.tsv lists "
                            + h.visible().size() + " for " + r.file);
                }
            }
            captures.add(new CaptureTruth(r.file, new FlowTruth.Counts(Map.copyOf(r.expected), r.totalFlows), h, r.note));
        }
        return new GroundTruth(tsv.path, FORMAT, "nDPI's test captures: P2P flow counts per capture and protocol "
                + "(count-based: min(labelled, expected) right per capture)", Set.copyOf(protocols), List.copyOf(captures));
    }

    private record Entry(String protocol, int count, int byContent) {
    }

    /** The protocol column: {@code none}, or entries such as {@code ETHEREUM:74 (DPI 71, Match by port 3)}. */
    private static List<Entry> entries(TsvFile tsv, TsvFile.Row row) throws ManifestException {
        String cell = tsv.get(row, BY_PROTOCOL).trim();
        List<Entry> entries = new ArrayList<>();
        if (cell.isEmpty() || cell.equals("none")) {
            return entries;
        }
        Matcher m = ENTRY.matcher(cell);
        int at = 0;
        while (at < cell.length()) {
            m.region(at, cell.length());
            if (!m.lookingAt()) {
                throw tsv.error(row, BY_PROTOCOL, "cannot read '" + cell.substring(at) + "' (expected PROTOCOL:COUNT (CONFIDENCE COUNT, ...))");
            }
            int count = Integer.parseInt(m.group(2)), confidenceSum = 0, byContent = 0;
            for (String part : m.group(3).split(",")) {
                Matcher c = CONFIDENCE.matcher(part.trim());
                if (!c.matches()) {
                    throw tsv.error(row, BY_PROTOCOL, "cannot read the confidence '" + part.trim() + "' of " + m.group(1));
                }
                int n = Integer.parseInt(c.group(2));
                confidenceSum += n;
                if (c.group(1).startsWith("DPI")) {
                    byContent += n; // DPI, DPI (cache), DPI (partial), ...: nDPI read the payload (or cached a flow it had read)
                } else if (!c.group(1).startsWith("Match by")) {
                    throw tsv.error(row, BY_PROTOCOL, "unknown confidence '" + c.group(1) + "' (known: DPI..., Match by port, Match by IP)");
                }
            }
            if (confidenceSum != count) {
                throw tsv.error(row, BY_PROTOCOL, m.group(1) + ":" + count + " but its confidences add up to " + confidenceSum);
            }
            entries.add(new Entry(m.group(1), count, byContent));
            at = m.end();
        }
        return entries;
    }

    private static Map<String, HashTruth> hashes(TsvFile tsv, Set<String> files) throws ManifestException {
        tsv.require("infohashes.tsv", "file", "hash_hex", "note");
        Map<String, Set<String>> visible = new HashMap<>();
        Map<String, Map<String, String>> kinds = new HashMap<>();
        for (TsvFile.Row row : tsv.rows) {
            String file = tsv.get(row, "file");
            if (!files.contains(file)) {
                throw tsv.error(row, "file", file + " is not in MANIFEST.tsv");
            }
            String hash = GroundTruth.hash(tsv, row, "hash_hex", tsv.get(row, "hash_hex"), 40, 64);
            String kind = "";
            if (tsv.has("hash_kind")) {
                kind = KINDS.get(tsv.get(row, "hash_kind"));
                if (kind == null) {
                    throw tsv.error(row, "hash_kind", "unknown kind '" + tsv.get(row, "hash_kind") + "' (known: " + new TreeSet<>(KINDS.keySet()) + ")");
                }
            }
            visible.computeIfAbsent(file, f -> new HashSet<>());
            kinds.computeIfAbsent(file, f -> new HashMap<>());
            if (tsv.get(row, "note").contains("likely_not_content")) {
                continue; // a DHT routing lookup: not content, so reporting it is a false hash
            }
            visible.get(file).add(hash);
            if (!kind.isEmpty()) {
                kinds.get(file).put(hash, kind);
            }
        }
        Map<String, HashTruth> truths = new HashMap<>();
        for (String file : visible.keySet()) {
            Set<String> v = Set.copyOf(visible.get(file));
            truths.put(file, new HashTruth(v, v, Map.copyOf(kinds.get(file))));
        }
        return truths;
    }
}
