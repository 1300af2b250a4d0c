package org.swarmwatch.probe.dissect.bittorrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.swarmwatch.events.AddressMode;
import org.swarmwatch.events.FlowRecord;
import org.swarmwatch.events.HashKind;
import org.swarmwatch.events.ObservationRecord;
import org.swarmwatch.events.ObservationRole;
import org.swarmwatch.events.ProbeRecord;
import org.swarmwatch.probe.decode.DecoderLimits;
import org.swarmwatch.probe.dissect.DissectorRegistry;
import org.swarmwatch.probe.export.AddressPolicy;
import org.swarmwatch.probe.export.CollectingSink;
import org.swarmwatch.probe.flow.FlowTableConfig;
import org.swarmwatch.probe.pipeline.CaptureRunner;
import org.swarmwatch.probe.pipeline.ProbePipeline;
import org.swarmwatch.probe.pipeline.ProbeSettings;
import org.swarmwatch.probe.pipeline.ReplaySpeed;
import org.swarmwatch.probe.privacy.PseudonymKey;
import org.swarmwatch.probe.privacy.Pseudonymiser;
import org.swarmwatch.probe.privacy.SubscriberNetworks;
import org.swarmwatch.probe.source.PcapFileSource;

/**
 * The BitTorrent dissectors on real captures: the ground truth of ../shared/bt-captures
 * (MANIFEST.tsv: the hash each plaintext handshake and each tracker request carries, who seeded),
 * nDPI's BitTorrent captures, and no false positive on ordinary traffic.
 */
class BitTorrentCapturesTest {
    static final Path SHARED = Path.of(System.getProperty("swarmwatch.root", "..")).resolve("../shared").normalize();

    static List<ProbeRecord> replay(Path capture) throws Exception {
        CollectingSink sink = new CollectingSink();
        ProbeSettings settings = new ProbeSettings("test", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()), AddressMode.RAW),
                Duration.ofSeconds(60));
        ProbePipeline pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
        try (PcapFileSource source = new PcapFileSource(capture)) {
            new CaptureRunner(source, pipeline, ReplaySpeed.MAX).run(null);
        }
        return sink.records();
    }

    /**
     * Replays an Ethernet capture without the frames {@code drop} picks (by 1-based frame number
     * and TCP ports, -1 for non-TCP frames), as if the capture had missed them.
     */
    static List<ProbeRecord> replayWithout(Path capture, FrameFilter drop) throws Exception {
        CollectingSink sink = new CollectingSink();
        ProbeSettings settings = new ProbeSettings("test", FlowTableConfig.defaults(), DecoderLimits.defaults(),
                new AddressPolicy(SubscriberNetworks.everything(), new Pseudonymiser(PseudonymKey.ephemeral()), AddressMode.RAW),
                Duration.ofSeconds(60));
        ProbePipeline pipeline = new ProbePipeline(settings, sink, DissectorRegistry.standard());
        try (PcapFileSource source = new PcapFileSource(capture)) {
            pipeline.beginCapture(capture.toString(), source.linkType());
            long[] number = {0};
            source.run((frame, captured, wire, micros) -> {
                number[0]++;
                boolean tcp = captured > 34 && frame[12] == 8 && frame[13] == 0 && frame[23] == 6;
                int l4 = 14 + 4 * (frame[14] & 0x0f);
                int sport = tcp ? (frame[l4] & 0xff) << 8 | (frame[l4 + 1] & 0xff) : -1;
                int dport = tcp ? (frame[l4 + 2] & 0xff) << 8 | (frame[l4 + 3] & 0xff) : -1;
                if (!drop.drop(number[0], sport, dport)) {
                    pipeline.onFrame(frame, captured, wire, micros, null);
                }
            });
            pipeline.endCapture(null);
        }
        return sink.records();
    }

    interface FrameFilter {
        boolean drop(long frameNumber, int sourcePort, int destinationPort);
    }

    static List<ObservationRecord> observations(List<ProbeRecord> records) {
        return records.stream().filter(r -> r instanceof ObservationRecord).map(r -> (ObservationRecord) r).toList();
    }

    /** MANIFEST.tsv rows: file, transport, tracker kind, hashes seen in handshakes and tracker requests ("-" if none), seeder. */
    record Truth(String file, String transport, String tracker, String handshakeHash, Set<String> trackerHashes, String seeder,
                 String v1, String v2, String encryption, String dhtHash) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Truth> manifest() throws IOException {
        List<String> lines = Files.readAllLines(SHARED.resolve("bt-captures/pcaps/MANIFEST.tsv"));
        List<String> h = List.of(lines.get(0).split("\t"));
        return lines.stream().skip(1).map(l -> l.split("\t")).map(c -> new Truth(c[h.indexOf("file")], c[h.indexOf("transport")],
                c[h.indexOf("tracker")], c[h.indexOf("seen_in_handshake")],
                c[h.indexOf("seen_in_tracker")].equals("-") ? Set.of() : Set.of(c[h.indexOf("seen_in_tracker")].split(",")),
                c[h.indexOf("clients")].replaceFirst("^seeder=(\\S+).*", "$1"), c[h.indexOf("infohash_v1")],
                c[h.indexOf("infohash_v2_sha256")], c[h.indexOf("encryption")], c[h.indexOf("seen_in_dht_announce_peer")]));
    }

    static Stream<Truth> peerWireCaptures() throws IOException {
        return manifest().filter(t -> t.transport().equals("tcp") || t.transport().equals("utp"));
    }

    static Stream<Truth> trackerCaptures() throws IOException {
        return manifest().filter(t -> !t.tracker().equals("-"));
    }

    static List<ObservationRecord> seenIn(List<ObservationRecord> obs, String where) {
        return obs.stream().filter(o -> o.seenIn().equals(where)).toList();
    }

    @ParameterizedTest
    @MethodSource("peerWireCaptures")
    void theHandshakeHashOfEachTcpAndUtpCaptureIsFoundAndTheSeederOffers(Truth truth) throws Exception {
        List<ObservationRecord> obs = seenIn(observations(replay(SHARED.resolve("bt-captures/pcaps").resolve(truth.file()))), "handshake");
        Set<String> hashes = obs.stream().map(o -> o.hash().hex()).collect(Collectors.toSet());
        if (truth.handshakeHash().equals("-")) {
            assertEquals(Set.of(), hashes, "MSE-encrypted handshakes are not read (yet)");
            return;
        }
        assertEquals(Set.of(truth.handshakeHash()), hashes);
        assertTrue(obs.stream().allMatch(o -> o.confidence() >= 0.8));
        // the seeder uploads: its handshake is reported as offering, with its client named
        String seederClient = switch (truth.seeder()) {
            case "transmission-cli" -> "Transmission";
            case "aria2" -> "aria2";
            default -> "libtorrent";
        };
        assertTrue(obs.stream().anyMatch(o -> o.role() == ObservationRole.OFFERING && o.client() != null
                && o.client().startsWith(seederClient)), obs.toString());
        // and the leecher is never reported as offering
        assertTrue(obs.stream().filter(o -> o.role() == ObservationRole.OFFERING)
                .allMatch(o -> o.client() != null && o.client().startsWith(seederClient)), obs.toString());
    }

    @ParameterizedTest
    @MethodSource("trackerCaptures")
    void everyHashAnnouncedToATrackerIsFoundEvenWhenThePeersEncrypt(Truth truth) throws Exception {
        List<ObservationRecord> obs = seenIn(observations(replay(SHARED.resolve("bt-captures/pcaps").resolve(truth.file()))),
                truth.tracker() + "_tracker");
        assertEquals(truth.trackerHashes(), obs.stream().map(o -> o.hash().hex()).collect(Collectors.toSet()));
        // the seeder announces left=0; the tracker side never makes an observation
        assertTrue(obs.stream().anyMatch(o -> o.role() == ObservationRole.OFFERING), obs.toString());
        assertTrue(obs.stream().allMatch(o -> o.source().port() != 6969), obs.toString());
        assertTrue(obs.stream().allMatch(o -> o.client() != null || o.role() == ObservationRole.LOOKING_UP), obs.toString());
    }

    /** Captures where nothing on the wire tells the infohash's version, so {@code btih} is the right answer. */
    static final Map<String, String> UNPROVABLE = Map.of(
            "c1_utp_libtorrent.pcap", "libtorrent 2 on both ends, no metadata exchange, no BEP 52 message: v1 or v2 alike",
            "f2_hybrid_libtorrent_qbittorrent.pcap", "a hybrid torrent: both hashes are valid for the same content, nothing says which is which",
            "d_dht_libtorrent.pcap", "DHT only: announce_peer and get_peers carry v1 and truncated v2 hashes alike");

    /**
     * MANIFEST.tsv: every hash seen in a handshake, a tracker request or a DHT announce is found; a
     * hash is never given a wrong kind; and the right kind is proven where the traffic proves it
     * (v1-only clients, metadata exchange, BEP 52 messages, info dictionaries too small for v1).
     * The full v2 SHA-256 is found where the info dictionary crossed the wire (the v2 magnet), and
     * the MSE captures' transfers carry their hash by correlation.
     */
    @ParameterizedTest
    @MethodSource("manifest")
    void everyGroundTruthHashIsFoundWithItsKind(Truth truth) throws Exception {
        List<ObservationRecord> obs = observations(replay(SHARED.resolve("bt-captures/pcaps").resolve(truth.file())));
        Set<String> visible = new java.util.HashSet<>(truth.trackerHashes());
        for (String h : List.of(truth.handshakeHash(), truth.dhtHash())) {
            if (!h.equals("-")) {
                visible.add(h);
            }
        }
        Set<String> found = obs.stream().map(o -> o.hash().hex()).collect(Collectors.toSet());
        assertTrue(found.containsAll(visible), visible + " vs " + found);
        String v2truncated = truth.v2().equals("-") ? null : truth.v2().substring(0, 40);
        Map<String, HashKind> right = new java.util.HashMap<>();
        if (!truth.v1().equals("-")) {
            right.put(truth.v1(), HashKind.BTIH_V1);
        }
        if (v2truncated != null) {
            right.put(v2truncated, HashKind.BTIH_V2_TRUNCATED);
            right.put(truth.v2(), HashKind.BTIH_V2);
        }
        for (ObservationRecord o : obs) {
            HashKind kind = right.get(o.hash().hex());
            assertTrue(kind != null, "not a hash of this capture: " + o);
            assertTrue(o.hash().kind() == kind || o.hash().kind() == HashKind.BTIH, "wrong kind: " + o);
        }
        for (String h : visible) {
            boolean proven = obs.stream().anyMatch(o -> o.hash().hex().equals(h) && o.hash().kind() == right.get(h));
            assertEquals(!UNPROVABLE.containsKey(truth.file()), proven, h + " in " + truth.file());
        }
        if (truth.file().startsWith("f3_")) {
            assertTrue(found.contains(truth.v2()), "the v2 magnet's metadata gives the full SHA-256");
        }
        if (truth.encryption().equals("mse")) {
            List<ObservationRecord> correlated = seenIn(obs, "correlated");
            assertTrue(correlated.stream().anyMatch(o -> o.role() == ObservationRole.OFFERING && o.hash().hex().equals(truth.v1())),
                    correlated.toString());
        }
    }

    @Test
    void ndpisHttpTrackerCapture() throws Exception {
        List<ObservationRecord> obs = observations(replay(SHARED.resolve("pcaps/p2p/bt-http.pcapng")));
        assertEquals(1, obs.size());
        ObservationRecord o = obs.get(0);
        assertEquals("aa3769c4530dde06241873dad43ab5ccec2ce622", o.hash().hex());
        assertEquals("http_tracker", o.seenIn());
        assertEquals(ObservationRole.FETCHING, o.role(), "left=282050560");
        assertEquals("Transmission 2.94", o.client());
    }

    @Test
    void dhtAnnouncesAreFoundAndRoutingLookupsAreNotContent() throws Exception {
        List<ObservationRecord> obs = observations(replay(SHARED.resolve("bt-captures/pcaps/d_dht_libtorrent.pcap")));
        // MANIFEST.tsv: the three nodes announce 062e4b69...; their get_peers for other targets fill routing tables
        assertEquals(Set.of("062e4b6936b34d466fc3cf8d1cc09465ba86bc44"), obs.stream().map(o -> o.hash().hex()).collect(Collectors.toSet()));
        assertEquals(3, seenIn(obs, "dht_announce_peer").size(), obs.toString());
        assertTrue(seenIn(obs, "dht_announce_peer").stream().allMatch(o -> o.role() == ObservationRole.ANNOUNCING));
        // the lookup answered with peers is content; the random bootstrap targets (answered with nodes only) are not
        assertTrue(seenIn(obs, "dht_get_peers").size() >= 1, obs.toString());
        assertTrue(seenIn(obs, "dht_get_peers").stream().allMatch(o -> o.role() == ObservationRole.LOOKING_UP));
        assertEquals(obs.size(), seenIn(obs, "dht_announce_peer").size() + seenIn(obs, "dht_get_peers").size());
        // infohashes.tsv: the DHT targets in these captures are lookups near the sender's own node id, not content
        List<ObservationRecord> utp = observations(replay(SHARED.resolve("pcaps/p2p/bittorrent_utp.pcap")));
        // infohashes.tsv: the content hash of bittorrent_utp.pcap is in the uTP handshake, on the flow that also carries DHT
        assertEquals(Set.of("0ca4c8e7fb26a354b1a7aa15baeaf26067c66811"), utp.stream().map(o -> o.hash().hex()).collect(Collectors.toSet()));
        assertTrue(utp.stream().allMatch(o -> o.seenIn().equals("handshake") && o.transport().equals("udp")));
        for (String capture : List.of("bittorrent_utp.pcap", "lru_ipv6_caches.pcapng")) {
            assertTrue(observations(replay(SHARED.resolve("pcaps/p2p").resolve(capture))).stream().noneMatch(o -> o.seenIn().startsWith("dht")),
                    capture);
        }
    }

    @Test
    void mseEncryptedFlowsAreRecognised() throws Exception {
        for (String capture : List.of("b1_tcp_mse_aria2_transmission.pcap", "b2_tcp_mse_transmission_libtorrent.pcap")) {
            List<FlowRecord> flows = replay(SHARED.resolve("bt-captures/pcaps").resolve(capture)).stream()
                    .filter(r -> r instanceof FlowRecord).map(r -> (FlowRecord) r).toList();
            List<FlowRecord> transfers = flows.stream().filter(f -> f.source().bytes() > 1000 && f.destination().bytes() > 1000).toList();
            assertTrue(!transfers.isEmpty(), capture);
            assertTrue(transfers.stream().allMatch(f -> f.protocol().equals("bittorrent")), capture + ": " + transfers);
        }
        // nDPI's hard case: an MSE exchange, then a plaintext handshake from the remote side
        List<ObservationRecord> obs = observations(replay(SHARED.resolve("pcaps/p2p/bittorrent_tcp_miss.pcapng")));
        assertEquals(Set.of("0f6b9cd2b7da4de9b6c846203920e3da49cdb795"), obs.stream().map(o -> o.hash().hex()).collect(Collectors.toSet()));
    }

    @Test
    void aTransferWhoseHandshakeWasNotCapturedIsRecognisedAndAttributedToItsSwarm() throws Exception {
        // a1: Transmission (10.77.0.11) seeds to libtorrent (10.77.0.12:6882); drop the peer
        // connection's first 230 frames (its handshake and first blocks), keep the tracker traffic
        Path a1 = SHARED.resolve("bt-captures/pcaps/a1_tcp_plain_transmission_libtorrent.pcap");
        List<ProbeRecord> records = replayWithout(a1, (n, sport, dport) -> n <= 230 && sport > 0 && sport != 6969 && dport != 6969);
        List<FlowRecord> transfer = records.stream().filter(r -> r instanceof FlowRecord f && f.bytes() > 500_000)
                .map(r -> (FlowRecord) r).toList();
        assertEquals(1, transfer.size(), records.toString());
        assertEquals("bittorrent", transfer.get(0).protocol());
        List<ObservationRecord> correlated = seenIn(observations(records), "correlated");
        assertEquals(2, correlated.size(), correlated.toString());
        assertTrue(correlated.stream().allMatch(o -> o.hash().hex().equals("d6c134aa85e608ef5cd9c3b13e050231dc14fb38")
                && o.confidence() <= 0.5 && o.flowId().equals(transfer.get(0).flowId())));
        // the seeder's side sent the PIECE messages
        assertTrue(correlated.stream().anyMatch(o -> o.role() == ObservationRole.OFFERING && o.source().port() == 33185), correlated.toString());
        assertTrue(correlated.stream().anyMatch(o -> o.role() == ObservationRole.FETCHING && o.source().port() == 6882), correlated.toString());
    }

    @Test
    void ndpisLocalServiceDiscoveryCapture() throws Exception {
        List<ObservationRecord> obs = observations(replay(SHARED.resolve("pcaps/p2p/bt_search.pcap")));
        assertEquals(2, obs.size(), "two BT-SEARCH datagrams");
        assertTrue(obs.stream().allMatch(o -> o.hash().hex().equals("ed4f1085e885f98f9a69b70ee89eb988b8fd9115")
                && o.seenIn().equals("lsd") && o.role() == ObservationRole.ANNOUNCING && o.destination().port() == 6771));
    }

    @Test
    void ndpisBitTorrentCapture() throws Exception {
        List<ProbeRecord> records = replay(SHARED.resolve("pcaps/p2p/bittorrent.pcap"));
        List<FlowRecord> flows = records.stream().filter(r -> r instanceof FlowRecord).map(r -> (FlowRecord) r).toList();
        assertEquals(24, flows.stream().filter(f -> f.protocol().equals("bittorrent")).count());
        List<ObservationRecord> obs = observations(records);
        // infohashes.tsv: the hash is in 41 handshake frames across the 24 flows
        assertEquals(41, obs.size());
        assertTrue(obs.stream().allMatch(o -> o.hash().hex().equals("dcfcdccfb9e670ccc3dd40c78c161f2bea243126")));
    }

    static Stream<Path> ordinaryTraffic() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(SHARED.resolve("pcaps/nonp2p"))) {
            s.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).forEach(files::add);
        }
        files.add(SHARED.resolve("pcaps/p2p/bt-dns.pcap"));
        files.add(SHARED.resolve("pcaps/p2p/tls_torrent.pcapng"));
        // the other P2P families; Ethereum's RLPx opens like MSE (an encrypted burst answered by one)
        for (String other : List.of("bitcoin.pcap", "edonkey.pcap", "ethereum.pcap", "gnutella.pcap", "mining.pcapng", "monero.pcap",
                "nano.pcapng", "ossfuzz_seed_fake_traces_1.pcapng", "syncthing.pcap", "synscan.pcap", "zug.pcap")) {
            files.add(SHARED.resolve("pcaps/p2p").resolve(other));
        }
        return files.stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("ordinaryTraffic")
    void noBitTorrentInOrdinaryTraffic(Path capture) throws Exception {
        List<ProbeRecord> records = replay(capture);
        assertEquals(List.of(), observations(records));
        assertTrue(records.stream().noneMatch(r -> r instanceof FlowRecord f && !f.protocol().equals("unknown")));
    }
}
