package org.swarmwatch.probe.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both manifest formats, their readings, and errors that name file, line and column. */
class GroundTruthTest {
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();
    static final String V1 = "a".repeat(40), V2 = "b".repeat(64), TRUNCATED = "b".repeat(40), NEAR = "c".repeat(40);

    static final String BT_HEADER = "file\tinfohash_v1\tinfohash_v2_sha256\tseen_in_handshake\tseen_in_tracker\tseen_in_dht_announce_peer\n";
    static final String PCAPS_HEADER = "file\texpected_p2p_flows_by_proto(confidence)\texpected_p2p_flows_total\texpected_total_flows\t"
            + "infohash_visible_tshark\thard_case_notes\n";
    static final String HASHES_HEADER = "file\thash_hex\thash_kind\tsource\tnote\n";

    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    String errorOf(Path manifest) {
        return assertThrows(ManifestException.class, () -> GroundTruth.read(manifest)).getMessage();
    }

    @Test
    void btCapturesFormat() throws IOException {
        Path m = write("MANIFEST.tsv", BT_HEADER
                + "v1.pcap\t" + V1 + "\t-\t" + V1 + "\t" + V1 + "\t-\n"
                + "hybrid.pcap\t" + V1 + "\t" + V2 + "\t" + TRUNCATED + "\t" + TRUNCATED + "," + V1 + "\t-\n"
                + "mse.pcap\t" + V1 + "\t-\t-\t" + V1 + "\t-\n");

        GroundTruth truth = GroundTruth.read(m);

        assertEquals("bt-captures", truth.format());
        assertEquals(Set.of("bittorrent"), truth.protocols());
        assertEquals(List.of("v1.pcap", "hybrid.pcap", "mse.pcap"), truth.captures().stream().map(CaptureTruth::name).toList());
        HashTruth hybrid = truth.captures().get(1).hashes();
        assertEquals(Set.of(TRUNCATED, V1), hybrid.visible());
        assertEquals(Set.of(V1, V2, TRUNCATED), hybrid.content(), "the full v2 hash is content, though not listed as seen");
        assertEquals(Map.of(V1, "btih_v1", V2, "btih_v2", TRUNCATED, "btih_v2_truncated"), hybrid.kinds());
        FlowTruth.LabFlows lab = (FlowTruth.LabFlows) truth.captures().get(0).flows();
        assertTrue(lab.expected(FlowKey.of("udp", "10.77.0.21", 6881, "10.77.0.22", 6881)));
        assertTrue(!lab.expected(FlowKey.of("tcp", "10.77.0.11", 6881, "10.77.1.1", 80)));
    }

    @Test
    void ndpiPcapsFormatWithItsInfohashes() throws IOException {
        Path m = write("MANIFEST.tsv", PCAPS_HEADER
                + "p2p/bt.pcap\tBitTorrent:5 (DPI 3, DPI (cache) 2)\t5\t12\tyes: 1 content infohash(es) + 1 DHT lookup\t\n"
                + "p2p/eth.pcap\tETHEREUM:74 (DPI 71, Match by port 3)\t74\t74\t\t\n"
                + "p2p/dns.pcap\tBitTorrent:1 (DPI 1)\t1\t1\tno\tonly a DNS query (hostname match); no P2P protocol bytes\n"
                + "nonp2p/web.pcap\tnone\t0\t3\t\t\n");
        write("infohashes.tsv", HASHES_HEADER
                + "p2p/bt.pcap\t" + V1 + "\tbt_v1_sha1_or_v2_truncated\tbt_handshake_tcp\t\n"
                + "p2p/bt.pcap\t" + NEAR + "\tbt_v1_sha1_or_v2_truncated\tdht_get_peers\tdht_lookup_near_own_node_id(likely_not_content)\n");

        GroundTruth truth = GroundTruth.read(m);

        assertEquals("ndpi-pcaps", truth.format());
        assertEquals(Set.of("bittorrent", "ethereum"), truth.protocols());
        List<CaptureTruth> c = truth.captures();
        assertEquals(new FlowTruth.Counts(Map.of("bittorrent", 5), 12), c.get(0).flows(), "DPI and DPI (cache) both count");
        assertEquals(Set.of(V1), c.get(0).hashes().visible(), "a routing lookup is not content");
        assertEquals(Set.of(V1), c.get(0).hashes().content());
        assertEquals(Map.of(), c.get(0).hashes().kinds(), "v1 or truncated v2: the version is unknown");
        assertEquals(new FlowTruth.Counts(Map.of("ethereum", 71), 74), c.get(1).flows(), "a port match is not a detection");
        assertTrue(c.get(1).note().contains("3 of 74"), c.get(1).note());
        assertEquals(new FlowTruth.Counts(Map.of("bittorrent", 0), 1), c.get(2).flows(), "no P2P bytes: nothing expected");
        assertEquals(new FlowTruth.Counts(Map.of(), 3), c.get(3).flows());
        assertEquals(HashTruth.NONE, c.get(3).hashes());
    }

    @Test
    void theSharedManifestsRead() throws IOException {
        GroundTruth lab = GroundTruth.read(SHARED.resolve("bt-captures/pcaps/MANIFEST.tsv"));
        assertEquals(14, lab.captures().size());
        assertEquals(15, lab.captures().stream().mapToInt(c -> c.hashes().visible().size()).sum(), "f2 (hybrid) shows two hashes");

        GroundTruth ndpi = GroundTruth.read(SHARED.resolve("pcaps/MANIFEST.tsv"));
        assertEquals(29, ndpi.captures().size());
        Map<String, CaptureTruth> byName = new java.util.HashMap<>();
        ndpi.captures().forEach(c -> byName.put(c.name(), c));
        assertEquals(new FlowTruth.Counts(Map.of("bittorrent", 0), 1), byName.get("p2p/tls_torrent.pcapng").flows());
        assertEquals(new FlowTruth.Counts(Map.of("bitcoin", 0), 1994), byName.get("p2p/synscan.pcap").flows());
        assertEquals(Set.of(), byName.get("p2p/lru_ipv6_caches.pcapng").hashes().visible(), "5 routing lookups, no content");
        assertEquals(5, ndpi.captures().stream().mapToInt(c -> c.hashes().visible().size()).sum());
    }

    @Test
    void anUnknownHeaderIsNamed() throws IOException {
        assertTrue(errorOf(write("a.tsv", "name\tsize\nx\t1\n")).matches(".*a\\.tsv: line 1: not a known manifest.*"));
        assertTrue(errorOf(write("b.tsv", "")).contains("b.tsv: line 1: no header line"));
    }

    @Test
    void btCapturesErrorsNameLineAndColumn() throws IOException {
        assertTrue(errorOf(write("m1.tsv", BT_HEADER + "x.pcap\t" + V1 + "\t-\tXYZ\t-\t-\n"))
                .endsWith("m1.tsv: line 2, column seen_in_handshake: 'XYZ' is not a hash of 40 or 64 hex digits"));
        assertTrue(errorOf(write("m2.tsv", BT_HEADER + "x.pcap\t" + V1 + "\t-\t-\t-\n"))
                .endsWith("m2.tsv: line 2: 5 tab-separated cells, the header has 6"));
        assertTrue(errorOf(write("m3.tsv", BT_HEADER + "\nx.pcap\t" + V1 + "\t-\t-\t" + NEAR + "\t-\n"))
                .endsWith("line 3, column seen_in_tracker: " + NEAR + " is not this row's infohash_v1, infohash_v2_sha256 or its first 20 bytes"));
        assertTrue(errorOf(write("m4.tsv", "file\tseen_in_handshake\nx.pcap\t-\n")).endsWith("m4.tsv: line 1, column infohash_v1: "
                + "missing (a bt-captures manifest has it)"));
        assertTrue(errorOf(write("m5.tsv", BT_HEADER + "x.pcap\t-\t-\t-\t-\t-\n"))
                .endsWith("line 2, column infohash_v1: neither infohash_v1 nor infohash_v2_sha256 is given"));
        assertTrue(errorOf(write("m6.tsv", BT_HEADER + "x.pcap\t" + V1 + "\t-\t-\t-\t-\nx.pcap\t" + V1 + "\t-\t-\t-\t-\n"))
                .endsWith("line 3, column file: x.pcap is listed twice"));
    }

    @Test
    void ndpiPcapsErrorsNameLineAndColumn() throws IOException {
        String hashes = HASHES_HEADER + "p2p/bt.pcap\t" + V1 + "\tbt_v1_sha1_or_v2_truncated\tlsd\t\n";
        Path m = dir.resolve("MANIFEST.tsv");
        Path h = dir.resolve("infohashes.tsv");

        write("MANIFEST.tsv", PCAPS_HEADER + "p2p/bt.pcap\tBitTorrent:1 (DPI 1)\t1\t1\tyes: 1 content infohash(es)\t\n");
        assertTrue(errorOf(m).contains("no infohashes.tsv beside it"));

        write("infohashes.tsv", hashes);
        write("MANIFEST.tsv", PCAPS_HEADER + "p2p/bt.pcap\tBitTorrent:2 (DPI 1)\t2\t2\tyes: 1 content infohash(es)\t\n");
        assertTrue(errorOf(m).endsWith("line 2, column expected_p2p_flows_by_proto(confidence): BitTorrent:2 but its confidences add up to 1"));

        write("MANIFEST.tsv", PCAPS_HEADER + "p2p/bt.pcap\tBitTorrent:1 (DPI 1)\t3\t3\tyes: 1 content infohash(es)\t\n");
        assertTrue(errorOf(m).endsWith("line 2, column expected_p2p_flows_total: says 3, but expected_p2p_flows_by_proto(confidence) adds up to 1"));

        write("MANIFEST.tsv", PCAPS_HEADER + "p2p/bt.pcap\tBitTorrent=1\t1\t1\tyes: 1 content infohash(es)\t\n");
        assertTrue(errorOf(m).contains("line 2, column expected_p2p_flows_by_proto(confidence): cannot read 'BitTorrent=1'"));

        write("MANIFEST.tsv", PCAPS_HEADER + "p2p/bt.pcap\tBitTorrent:1 (DPI 1)\t1\tmany\tyes: 1 content infohash(es)\t\n");
        assertTrue(errorOf(m).endsWith("line 2, column expected_total_flows: 'many' is not a count (a whole number, 0 or more)"));

        write("MANIFEST.tsv", PCAPS_HEADER + "p2p/bt.pcap\tBitTorrent:1 (DPI 1)\t1\t1\tyes: 2 content infohash(es)\t\n");
        assertTrue(errorOf(m).endsWith("line 2, column infohash_visible_tshark: says 2 content infohash(es), infohashes.tsv lists 1 for p2p/bt.pcap"));

        write("MANIFEST.tsv", PCAPS_HEADER + "p2p/bt.pcap\tBitTorrent:1 (DPI 1)\t1\t1\tyes: 1 content infohash(es)\t\n");
        write("infohashes.tsv", hashes + "p2p/gone.pcap\t" + V1 + "\tbt_v1_sha1_or_v2_truncated\tlsd\t\n");
        assertEquals(h + ": line 3, column file: p2p/gone.pcap is not in MANIFEST.tsv", errorOf(m));

        write("infohashes.tsv", HASHES_HEADER + "p2p/bt.pcap\t" + V1 + "\tsha3\tlsd\t\n");
        assertTrue(errorOf(m).startsWith(h + ": line 2, column hash_kind: unknown kind 'sha3'"));
    }
}
