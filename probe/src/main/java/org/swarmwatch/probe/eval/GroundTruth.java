package org.swarmwatch.probe.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each capture of a folder is known to contain, from a manifest in one of the two formats of
 * ../shared (detected by the header):
 *
 * <ul>
 *   <li><b>bt-captures</b> ({@code MANIFEST.tsv} with {@code seen_in_handshake}): lab captures where
 *       every flow among the lab hosts is BitTorrent family (peers, tracker, DHT), so every flow a
 *       tool counts is expected to be BitTorrent. Visible hashes: the {@code seen_in_*} columns;
 *       the right kinds from {@code infohash_v1} and {@code infohash_v2_sha256}.</li>
 *   <li><b>pcaps</b> ({@code MANIFEST.tsv} with {@code expected_p2p_flows_by_proto(confidence)},
 *       and {@code infohashes.tsv} beside it): expected BitTorrent flows per file from the
 *       BitTorrent count, except files whose notes say they hold no BitTorrent protocol bytes
 *       (a DNS lookup or a TLS connection to a client's web site, which nDPI labels by host name).
 *       Visible hashes: infohashes.tsv rows, except DHT lookups noted as likely not content.</li>
 * </ul>
 * Any hash a tool reports that is not a hash of the capture's content counts as false.
 *
 * @param expectedBitTorrentFlows per file; {@link #ALL_FLOWS} where every flow is expected
 */
record GroundTruth(Map<String, Integer> expectedBitTorrentFlows, Map<String, Set<String>> visibleHashes,
                   Map<String, Map<String, String>> rightKinds) {
    static final int ALL_FLOWS = -1;

    static GroundTruth read(Path manifest) throws IOException {
        List<String> lines = Files.readAllLines(manifest);
        if (lines.isEmpty()) {
            throw new IOException(manifest + ": empty manifest");
        }
        List<String> header = List.of(lines.get(0).split("\t", -1));
        if (header.contains("seen_in_handshake")) {
            return btCaptures(manifest, lines, header);
        }
        if (header.contains("expected_p2p_flows_by_proto(confidence)")) {
            return pcaps(manifest, lines, header);
        }
        throw new IOException(manifest + ": line 1: not a known manifest (no seen_in_handshake or expected_p2p_flows_by_proto column)");
    }

    private static String[] row(Path manifest, List<String> lines, int i, int columns) throws IOException {
        String[] c = lines.get(i).split("\t", -1);
        if (c.length != columns) {
            throw new IOException(manifest + ": line " + (i + 1) + ": " + c.length + " columns, the header has " + columns);
        }
        return c;
    }

    private static GroundTruth btCaptures(Path manifest, List<String> lines, List<String> h) throws IOException {
        Map<String, Integer> flows = new LinkedHashMap<>();
        Map<String, Set<String>> visible = new HashMap<>();
        Map<String, Map<String, String>> kinds = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] c = row(manifest, lines, i, h.size());
            String file = c[h.indexOf("file")];
            flows.put(file, ALL_FLOWS);
            Set<String> hashes = new HashSet<>();
            for (String column : List.of("seen_in_handshake", "seen_in_tracker", "seen_in_dht_announce_peer")) {
                for (String x : c[h.indexOf(column)].split(",")) {
                    if (!x.equals("-") && !x.isEmpty()) {
                        hashes.add(hex(manifest, i, x));
                    }
                }
            }
            visible.put(file, hashes);
            Map<String, String> k = new HashMap<>();
            String v1 = c[h.indexOf("infohash_v1")], v2 = c[h.indexOf("infohash_v2_sha256")];
            if (!v1.equals("-")) {
                k.put(hex(manifest, i, v1), "btih_v1");
            }
            if (!v2.equals("-")) {
                k.put(hex(manifest, i, v2), "btih_v2");
                k.put(v2.substring(0, 40), "btih_v2_truncated");
            }
            kinds.put(file, k);
        }
        return new GroundTruth(flows, visible, kinds);
    }

    /** Files whose BitTorrent label (by nDPI) is a host-name match, with no BitTorrent protocol bytes. */
    static final Set<String> NOT_BITTORRENT_BYTES = Set.of("bt-dns.pcap", "tls_torrent.pcapng");

    private static GroundTruth pcaps(Path manifest, List<String> lines, List<String> h) throws IOException {
        Map<String, Integer> flows = new LinkedHashMap<>();
        Map<String, Set<String>> visible = new HashMap<>();
        Map<String, Map<String, String>> kinds = new HashMap<>();
        int column = h.indexOf("expected_p2p_flows_by_proto(confidence)");
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] c = row(manifest, lines, i, h.size());
            String file = c[h.indexOf("file")];
            int expected = 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("BitTorrent:(\\d+)").matcher(c[column]);
            if (m.find() && !NOT_BITTORRENT_BYTES.contains(Path.of(file).getFileName().toString())) {
                expected = Integer.parseInt(m.group(1));
            }
            flows.put(file, expected);
            visible.put(file, new HashSet<>());
            kinds.put(file, new HashMap<>());
        }
        Path hashes = manifest.resolveSibling("infohashes.tsv");
        if (Files.exists(hashes)) {
            List<String> hl = Files.readAllLines(hashes);
            List<String> hh = List.of(hl.get(0).split("\t", -1));
            for (int i = 1; i < hl.size(); i++) {
                if (hl.get(i).isBlank()) {
                    continue;
                }
                String[] c = row(hashes, hl, i, hh.size());
                String file = c[hh.indexOf("file")];
                if (c[hh.indexOf("note")].contains("likely_not_content")) {
                    continue; // a routing lookup: reporting it is a false hash
                }
                visible.computeIfAbsent(file, f -> new HashSet<>()).add(hex(hashes, i, c[hh.indexOf("hash_hex")]));
            }
        }
        return new GroundTruth(flows, visible, kinds);
    }

    private static String hex(Path file, int line, String s) throws IOException {
        if (!s.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
            throw new IOException(file + ": line " + (line + 1) + ": '" + s + "' is not a 40 or 64 digit lowercase hex hash");
        }
        return s;
    }
}
