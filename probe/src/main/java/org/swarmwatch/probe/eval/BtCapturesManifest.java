package org.swarmwatch.probe.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ../shared/bt-captures/pcaps/MANIFEST.tsv: one row per capture of real clients in an isolated lab.
 *
 * <p><b>Flows.</b> Every role of a scenario (tracker, seeder, leecher, DHT nodes) runs in its own
 * network namespace on 10.77.0.0/24 ({@code scripts/common.sh}), nothing else runs there, and the
 * manifest's {@code non_loopback_or_foreign_addrs} is {@code none} for every capture. So every TCP
 * and UDP flow between two lab addresses is BitTorrent family: peer wire (TCP or uTP), the HTTP or
 * UDP tracker, the DHT. (tshark's conversation lists agree: peer ports 6881/6882, tracker 6969,
 * DHT 6881.) That includes connection attempts that carried no payload, such as a SYN left
 * unanswered: no tool can label those from their content, and they count as misses. Flows with
 * an address outside the lab are expected to be none of it.
 *
 * <p><b>Hashes.</b> Visible: those in the {@code seen_in_*} columns (handshake, tracker, DHT
 * announce; comma-separated, {@code -} for none). Content: also {@code infohash_v1},
 * {@code infohash_v2_sha256} and its first 20 bytes (a tool may derive the full v2 hash from
 * exchanged metadata). Kinds: {@code btih_v1} for infohash_v1, {@code btih_v2} for the full
 * SHA-256, {@code btih_v2_truncated} for its first 20 bytes.
 */
final class BtCapturesManifest {
    static final String FORMAT = "bt-captures";
    static final String PROTOCOL = "bittorrent";
    /** The lab network of ../shared/bt-captures/scripts/common.sh ({@code SUBNET}), and loopback for scenarios run on lo. */
    static final List<Subnet> LAB = List.of(Subnet.parse("10.77.0.0/24"), Subnet.parse("127.0.0.0/8"), Subnet.parse("::1/128"));

    private BtCapturesManifest() {
    }

    static boolean recognises(TsvFile tsv) {
        return tsv.has("seen_in_handshake");
    }

    static GroundTruth read(TsvFile tsv) throws ManifestException {
        tsv.require(FORMAT, "file", "infohash_v1", "infohash_v2_sha256", "seen_in_handshake");
        List<String> seenColumns = tsv.header.stream().filter(c -> c.startsWith("seen_in_")).toList();
        List<CaptureTruth> captures = new ArrayList<>();
        Set<String> files = new HashSet<>();
        FlowTruth flows = new FlowTruth.LabFlows(LAB, PROTOCOL);
        for (TsvFile.Row row : tsv.rows) {
            String file = GroundTruth.file(tsv, row, files);
            Map<String, String> kinds = new HashMap<>();
            String v1 = tsv.get(row, "infohash_v1"), v2 = tsv.get(row, "infohash_v2_sha256");
            if (!absent(v1)) {
                kinds.put(GroundTruth.hash(tsv, row, "infohash_v1", v1, 40), "btih_v1");
            }
            if (!absent(v2)) {
                String full = GroundTruth.hash(tsv, row, "infohash_v2_sha256", v2, 64);
                kinds.put(full, "btih_v2");
                kinds.put(full.substring(0, 40), "btih_v2_truncated");
            }
            if (kinds.isEmpty()) {
                throw tsv.error(row, "infohash_v1", "neither infohash_v1 nor infohash_v2_sha256 is given");
            }
            Set<String> visible = new LinkedHashSet<>();
            for (String column : seenColumns) {
                String cell = tsv.get(row, column);
                if (absent(cell)) {
                    continue;
                }
                for (String h : cell.split(",")) {
                    String hash = GroundTruth.hash(tsv, row, column, h.trim(), 40, 64);
                    if (!kinds.containsKey(hash)) {
                        throw tsv.error(row, column, hash + " is not this row's infohash_v1, infohash_v2_sha256 or its first 20 bytes");
                    }
                    visible.add(hash);
                }
            }
            captures.add(new CaptureTruth(file, flows, new HashTruth(Set.copyOf(visible), Set.copyOf(kinds.keySet()), Map.copyOf(kinds)), ""));
        }
        return new GroundTruth(tsv.path, FORMAT, "lab captures: every TCP/UDP flow between lab addresses (10.77.0.0/24) is BitTorrent",
                Set.of(PROTOCOL), List.copyOf(captures));
    }

    private static boolean absent(String cell) {
        return cell.isBlank() || cell.equals("-");
    }
}
